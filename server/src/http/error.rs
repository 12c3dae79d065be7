//! The one error answer of the API: a status, the typed body
//! ([`ApiErrorBody`]) sent as JSON and, to a client that should come back
//! later, `Retry-After`. Database errors become one through
//! [`From<sqlx::Error>`], with the one busy-database rule ([`is_busy`]):
//! 503 with `Retry-After`, never a 500.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cuaso_domain::validate::Problem;
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};

/// Seconds a client is asked to wait (`Retry-After`) when the database is
/// busy: the request has already waited the busy timeout.
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// An error answer: a status, the typed body and, for 429 and 503,
/// `Retry-After` in seconds.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ApiErrorBody,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, body: ApiErrorBody) -> Self {
        ApiError {
            status,
            body,
            retry_after: None,
        }
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
    /// 422 `validation`, one entry per field, worded in `lang`.
    pub fn validation(problems: Vec<(String, Problem)>, lang: &str) -> Self {
        let fields: Vec<FieldProblem> = problems
            .iter()
            .map(|(k, p)| p.to_field_problem(k, lang))
            .collect();
        let mut body = ApiErrorBody::new(
            ErrorCode::Validation,
            format!("{} field(s) need attention", fields.len()),
        );
        body.fields = fields;
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, body)
    }
    /// 429 `too_many_attempts`, to try again after `wait` (at least a
    /// second).
    pub fn too_many(wait: Duration, message: impl Into<String>) -> Self {
        ApiError {
            retry_after: Some(wait.as_secs().max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ApiErrorBody::new(ErrorCode::TooManyAttempts, message),
            )
        }
    }
    /// 503: the database is busy with another writer; try again soon.
    pub fn busy() -> Self {
        ApiError {
            retry_after: Some(BUSY_RETRY_AFTER_SECS),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorBody::new(ErrorCode::Internal, "the server is busy; try again"),
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.retry_after {
            Some(secs) => (
                self.status,
                [(header::RETRY_AFTER, HeaderValue::from(secs))],
                Json(self.body),
            )
                .into_response(),
            None => (self.status, Json(self.body)).into_response(),
        }
    }
}

/// A database error: 503 with `Retry-After` when the database is busy
/// ([`is_busy`]), else 500 `internal` (the error goes to the log, not to
/// the client).
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if is_busy(&e) {
            tracing::warn!(error = %e, "the database is busy");
            ApiError::busy()
        } else {
            tracing::error!(error = %e, "the database failed");
            ApiError::internal("the database failed; try again")
        }
    }
}

/// The one busy-database rule: another writer holds the lock, or no
/// connection came free in time. SQLite: `SQLITE_BUSY` or `SQLITE_LOCKED`
/// (any extended code), which it reports once its busy timeout has passed
/// ("database is locked"). PostgreSQL: `serialization_failure` (40001),
/// `deadlock_detected` (40P01), `lock_not_available` (55P03),
/// `too_many_connections` (53300), `cannot_connect_now` (57P03). Either:
/// the pool's acquire timeout.
pub fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => {
            if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                let code = d.code().and_then(|c| c.parse::<i32>().ok());
                matches!(code.map(|c| c & 0xff), Some(5 | 6))
                    || d.message().contains("locked")
                    || d.message().contains("busy")
            } else {
                d.code()
                    .is_some_and(|c| matches!(&*c, "40001" | "40P01" | "55P03" | "53300" | "57P03"))
            }
        }
        _ => false,
    }
}
