//! The one typed client of the Cửa Số API. Pages never build URLs or call
//! fetch themselves: they call the functions here, `crate::api::…`.
//!
//! This file has what every request shares: the errors, the fetch plumbing,
//! [`Remote`] (what a page reads), and the answers the server inlines into
//! the shell. Each feature's endpoints have a file of their own
//! (`catalogue.rs`, `dossiers.rs`, `uploads.rs`, `products.rs`,
//! `tourism.rs`, `feedback.rs`, `producer.rs`, `helper.rs`), all
//! re-exported here.
//!
//! Every request has a timeout, and is aborted when the reactive owner that
//! started it is cleaned up (the page unmounts, or a newer request for the same
//! resource replaces it).

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use cuaso_domain::api::AppConfig;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use futures::future::{select, Either};
use gloo_net::http::Request;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use web_sys::AbortController;

mod catalogue;
mod dossiers;
mod feedback;
mod helper;
mod producer;
mod products;
mod tourism;
mod uploads;

pub use catalogue::{fields, procedure, procedures};
pub use dossiers::{
    dossier, dossier_statuses, rate, result_file, send_supplement, submit_dossier, withdraw,
};
pub use feedback::{
    feedback, feedback_list, feedback_photo, feedback_photo_src, rate_feedback, submit_feedback,
};
pub use helper::{assisted_list, submit_assisted};
pub use producer::{
    change_password, label, login, logout, my_product, my_products, save_proposal, session,
    set_csrf, upload_photo, withdraw_proposal, MeError,
};
pub use products::{batch, count_scan, epcis_url, product};
pub use tourism::{site, site_qr_url, sites};
pub use uploads::upload;

/// Where the API lives. Same origin by default; set `CUASO_API_BASE` at build
/// time (e.g. `https://api.example.gov.vn`) to point the app at another backend.
pub const API_BASE: &str = match option_env!("CUASO_API_BASE") {
    Some(base) => base,
    None => "",
};

/// Long enough for a slow 3G link, short enough that nobody waits forever.
pub const TIMEOUT_MS: u32 = 20_000;

/// Why a request failed, in terms the UI can explain.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The device says it has no network.
    Offline,
    /// The network is up but the server could not be reached.
    Unreachable,
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// Cancelled because the page went away; never shown.
    Aborted,
    /// The server refused the request (4xx) and said why.
    Client { status: u16, body: ApiErrorBody },
    /// The server failed (5xx), or answered something that is not the API.
    Server { status: u16 },
}

impl ApiError {
    /// The API's error code, for 4xx answers.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Client { body, .. } => Some(body.code),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Offline => write!(f, "offline"),
            ApiError::Unreachable => write!(f, "server unreachable"),
            ApiError::Timeout => write!(f, "timed out"),
            ApiError::Aborted => write!(f, "aborted"),
            ApiError::Client { status, body } => write!(f, "{status} {body}"),
            ApiError::Server { status } => write!(f, "server error {status}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Aborts the request if the future is dropped before it finished.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// Starts a GET of `/api/v1{path}` and decodes the JSON answer.
/// The set-up runs now, inside the caller's reactive owner, so the request is
/// aborted when that owner is cleaned up.
fn get_json<T: DeserializeOwned>(path: String) -> impl Future<Output = Result<T, ApiError>> {
    get_json_with(path, Vec::new())
}

/// [`get_json`] with extra request headers (a dossier's secret).
fn get_json_with<T: DeserializeOwned>(
    path: String,
    headers: Vec<(&'static str, String)>,
) -> impl Future<Output = Result<T, ApiError>> {
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        let c = SendWrapper::new(c.clone());
        on_cleanup(move || c.abort());
    }
    async move {
        let (status, body, _) = get_text(path, controller, headers).await?;
        serde_json::from_str::<T>(&body).map_err(|_| ApiError::Server { status })
    }
}

/// An answer that may be the copy the service worker saved (`sw/sw.js`):
/// `saved` is when it was saved, `None` for a fresh answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Maybe<T> {
    pub value: T,
    pub saved: Option<String>,
}

/// [`get_json`] telling a fresh answer from a saved copy.
fn get_json_saved<T: DeserializeOwned>(
    path: String,
) -> impl Future<Output = Result<Maybe<T>, ApiError>> {
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        let c = SendWrapper::new(c.clone());
        on_cleanup(move || c.abort());
    }
    async move {
        let (status, body, saved) = get_text(path, controller, Vec::new()).await?;
        let value = serde_json::from_str::<T>(&body).map_err(|_| ApiError::Server { status })?;
        Ok(Maybe { value, saved })
    }
}

