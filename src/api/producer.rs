//! The producer portal (`/api/v1/auth/...`, `/api/v1/me/...`), whose
//! sign-in the community helpers share. The session is an HttpOnly cookie
//! the browser sends by itself (same origin); its CSRF token is kept here,
//! in memory only, and sent on every state-changing request. Nothing of it
//! is ever written to the device.

use cuaso_domain::producer::{
    LabelData, ListingDetail, Listings, LoginRequest, PasswordChange, ProposalRequest, Session,
    CSRF_HEADER,
};
use cuaso_domain::query::encode;
use futures::future::{select, Either};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;

use super::{connection_error, network_error, read, ApiError, API_BASE, TIMEOUT_MS};

thread_local! {
    static CSRF: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Remembers (or, with `None`, forgets) the session's CSRF token.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

/// The session's CSRF token for a state-changing request: the one in
/// memory, else (after a reload, when memory is empty) read again from the
/// session the cookie still holds. The one place every non-GET gets it.
/// `None` when there is no session: the request then gets its 401.
pub(super) async fn csrf(lang: &str) -> Option<String> {
    if CSRF.with(|c| c.borrow().is_none()) {
        // Boxed: `session` is itself a request (a GET, which needs no token).
        let _ = Box::pin(session(lang)).await;
    }
    CSRF.with(|c| c.borrow().clone())
}

/// A producer request failed: the error, and for a 429 the seconds the
/// server asked to wait (`Retry-After`).
#[derive(Debug, Clone, PartialEq)]
pub struct MeError {
    pub error: ApiError,
    pub retry_after: Option<u32>,
}

impl From<ApiError> for MeError {
    fn from(error: ApiError) -> Self {
        MeError {
            error,
            retry_after: None,
        }
    }
}

/// Sends one producer request: JSON `body` (if any) with `method`, the CSRF
/// token unless it is a GET, the language for the server's messages.
#[inline(never)]
async fn me_send(
    method: &'static str,
    path: String,
    body: Option<String>,
    lang: &str,
) -> Result<String, MeError> {
    let url = format!("{API_BASE}/api/v1{path}");
    let mut request = gloo_net::http::RequestBuilder::new(&url)
        .method(match method {
            "POST" => gloo_net::http::Method::POST,
            "PUT" => gloo_net::http::Method::PUT,
            "DELETE" => gloo_net::http::Method::DELETE,
            _ => gloo_net::http::Method::GET,
        })
        .header("Accept", "application/json")
        .header("Accept-Language", lang);
    if method != "GET" {
        if let Some(t) = csrf(lang).await {
            request = request.header(CSRF_HEADER, &t);
        }
    }
    let request = match body {
        Some(b) => request
            .header("Content-Type", "application/json")
            .body(b),
        None => request.build(),
    }
    .map_err(|_| connection_error())?;
    let send = Box::pin(request.send());
    let timeout = gloo_timers::future::TimeoutFuture::new(TIMEOUT_MS);
    let r = match select(send, timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => return Err(network_error(&e).into()),
        Either::Right(_) => return Err(ApiError::Timeout.into()),
    };
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|s| s.trim().parse().ok());
    read(r)
        .await
        .map(|(_, text, _)| text)
        .map_err(|error| MeError { error, retry_after })
}

pub(super) async fn me_json<T: DeserializeOwned>(
    method: &'static str,
    path: String,
    body: Option<String>,
    lang: &str,
) -> Result<T, MeError> {
    let text = me_send(method, path, body, lang).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Server { status: 200 }.into())
}

fn to_body<B: serde::Serialize>(b: &B) -> Option<String> {
    serde_json::to_string(b).ok()
}

/// Signs in; the answer's CSRF token is kept for the next requests.
pub async fn login(req: &LoginRequest, lang: &str) -> Result<Session, MeError> {
    let s: Session = me_json("POST", "/auth/login".into(), to_body(req), lang).await?;
    set_csrf(Some(s.csrf.clone()));
    Ok(s)
}

/// The current session (after a reload the token is read again from here).
pub async fn session(lang: &str) -> Result<Session, MeError> {
    let s: Session = me_json("GET", "/auth/session".into(), None, lang).await?;
    set_csrf(Some(s.csrf.clone()));
    Ok(s)
}

/// Signs out of this device, or with `everywhere` of every device. The
/// token is forgotten whatever the server answers.
pub async fn logout(everywhere: bool, lang: &str) -> Result<(), MeError> {
    let path = if everywhere { "/auth/logout-all" } else { "/auth/logout" };
    let r = me_send("POST", path.into(), None, lang).await.map(|_| ());
    set_csrf(None);
    r
}

/// Changes the password.
pub async fn change_password(req: &PasswordChange, lang: &str) -> Result<(), MeError> {
    me_send("POST", "/auth/password".into(), to_body(req), lang)
        .await
        .map(|_| ())
}

/// The signed-in producer's listings.
pub async fn my_products(lang: &str) -> Result<Listings, MeError> {
    me_json("GET", "/me/products".into(), None, lang).await
}

/// One listing with its batches and their scan figures.
pub async fn my_product(gtin: &str, lang: &str) -> Result<ListingDetail, MeError> {
    me_json("GET", format!("/me/products/{}", encode(gtin)), None, lang).await
}

/// Saves a correction proposal (a draft, or sent for review).
pub async fn save_proposal(
    gtin: &str,
    req: &ProposalRequest,
    lang: &str,
) -> Result<ListingDetail, MeError> {
    let path = format!("/me/products/{}/proposal", encode(gtin));
    me_json("PUT", path, to_body(req), lang).await
}

/// Withdraws the proposal.
pub async fn withdraw_proposal(gtin: &str, lang: &str) -> Result<(), MeError> {
    let path = format!("/me/products/{}/proposal", encode(gtin));
    me_send("DELETE", path, None, lang).await.map(|_| ())
}

/// What a batch's label carries.
pub async fn label(gtin: &str, lot: &str, lang: &str) -> Result<LabelData, MeError> {
    let path = format!(
        "/me/products/{}/batches/{}/label",
        encode(gtin),
        encode(lot)
    );
    me_json("GET", path, None, lang).await
}

/// Uploads a product photo (already downscaled); answers its URL.
pub async fn upload_photo(blob: &web_sys::Blob, name: &str, lang: &str) -> Result<String, MeError> {
    let form = web_sys::FormData::new().map_err(|_| connection_error())?;
    form.append_with_blob_and_filename("file", blob, name)
        .map_err(|_| connection_error())?;
    let mut request = Request::post(&format!("{API_BASE}/api/v1/me/photos"))
        .header("Accept", "application/json")
        .header("Accept-Language", lang);
    if let Some(t) = csrf(lang).await {
        request = request.header(CSRF_HEADER, &t);
    }
    let request = request.body(form).map_err(|_| connection_error())?;
    let send = Box::pin(request.send());
    let timeout = gloo_timers::future::TimeoutFuture::new(TIMEOUT_MS * 3);
    let r = match select(send, timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => return Err(network_error(&e).into()),
        Either::Right(_) => return Err(ApiError::Timeout.into()),
    };
    let (status, text, _) = read(r).await?;
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("url")?.as_str().map(str::to_string))
        .ok_or(ApiError::Server { status }.into())
}
