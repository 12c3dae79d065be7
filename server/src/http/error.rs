//! The one error answer of the API: a status and the typed body
//! ([`ApiErrorBody`]), sent as JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use cuaso_domain::{ApiErrorBody, ErrorCode};

/// An error answer: a status and the typed body.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ApiErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, body: ApiErrorBody) -> Self {
        ApiError { status, body }
    }
    pub fn bad_request(body: ApiErrorBody) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, body)
    }
    pub fn not_found(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, ApiErrorBody::new(code, message))
    }
    /// 409 with `code`.
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, ApiErrorBody::new(code, message))
    }
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorBody::new(ErrorCode::Internal, message),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
