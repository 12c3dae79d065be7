//! The one typed client of the Cửa Số API. Pages never build URLs or call
//! fetch themselves: they call the functions here.
//!
//! Every request has a timeout, and is aborted when the reactive owner that
//! started it is cleaned up (the page unmounts, or a newer request for the same
//! resource replaces it).

use std::fmt;
use std::future::Future;

use cuaso_domain::api::{AppConfig, Field, Procedure, ProcedurePage};
use cuaso_domain::query::{encode, ProcedureQuery};
use cuaso_domain::track::{
    DossierView, Rating, StatusAnswer, StatusQuery, StatusQueryItem, Supplement, Withdrawal,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use futures::future::{select, Either};
use gloo_net::http::Request;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use web_sys::AbortController;

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

/// Fields of administration, in display order.
pub fn fields() -> impl Future<Output = Result<Vec<Field>, ApiError>> {
    get_json("/fields".into())
}

/// One page of catalogue search results.
pub fn procedures(q: &ProcedureQuery) -> impl Future<Output = Result<ProcedurePage, ApiError>> {
    let qs = q.to_query_string();
    get_json(if qs.is_empty() {
        "/procedures".into()
    } else {
        format!("/procedures?{qs}")
    })
}

/// One procedure. A malformed code never leaves the device: it gets the
/// same `invalid_code` answer the server would give.
pub fn procedure(code: &str) -> impl Future<Output = Result<Procedure, ApiError>> {
    let request = cuaso_domain::api::is_procedure_code(code)
        .then(|| get_json(format!("/procedures/{}", encode(code))));
    async move {
        match request {
            Some(fut) => fut.await,
            None => Err(ApiError::Client {
                status: 400,
                body: ApiErrorBody::for_field(ErrorCode::InvalidCode, "code", "bad code"),
            }),
        }
    }
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

fn secret_headers(secret: Option<&str>, lang: &str) -> Vec<(&'static str, String)> {
    let mut h = vec![("Accept-Language", lang.to_string())];
    if let Some(s) = secret {
        h.push((cuaso_domain::track::SECRET_HEADER, s.to_string()));
    }
    h
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
    let status = r.status();
    if !(200..300).contains(&status) {
        return read(r).await.and(Err(ApiError::Server { status }));
    }
    let bytes = r.binary().await.map_err(|_| connection_error())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| ApiError::Server { status })
}

/// A product, by its GTIN (14 digits).
pub fn product(
    gtin: &str,
    lang: &str,
) -> impl Future<Output = Result<cuaso_domain::product::Product, ApiError>> {
    let path = format!("/products/{}", encode(gtin));
    let headers = vec![("Accept-Language", lang.to_string())];
    let ok = |p: &cuaso_domain::product::Product| p.gtin == gtin;
    let shell = from_shell("product", ok, &path, &headers);
    let fetch = shell.is_none().then(|| get_json_with(path, headers));
    shell_or(shell, fetch)
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

/// The tourism sites, in a language (`vi`, `en`, `ko`, `zh`), or the
/// service worker's saved copy.
pub fn sites(
    lang: &str,
) -> impl Future<Output = Result<Maybe<cuaso_domain::site::SiteList>, ApiError>> {
    get_json_saved(format!("/sites?lang={}", encode(lang)))
}

/// One site's guide in a language, or the service worker's saved copy.
pub fn site(
    slug: &str,
    lang: &str,
) -> impl Future<Output = Result<Maybe<cuaso_domain::site::Site>, ApiError>> {
    let path = format!("/sites/{}?lang={}", encode(slug), encode(lang));
    let ok = |s: &cuaso_domain::site::Site| s.slug == slug && s.requested_lang == lang;
    let shell = from_shell("site", ok, &path, &[]).map(|value| Maybe { value, saved: None });
    let fetch = shell.is_none().then(|| get_json_saved(path));
    shell_or(shell, fetch)
}

/// The printable QR code of a site's plate (SVG).
pub fn site_qr_url(slug: &str) -> String {
    format!("{API_BASE}/api/v1/sites/{}/qr.svg", encode(slug))
}

/// One batch of a product, with its journey.
pub fn batch(
    gtin: &str,
    lot: &str,
    lang: &str,
) -> impl Future<Output = Result<cuaso_domain::product::Batch, ApiError>> {
    let path = format!("/products/{}/batches/{}", encode(gtin), encode(lot));
    let headers = vec![("Accept-Language", lang.to_string())];
    let ok = |b: &cuaso_domain::product::Batch| b.gtin == gtin && b.lot == lot;
    let shell = from_shell("batch", ok, &path, &headers);
    let fetch = shell.is_none().then(|| get_json_with(path, headers));
    shell_or(shell, fetch)
}

/// Where a batch's EPCIS events are published (JSON-LD).
pub fn epcis_url(gtin: &str, lot: &str) -> String {
    format!(
        "{API_BASE}/api/v1/products/{}/batches/{}/epcis",
        encode(gtin),
        encode(lot)
    )
}

/// Counts a view that came from scanning a code; no personal data is sent.
pub async fn count_scan(scan: &cuaso_domain::product::ScanEvent) {
    if let Ok(body) = serde_json::to_string(scan) {
        let _ = post_text("/scans".into(), body, Vec::new()).await;
    }
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

/// Uploads one file (`POST /api/v1/uploads`, multipart), reporting progress
/// as a fraction 0..=1. Uses XMLHttpRequest: fetch cannot report upload
/// progress. The time limit grows with the size, for slow links.
pub async fn upload(
    blob: &web_sys::Blob,
    name: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<cuaso_domain::form::Upload, ApiError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| connection_error())?;
    let form = web_sys::FormData::new().map_err(|_| connection_error())?;
    form.append_with_blob_and_filename("file", blob, name)
        .map_err(|_| connection_error())?;
    xhr.open("POST", &format!("{API_BASE}/api/v1/uploads"))
        .map_err(|_| connection_error())?;
    let _ = xhr.set_request_header("Accept", "application/json");
    // 30 s, plus one second per 8 KB: a 5 MB file may take 11 minutes.
    xhr.set_timeout(30_000 + (blob.size() / 8_000.0) as u32 * 1000);
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(u) = xhr.upload() {
        u.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // 0 done, 1 network error, 2 timeout, 3 aborted.
    let done = js_sys::Promise::new(&mut |resolve, _| {
        for (event, outcome) in [("load", 0), ("error", 1), ("timeout", 2), ("abort", 3)] {
            let resolve = resolve.clone();
            let cb = Closure::once_into_js(move || {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &outcome.into());
            });
            let _ = xhr.add_event_listener_with_callback(event, cb.unchecked_ref());
        }
    });
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| connection_error())?;
    let outcome = wasm_bindgen_futures::JsFuture::from(done)
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1.0) as u8;
    drop(progress);
    match outcome {
        0 => {}
        2 => return Err(ApiError::Timeout),
        3 => return Err(ApiError::Aborted),
        _ => return Err(connection_error()),
    }
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| ApiError::Server { status });
    }
    if (400..500).contains(&status) {
        let body = serde_json::from_str::<ApiErrorBody>(&text).unwrap_or_else(|_| {
            ApiErrorBody::new(
                match status {
                    413 => ErrorCode::PayloadTooLarge,
                    415 => ErrorCode::UnsupportedType,
                    _ => ErrorCode::Unknown,
                },
                "no error body",
            )
        });
        return Err(ApiError::Client { status, body });
    }
    Err(ApiError::Server { status })
}

