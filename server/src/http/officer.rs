//! The officer API's guard: `Authorization: Bearer <token>` with the token
//! from `--officer-token` (none configured: every officer route answers
//! 401), compared in constant time; every answer behind it is `no-store`.
//! The officer routes of each feature sit behind it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sha2::{Digest, Sha256};

use super::gate::constant_time_eq;
use super::Json;
use crate::AppState;

/// The `actor` recorded for what officers do through the API.
pub const WHO: &str = "officer:api";

/// 401 `unauthorized` with `WWW-Authenticate: Bearer`.
pub fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"cuaso-officer\""),
        )],
        Json(ApiErrorBody::new(
            ErrorCode::Unauthorized,
            "the officer API needs Authorization: Bearer <token>",
        )),
    )
        .into_response()
}

/// Is `given` the configured token? Compares SHA-256 digests in constant
/// time, so neither the length nor a prefix leaks.
pub fn token_matches(configured: Option<&str>, given: &str) -> bool {
    let Some(token) = configured.filter(|t| !t.is_empty()) else {
        return false;
    };
    constant_time_eq(
        &Sha256::digest(token.as_bytes()),
        &Sha256::digest(given.as_bytes()),
    )
}

/// Middleware: the bearer token (else 401), then `no-store` on the answer.
pub async fn require_token(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .unwrap_or("");
    if !token_matches(s.officer_token.as_deref(), given) {
        return unauthorized();
    }
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(token_matches(Some("s3cret-token"), "s3cret-token"));
        assert!(!token_matches(Some("s3cret-token"), "s3cret-toke"));
        assert!(!token_matches(Some("s3cret-token"), ""));
        assert!(!token_matches(None, ""));
        assert!(!token_matches(Some(""), ""));
    }
}
