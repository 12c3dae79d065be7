//! What every router of the API shares: the JSON answers for an unknown
//! route and a wrong method (also under a nested router, whose guard then
//! covers unknown paths too), and `Cache-Control: no-store` on a router's
//! every answer.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::ApiError;

/// 404 `not_found`.
pub async fn not_found() -> ApiError {
    ApiError::not_found(ErrorCode::NotFound, "no such API route")
}

/// 405 `method_not_allowed`.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ApiErrorBody::new(
            ErrorCode::MethodNotAllowed,
            "method not allowed on this route",
        ),
    )
}

/// `router` answering [`not_found`] and [`method_not_allowed`] itself.
pub fn with_fallbacks<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Middleware: `Cache-Control: no-store` on every answer.
pub async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