// --- feedback ---
// Citizens' feedback (`/api/v1/feedback...`, see `cuaso_domain::feedback`).
// The report's secret travels only in its header, never in a URL.

use cuaso_domain::feedback::{
    FeedbackPage, FeedbackRating, FeedbackReceipt, FeedbackView, NewFeedback,
};

fn feedback_headers(secret: Option<&str>, lang: &str) -> Vec<(&'static str, String)> {
    let mut h = vec![("Accept-Language", lang.to_string())];
    if let Some(s) = secret {
        h.push((cuaso_domain::feedback::SECRET_HEADER, s.to_string()));
    }
    h
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
    let status = r.status();
    if !(200..300).contains(&status) {
        return read(r).await.and(Err(ApiError::Server { status }));
    }
    let bytes = r.binary().await.map_err(|_| connection_error())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| ApiError::Server { status })
}

// --- end feedback ---

// ---------------------------------------------------------------------------
// The producer portal (`/api/v1/auth/...`, `/api/v1/me/...`). The session is
// an HttpOnly cookie the browser sends by itself (same origin); its CSRF
// token is kept here, in memory only, and sent on every state-changing
// request. Nothing of it is ever written to the device.
// ---------------------------------------------------------------------------

use cuaso_domain::producer::{
    LabelData, ListingDetail, Listings, LoginRequest, PasswordChange, ProposalRequest, Session,
    CSRF_HEADER,
};

thread_local! {
    static CSRF: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Remembers (or, with `None`, forgets) the session's CSRF token.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
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
        if let Some(t) = CSRF.with(|c| c.borrow().clone()) {
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

async fn me_json<T: DeserializeOwned>(
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
    if let Some(t) = CSRF.with(|c| c.borrow().clone()) {
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

// --- helper (assisted applications) ---

/// Submits an application for a citizen, as the signed-in community
/// helper, with the citizen's consent. Idempotent under `key`, like
/// [`submit_dossier`]. After a reload the CSRF token is read again first.
pub async fn submit_assisted(
    key: &str,
    req: &cuaso_domain::helper::AssistedDossier,
    lang: &str,
) -> Result<cuaso_domain::form::DossierReceipt, ApiError> {
    if CSRF.with(|c| c.borrow().is_none()) {
        session(lang).await.map_err(|e| e.error)?;
    }
    let body = serde_json::to_string(req).map_err(|_| ApiError::Server { status: 0 })?;
    let mut headers = vec![
        ("Idempotency-Key", key.to_string()),
        ("Accept-Language", lang.to_string()),
    ];
    if let Some(t) = CSRF.with(|c| c.borrow().clone()) {
        headers.push((CSRF_HEADER, t));
    }
    let (status, text, _) = post_text("/helper/dossiers".into(), body, headers).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Server { status })
}

/// The dossiers the signed-in helper submitted: status only.
pub async fn assisted_list(lang: &str) -> Result<cuaso_domain::helper::AssistedList, MeError> {
    me_json("GET", "/helper/dossiers".into(), None, lang).await
}
