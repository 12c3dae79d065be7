//! What handlers take from a request: a JSON body whose rejection is an
//! [`ApiError`] ([`Json`]), the `{code}` of a path as sent
//! ([`PathCode`]), and the language to answer in ([`Lang`], from the one
//! `Accept-Language` negotiation, [`negotiate`]).

use std::convert::Infallible;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::layer::util::{Identity, Stack};
use tower::ServiceBuilder;

use super::ApiError;
use crate::AppState;

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
pub type BodyLimit =
    ServiceBuilder<Stack<Extension<NamedLimit>, Stack<DefaultBodyLimit, Identity>>>;

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

/// The languages the API words its messages in; the first is the default.
pub const API_LANGS: [&str; 2] = ["vi", "en"];

/// The language of a request's messages: the best of [`API_LANGS`] for
/// its `Accept-Language` ([`negotiate`]), else `vi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub &'static str);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Lang(request_lang(&parts.headers)))
    }
}

/// [`Lang`] of these headers: `en` or `vi`.
pub fn request_lang(headers: &HeaderMap) -> &'static str {
    negotiate(headers, &API_LANGS).unwrap_or(API_LANGS[0])
}

/// The language of `supported` that `Accept-Language` prefers, if any.
///
/// Each range is a language tag (its primary subtag counts: `en-GB` asks
/// for `en`; case and `_` for `-` do not matter) or `*`, with a weight
/// `q` (1 when absent, 0 when unreadable). A supported language weighs the
/// best `q` of the ranges naming it, else that of `*` (which stands for
/// every language no range names). The heaviest wins; between equal
/// weights, the range that comes first in the header, then the order of
/// `supported`. Weight 0 is "not this one"; `None` when nothing supported
/// weighs more.
///
/// Written here rather than taken from a crate: the crates that read the
/// header return its tags, and this matching against a supported set is
/// most of the work (and a few lines).
pub fn negotiate(headers: &HeaderMap, supported: &[&'static str]) -> Option<&'static str> {
    // (q, position in the header) per supported language, and for `*`.
    let mut named: Vec<Option<(f32, usize)>> = vec![None; supported.len()];
    let mut star: Option<(f32, usize)> = None;
    let ranges = headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for (position, range) in ranges.enumerate() {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let q = parts
            .find_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .or_else(|| p.strip_prefix("Q="))
                    .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
            })
            .unwrap_or(1.0);
        let q = if q.is_finite() { q } else { 0.0 };
        let slot = if tag == "*" {
            &mut star
        } else {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            match supported
                .iter()
                .position(|l| l.eq_ignore_ascii_case(primary))
            {
                Some(i) => &mut named[i],
                None => continue,
            }
        };
        if slot.is_none_or(|(best, _)| q > best) {
            *slot = Some((q, position));
        }
    }
    let mut choice: Option<(f32, usize, &'static str)> = None;
    for (lang, weight) in supported.iter().zip(&named) {
        let Some((q, position)) = weight.or(star) else {
            continue;
        };
        let better = choice.is_none_or(|(cq, cp, _)| q > cq || (q == cq && position < cp));
        if q > 0.0 && better {
            choice = Some((q, position, lang));
        }
    }
    choice.map(|(_, _, lang)| lang)
}

/// `scheme://host` of absolute links: `--public-base-url`, else the
/// request's Host (`https` when a proxy says so with `--behind-proxy`).
pub fn base_url(s: &AppState, headers: &HeaderMap, uri: &Uri) -> String {
    if let Some(b) = &s.public_base_url {
        return b.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let https = s.behind_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn language_from_accept_language() {
        let mut h = HeaderMap::new();
        assert_eq!(request_lang(&h), "vi");
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en;q=0.8"),
        );
        assert_eq!(request_lang(&h), "en");
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("vi-VN,en;q=0.5"),
        );
        assert_eq!(request_lang(&h), "vi");
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("EN"));
        assert_eq!(request_lang(&h), "en");
    }

    #[test]
    fn the_weights_decide() {
        assert_eq!(request_lang(&h("vi;q=0.1, en")), "en");
        assert_eq!(request_lang(&h("en;q=0.1, vi")), "vi");
        assert_eq!(request_lang(&h("vi;q=0.5, en;q=0.5")), "vi");
        assert_eq!(request_lang(&h("en;q=0.5, vi;q=0.5")), "en");
        assert_eq!(request_lang(&h("en-GB;q=0.2, EN-us;q=0.9, vi;q=0.8")), "en");
        assert_eq!(request_lang(&h("en_US")), "en");
        assert_eq!(request_lang(&h("en;q=0")), "vi");
        assert_eq!(request_lang(&h("fr, de;q=0.9")), "vi");
        assert_eq!(request_lang(&h("en;q=abc, vi;q=0.3")), "vi");
        assert_eq!(request_lang(&h("")), "vi");
        assert_eq!(request_lang(&h(" , ;q=1")), "vi");
    }

    #[test]
    fn the_star_stands_for_the_others() {
        assert_eq!(negotiate(&h("*"), &API_LANGS), Some("vi"));
        assert_eq!(negotiate(&h("fr, *;q=0.5"), &API_LANGS), Some("vi"));
        assert_eq!(negotiate(&h("en, *"), &API_LANGS), Some("en"));
        assert_eq!(negotiate(&h("vi;q=0.1, *"), &API_LANGS), Some("en"));
        assert_eq!(negotiate(&h("en;q=0.5, *;q=0.2"), &API_LANGS), Some("en"));
        assert_eq!(negotiate(&h("*;q=0"), &API_LANGS), None);
        assert_eq!(negotiate(&h("fr"), &API_LANGS), None);
    }

    #[test]
    fn the_supported_set_is_the_callers() {
        let sites = ["vi", "en", "ko", "zh"];
        assert_eq!(negotiate(&h("ko-KR, en;q=0.9"), &sites), Some("ko"));
        assert_eq!(negotiate(&h("ko-KR, en;q=0.9"), &API_LANGS), Some("en"));
        assert_eq!(
            negotiate(&h("zh-Hans-CN;q=0.7, ko;q=0.8"), &sites),
            Some("ko")
        );
    }

    #[test]
    fn several_header_lines_count_as_one_list() {
        let mut m = HeaderMap::new();
        m.append(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("vi;q=0.4"),
        );
        m.append(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en;q=0.6"),
        );
        assert_eq!(request_lang(&m), "en");
    }
}
