//! What handlers take from a request: a JSON body whose rejection is an
//! [`ApiError`] ([`Json`]), and the `{code}` of a path as sent
//! ([`PathCode`]).

use std::convert::Infallible;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::layer::util::{Identity, Stack};
use tower::ServiceBuilder;

use super::ApiError;

/// A JSON body in, a JSON answer out. Taken as a request body, a body
/// that is not JSON of the right shape is refused with a typed answer:
/// 413 `payload_too_large` over the route's limit, 415 `unsupported_type`
/// for another content type, 400 `invalid_parameter` for anything
/// malformed. A handler that must check something else first takes
/// `Result<Json<T>, ApiError>` and refuses with it later.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// The limit a route declares with [`body_limit`], named in its 413.
#[derive(Debug, Clone, Copy)]
pub struct NamedLimit(pub usize);

/// What a 413 names when the route did not declare its limit with
/// [`body_limit`]: 256 KiB, the dossier routes' limit. The other routes
/// have always said this (their own limits are in the OpenAPI document);
/// declaring theirs with [`body_limit`] would make the message exact.
pub const DEFAULT_NAMED_LIMIT: usize = 256 * 1024;

/// The layer [`body_limit`] makes.
pub type BodyLimit = ServiceBuilder<Stack<Extension<NamedLimit>, Stack<DefaultBodyLimit, Identity>>>;

/// A route layer: bodies over `max` bytes are refused, and the 413 says
/// `max`.
pub fn body_limit(max: usize) -> BodyLimit {
    ServiceBuilder::new()
        .layer(DefaultBodyLimit::max(max))
        .layer(Extension(NamedLimit(max)))
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let limit = req
            .extensions()
            .get::<NamedLimit>()
            .map_or(DEFAULT_NAMED_LIMIT, |l| l.0);
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(e) => Err(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ApiErrorBody::new(
                        ErrorCode::PayloadTooLarge,
                        format!("the body may be at most {limit} bytes"),
                    ),
                ),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ApiErrorBody::new(
                        ErrorCode::UnsupportedType,
                        "send the body as application/json",
                    ),
                ),
                _ => ApiError::bad_request(ApiErrorBody::new(
                    ErrorCode::InvalidParameter,
                    format!("malformed JSON body: {}", e.body_text()),
                )),
            }),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The `{code}` of a path as sent; one that does not decode reads as
/// empty, which then gets the answer of an unknown code.
#[derive(Debug, Clone)]
pub struct PathCode(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathCode {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        Ok(PathCode(
            Path::<String>::from_request_parts(parts, state)
                .await
                .map(|Path(c)| c)
                .unwrap_or_default(),
        ))
    }
}
