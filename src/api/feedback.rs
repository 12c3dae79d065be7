//! Citizens' feedback (`/api/v1/feedback...`, see
//! `cuaso_domain::feedback`). The report's secret travels only in its
//! header, never in a URL.

use std::future::Future;

use cuaso_domain::feedback::{
    FeedbackPage, FeedbackRating, FeedbackReceipt, FeedbackView, NewFeedback,
};
use cuaso_domain::query::encode;
use futures::future::{select, Either};
use gloo_net::http::Request;

use super::{
    blob, get_json, get_json_with, network_error, post_json, post_text, with_secret, ApiError,
    API_BASE, TIMEOUT_MS,
};

fn feedback_headers(secret: Option<&str>, lang: &str) -> Vec<(&'static str, String)> {
    with_secret(cuaso_domain::feedback::SECRET_HEADER, secret, lang)
}

/// One page (from 1) of the published, answered reports; `category` as
/// `Category::as_str`, or all.
pub fn feedback_list(
    page: u32,
    category: Option<&str>,
) -> impl Future<Output = Result<FeedbackPage, ApiError>> {
    let mut path = format!("/feedback?page={page}");
    if let Some(c) = category {
        path.push_str(&format!("&category={}", encode(c)));
    }
    get_json(path)
}

/// One report: the public part, or everything with the right `secret`.
pub fn feedback(
    code: &str,
    secret: Option<&str>,
    lang: &str,
) -> impl Future<Output = Result<FeedbackView, ApiError>> {
    get_json_with(
        format!("/feedback/{}", encode(code)),
        feedback_headers(secret, lang),
    )
}

/// Sends a report. The same `key` always yields the same report, so this is
/// safe to repeat after a timeout, a network drop or a double tap.
pub async fn submit_feedback(
    key: &str,
    report: &NewFeedback,
    lang: &str,
) -> Result<FeedbackReceipt, ApiError> {
    let mut headers = feedback_headers(None, lang);
    headers.push(("Idempotency-Key", key.to_string()));
    post_json("/feedback".into(), report, headers).await
}

/// Rates the agency's answer, once.
pub async fn rate_feedback(
    code: &str,
    secret: &str,
    rating: &FeedbackRating,
    lang: &str,
) -> Result<(), ApiError> {
    let body = serde_json::to_string(rating).map_err(|_| ApiError::Server { status: 0 })?;
    let path = format!("/feedback/{}/rating", encode(code));
    post_text(path, body, feedback_headers(Some(secret), lang))
        .await
        .map(|_| ())
}

/// Where a published report's photo is shown from (a URL the API gave,
/// `/api/v1/feedback/{code}/photos/{n}`).
pub fn feedback_photo_src(url: &str) -> String {
    format!("{API_BASE}{url}")
}

/// A photo of a report that is not public, fetched with the secret; the
/// page shows it from a blob URL. Only the API's own photo URLs are asked
/// for, so the secret never goes anywhere else.
pub async fn feedback_photo(url: &str, secret: &str) -> Result<web_sys::Blob, ApiError> {
    if !url.starts_with("/api/v1/feedback/") || url.contains("..") {
        return Err(ApiError::Server { status: 0 });
    }
    let request = Request::get(&feedback_photo_src(url))
        .header(cuaso_domain::feedback::SECRET_HEADER, secret);
    let send = Box::pin(request.send());
    let timeout = gloo_timers::future::TimeoutFuture::new(TIMEOUT_MS);
    let r = match select(send, timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => return Err(network_error(&e)),
        Either::Right(_) => return Err(ApiError::Timeout),
    };
    blob(r).await
}
