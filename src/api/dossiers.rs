//! Dossiers (`/api/v1/dossiers...`): sending an application, following it
//! (with its secret, which travels in a header, never in a URL), and what
//! the citizen can do on it.

use std::future::Future;

use cuaso_domain::query::encode;
use cuaso_domain::track::{
    DossierView, Rating, StatusAnswer, StatusQuery, StatusQueryItem, Supplement, Withdrawal,
};
use gloo_net::http::Request;

use super::{
    blob, get_json_with, network_error, post_json, post_text, with_secret, ApiError, API_BASE,
};

fn secret_headers(secret: Option<&str>, lang: &str) -> Vec<(&'static str, String)> {
    with_secret(cuaso_domain::track::SECRET_HEADER, secret, lang)
}

/// One dossier: public fields, or everything when `secret` is right.
pub fn dossier(
    code: &str,
    secret: Option<&str>,
    lang: &str,
) -> impl Future<Output = Result<DossierView, ApiError>> {
    get_json_with(
        format!("/dossiers/{}", encode(code)),
        secret_headers(secret, lang),
    )
}

/// The current status of several dossiers, in one request.
pub async fn dossier_statuses(codes: Vec<String>) -> Result<StatusAnswer, ApiError> {
    let q = StatusQuery {
        items: codes
            .into_iter()
            .map(|code| StatusQueryItem { code })
            .collect(),
    };
    post_json("/dossiers/statuses".into(), &q, Vec::new()).await
}

/// Sends the documents asked for (status 5).
pub async fn send_supplement(
    code: &str,
    secret: &str,
    s: &Supplement,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let path = format!("/dossiers/{}/supplements", encode(code));
    post_json(path, s, secret_headers(Some(secret), lang)).await
}

/// Withdraws the dossier (status 7).
pub async fn withdraw(
    code: &str,
    secret: &str,
    w: &Withdrawal,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let path = format!("/dossiers/{}/withdraw", encode(code));
    post_json(path, w, secret_headers(Some(secret), lang)).await
}

/// Rates the service once the result is returned.
pub async fn rate(
    code: &str,
    secret: &str,
    r: &Rating,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let path = format!("/dossiers/{}/rating", encode(code));
    post_json(path, r, secret_headers(Some(secret), lang)).await
}

/// The result file (status 9/10), as bytes the page saves.
pub async fn result_file(code: &str, secret: &str) -> Result<web_sys::Blob, ApiError> {
    let url = format!("{API_BASE}/api/v1/dossiers/{}/result", encode(code));
    let request = Request::get(&url).header(cuaso_domain::track::SECRET_HEADER, secret);
    let r = request.send().await.map_err(|e| network_error(&e))?;
    blob(r).await
}

/// Submits an application. The same `key` always yields the same dossier, so
/// this is safe to repeat after a timeout or a network drop.
pub async fn submit_dossier(
    key: &str,
    dossier: &cuaso_domain::form::NewDossier,
    lang: &str,
) -> Result<cuaso_domain::form::DossierReceipt, ApiError> {
    let body = serde_json::to_string(dossier).map_err(|_| ApiError::Server { status: 0 })?;
    let (status, text, _) = post_text(
        "/dossiers".into(),
        body,
        vec![
            ("Idempotency-Key", key.to_string()),
            ("Accept-Language", lang.to_string()),
        ],
    )
    .await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Server { status })
}