/// The network part, kept out of the generic function so the wasm carries
/// it once rather than once per response type.
#[inline(never)]
async fn get_text(
    path: String,
    controller: Option<AbortController>,
    headers: Vec<(&'static str, String)>,
) -> Result<(u16, String, Option<String>), ApiError> {
    let url = format!("{API_BASE}/api/v1{path}");
    let signal = controller.as_ref().map(|c| c.signal());
    let mut guard = AbortOnDrop(controller);
    let mut request = Request::get(&url)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    for (k, v) in &headers {
        request = request.header(k, v);
    }
    let send = Box::pin(request.send());
    let timeout = gloo_timers::future::TimeoutFuture::new(TIMEOUT_MS);
    let response = match select(send, timeout).await {
        Either::Left((result, _)) => result.map_err(|e| network_error(&e)),
        // Leave the guard armed: dropping it aborts the request.
        Either::Right(_) => return Err(ApiError::Timeout),
    };
    let result = match response {
        Ok(r) => read(r).await,
        Err(e) => Err(e),
    };
    // Finished: nothing left to abort.
    guard.0 = None;
    result
}

async fn read(r: gloo_net::http::Response) -> Result<(u16, String, Option<String>), ApiError> {
    let status = r.status();
    let saved = r.headers().get("x-cuaso-saved");
    let text = r.text().await;
    if (200..300).contains(&status) {
        return text
            .map(|t| (status, t, saved))
            .map_err(|_| ApiError::Server { status });
    }
    if (400..500).contains(&status) {
        let body = text
            .ok()
            .and_then(|t| serde_json::from_str::<ApiErrorBody>(&t).ok())
            .unwrap_or_else(|| {
                ApiErrorBody::new(
                    if status == 404 {
                        ErrorCode::NotFound
                    } else {
                        ErrorCode::Unknown
                    },
                    "no error body",
                )
            });
        return Err(ApiError::Client { status, body });
    }
    Err(ApiError::Server { status })
}

/// A file the API answered (a result, a photo), as a blob; a refusal as
/// the error it says.
async fn blob(r: gloo_net::http::Response) -> Result<web_sys::Blob, ApiError> {
    let status = r.status();
    if !(200..300).contains(&status) {
        return read(r).await.and(Err(ApiError::Server { status }));
    }
    let bytes = r.binary().await.map_err(|_| connection_error())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| ApiError::Server { status })
}

fn network_error(e: &gloo_net::Error) -> ApiError {
    if let gloo_net::Error::JsError(js) = e {
        if js.name == "AbortError" {
            return ApiError::Aborted;
        }
    }
    connection_error()
}

/// Nothing came back: offline if the device says so, otherwise the server is unreachable.
pub fn connection_error() -> ApiError {
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    if online {
        ApiError::Unreachable
    } else {
        ApiError::Offline
    }
}

/// The URL of a file of the app itself, beside `index.html`.
pub fn app_file(name: &str) -> String {
    format!("/{name}")
}

/// A static file of the app itself (beside `index.html`), as text.
pub async fn static_text(name: &str) -> Result<String, ApiError> {
    let r = Request::get(&app_file(name))
        .send()
        .await
        .map_err(|e| network_error(&e))?;
    let status = r.status();
    if !(200..300).contains(&status) {
        return Err(ApiError::Server { status });
    }
    r.text().await.map_err(|_| connection_error())
}

/// Province branding.
pub fn config() -> impl Future<Output = Result<AppConfig, ApiError>> {
    get_json("/config".into())
}

/// What a page reads from the API: `None` while the first answer is on its
/// way, then the latest answer. It refetches when a signal read by `fetch`
/// changes, aborts the request it replaces, and ignores stale answers.
///
/// A lighter stand-in for `LocalResource`: the reactive machinery is shared by
/// every response type (one instance in the wasm), only the decoding is not.
pub struct Remote<T: 'static> {
    value: RwSignal<Option<Result<T, ApiError>>, LocalStorage>,
    retry: Trigger,
}

impl<T: 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Remote<T> {}

type Job = Pin<Box<dyn Future<Output = ()>>>;

impl<T: Clone + 'static> Remote<T> {
    pub fn new<F>(fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        let value = RwSignal::new_local(None);
        let retry = Trigger::new();
        let generation = Rc::new(Cell::new(0u32));
        run_effect(Box::new(move || {
            retry.track();
            let request = fetch();
            let this = generation.get().wrapping_add(1);
            generation.set(this);
            let generation = generation.clone();
            // A failed answer gives way to the spinner; good results stay
            // on screen until the new ones arrive.
            if value.with_untracked(|v| matches!(v, Some(Err(_)))) {
                value.set(None);
            }
            Box::pin(async move {
                let result = request.await;
                if generation.get() == this && !matches!(result, Err(ApiError::Aborted)) {
                    value.set(Some(result));
                }
            })
        }));
        Remote { value, retry }
    }

    /// The latest answer (reactive).
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.value.get()
    }

    /// Fetches again, e.g. from a "Try again" button.
    pub fn refetch(&self) {
        self.retry.notify();
    }
}

/// The non-generic half of [`Remote`]: one effect type for the whole app.
fn run_effect(start: Box<dyn Fn() -> Job>) {
    Effect::new(move |_| leptos::task::spawn_local(start()));
}

/// The headers of a request in language `lang`, with a secret (a dossier's
/// or a report's) in its own `header` when there is one: never in a URL.
fn with_secret(
    header: &'static str,
    secret: Option<&str>,
    lang: &str,
) -> Vec<(&'static str, String)> {
    let mut h = vec![("Accept-Language", lang.to_string())];
    if let Some(s) = secret {
        h.push((header, s.to_string()));
    }
    h
}

/// Sends `body` as JSON with `POST /api/v1{path}`; the non-generic half of
/// [`post_json`].
#[inline(never)]
async fn post_text(
    path: String,
    body: String,
    headers: Vec<(&'static str, String)>,
) -> Result<(u16, String, Option<String>), ApiError> {
    let url = format!("{API_BASE}/api/v1{path}");
    let mut request = Request::post(&url)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json");
    for (k, v) in &headers {
        request = request.header(k, v);
    }
    let request = request.body(body).map_err(|_| connection_error())?;
    let send = Box::pin(request.send());
    let timeout = gloo_timers::future::TimeoutFuture::new(TIMEOUT_MS + 10_000);
    match select(send, timeout).await {
        Either::Left((Ok(r), _)) => read(r).await,
        Either::Left((Err(e), _)) => Err(network_error(&e)),
        Either::Right(_) => Err(ApiError::Timeout),
    }
}

/// Sends `body` as JSON and decodes the JSON answer.
async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    path: String,
    body: &B,
    headers: Vec<(&'static str, String)>,
) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Server { status: 0 })?;
    let (status, text, _) = post_text(path, body, headers).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Server { status })
}

/// The answer the server inlined into the shell for the page it served
/// (`server/src/web.rs`, `with_data`), when it is of `kind`: one round trip
/// less on a first visit by a deep link (a QR code). Taken once (the element
/// goes), so later visits within the app ask the server; the caller checks
/// it is the right item. Not used under the service worker: there the
/// request goes through it, which keeps the answer for offline visits.
fn inlined<T: DeserializeOwned>(kind: &str) -> Option<T> {
    let w = web_sys::window()?;
    let el = w.document()?.get_element_by_id("cuaso-data")?;
    if el.get_attribute("data-kind").as_deref() != Some(kind) {
        return None;
    }
    el.remove();
    let sw = js_sys::Reflect::get(&w.navigator(), &"serviceWorker".into()).ok()?;
    let controlled = !sw.is_undefined()
        && js_sys::Reflect::get(&sw, &"controller".into()).is_ok_and(|c| c.is_truthy());
    if controlled {
        return None;
    }
    serde_json::from_str(&el.text_content()?).ok()
}

/// After an inlined answer: the same GET, not awaited, so the browser's
/// cache holds the answer as it holds every one the app fetched, and the
/// service worker finds it there for offline visits (`sw/sw.js`).
fn keep_for_offline(path: String, headers: Vec<(&'static str, String)>) {
    leptos::task::spawn_local(async move {
        let _ = get_text(path, None, headers).await;
    });
}

/// The inlined answer of `kind` when it is the one asked for (`ok`), then
/// kept for offline under `path`; `None`: fetch it.
fn from_shell<T: DeserializeOwned>(
    kind: &str,
    ok: impl Fn(&T) -> bool,
    path: &str,
    headers: &[(&'static str, String)],
) -> Option<T> {
    let shell = inlined::<T>(kind).filter(ok);
    shell.inspect(|_| keep_for_offline(path.to_string(), headers.to_vec()))
}

/// The answer from the shell, else the fetch made for its absence.
async fn shell_or<T>(
    shell: Option<T>,
    fetch: Option<impl Future<Output = Result<T, ApiError>>>,
) -> Result<T, ApiError> {
    match (shell, fetch) {
        (Some(v), _) => Ok(v),
        (None, Some(f)) => f.await,
        (None, None) => Err(connection_error()),
    }
}
