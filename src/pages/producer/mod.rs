//! `/producer/...`: the OCOP producer portal. One lazy chunk for every
//! screen; the shell has only the two routes `/producer` and
//! `/producer/*rest`, and [`ProducerRoute`] picks the screen from the path
//! here, so the portal adds nothing to the router of a first visit.
//!
//! Private data lives in memory only: the session and its CSRF token (in
//! [`crate::api`]) and the pages' answers, which are fetched afresh on every
//! visit (the server marks them `no-store`, and the service worker keeps no
//! `/auth` or `/me` answer). The one thing written to the device is an
//! unsent proposal edit (`cuaso.proposal.{producer}.{gtin}`), removed once it
//! is saved and at logout. A 401 anywhere goes to the login page, which
//! comes back to the same path afterwards.

use std::cell::RefCell;

use cuaso_domain::producer::{CertState, Session};
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError, MeError};
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{fill, Strings};
use crate::dates::date_vn;

mod detail;
mod edit;
mod labels;
mod listings;
mod login;
mod password;

thread_local! {
    /// The signed-in producer, once known; never stored on the device.
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Where an unsent proposal edit is kept on this device.
pub const DRAFT_PREFIX: &str = "cuaso.proposal.";

pub fn remember(s: Session) {
    api::set_csrf(Some(s.csrf.clone()));
    SESSION.with(|c| *c.borrow_mut() = Some(s));
}

pub fn current() -> Option<Session> {
    SESSION.with(|c| c.borrow().clone())
}

/// The session: the one in memory, else the server's (after a reload).
pub async fn ensure(lang: &str) -> Result<Session, MeError> {
    if let Some(s) = current() {
        return Ok(s);
    }
    let s = api::session(lang).await?;
    remember(s.clone());
    Ok(s)
}

/// Forgets every producer datum this app holds: the session, the token
/// and the unsent edits on the device.
pub fn forget() {
    SESSION.with(|c| *c.borrow_mut() = None);
    api::set_csrf(None);
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let keys: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(DRAFT_PREFIX))
            .collect();
        for k in keys {
            let _ = s.remove_item(&k);
        }
    }
}

/// Whether an error means "sign in (again)".
pub fn is_signed_out(e: &ApiError) -> bool {
    matches!(e, ApiError::Client { status: 401, .. })
        || e.code() == Some(ErrorCode::SessionRequired)
}

/// The path and query of the current page.
fn here() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// A `next` the login page may go to: a path of the portal, of the helper
/// pages, or an application being made by a helper; nothing else.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        let within = |base: &str| {
            n.starts_with(base) && matches!(n.as_bytes().get(base.len()), None | Some(b'/' | b'?'))
        };
        (within("/producer") || within("/helper") || (n.starts_with("/services/") && n.contains("/apply")))
            && !n.starts_with("/producer/login")
            && !n.contains("//")
            && !n.contains('\\')
    })
    .unwrap_or_else(|| "/producer".into())
}

/// Is `next` a helper's page (the login page then speaks to helpers)?
pub fn for_helper(next: &str) -> bool {
    !next.starts_with("/producer")
}

/// The login page's address, to come back to the current page.
pub fn login_href() -> String {
    let next = here();
    format!("/producer/login?next={}", cuaso_domain::query::encode(&next))
}

/// Returns a function that sends the browser to the login page (replacing
/// the current entry), forgetting the session.
pub fn use_to_login() -> impl Fn() + Clone + 'static {
    let navigate = use_navigate();
    move || {
        SESSION.with(|c| *c.borrow_mut() = None);
        api::set_csrf(None);
        navigate(
            &login_href(),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    }
}

/// A private answer on a page: a spinner, then `content`; the login page on
/// a 401; the friendly error panel otherwise.
pub fn private_view<T, V>(
    res: api::Remote<T>,
    content: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let to_login = use_to_login();
    move || match res.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(v)) => content(v).into_any(),
        Some(Err(e)) if is_signed_out(&e) => {
            // Not while rendering: the router moves on once this is done.
            let to_login = to_login.clone();
            leptos::task::spawn_local(async move { to_login() });
            view! { <Loading/> }.into_any()
        }
        Some(Err(error @ ApiError::Client { status: 403, .. })) => {
            view! { <Refused error/> }.into_any()
        }
        Some(Err(error)) => {
            view! { <ErrorPanel error main=true retry=move || res.refetch()/> }.into_any()
        }
    }
}

/// The pages of the portal.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Listings,
    Login,
    Password,
    Detail(String),
    Preview(String),
    Edit(String),
    Labels(String, String),
    Unknown,
}

/// Percent-decodes a path segment.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1).and_then(|&c| hex(c)), b.get(i + 2).and_then(|&c| hex(c))) {
            (b'%', Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn screen(path: &str) -> Screen {
    let rest = path.trim_start_matches("/producer").trim_matches('/');
    let parts: Vec<String> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').map(decode).collect()
    };
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    match p.as_slice() {
        [] => Screen::Listings,
        ["login"] => Screen::Login,
        ["password"] => Screen::Password,
        ["products", g] => Screen::Detail(g.to_string()),
        ["products", g, "preview"] => Screen::Preview(g.to_string()),
        ["products", g, "edit"] => Screen::Edit(g.to_string()),
        ["products", g, "batches", lot, "labels"] => Screen::Labels(g.to_string(), lot.to_string()),
        _ => Screen::Unknown,
    }
}

/// The portal's stylesheet, `style/producer.css`, fetched by this chunk.
const CSS_VERSION: u64 = crate::stylesheet::version(include_str!("../../../style/producer.css"));

/// Every `/producer/...` path.
#[component]
pub fn ProducerRoute() -> impl IntoView {
    let location = use_location();
    let page = Memo::new(move |_| screen(&location.pathname.get()));
    let css = RwSignal::new(false);
    crate::stylesheet::load("producer", CSS_VERSION, css);
    move || match page.get() {
        _ if !css.get() => view! { <Loading/> }.into_any(),
        Screen::Listings => view! { <listings::ListingsPage/> }.into_any(),
        Screen::Login => view! { <login::LoginPage/> }.into_any(),
        Screen::Password => view! { <password::PasswordPage/> }.into_any(),
        Screen::Detail(gtin) => view! { <detail::DetailPage gtin/> }.into_any(),
        Screen::Preview(gtin) => view! { <detail::PreviewPage gtin/> }.into_any(),
        Screen::Edit(gtin) => view! { <edit::EditPage gtin/> }.into_any(),
        Screen::Labels(gtin, lot) => view! { <labels::LabelsPage gtin lot/> }.into_any(),
        Screen::Unknown => view! { <crate::pages::not_found::NotFound/> }.into_any(),
    }
}

/// The certificate's line: the expiry, with a warning from 90 days before
/// and once expired.
pub fn cert_notice(
    t: &'static Strings,
    state: CertState,
    days_left: i32,
    expires: &str,
) -> impl IntoView + use<> {
    let date = date_vn(expires);
    let (class, text) = match state {
        CertState::Valid => (
            "notice notice--ok",
            fill(t.cert_valid, &[("date", &date)]),
        ),
        CertState::Expiring => (
            "notice notice--warn",
            fill(
                t.pr_cert_expiring,
                &[("n", &days_left.to_string()), ("date", &date)],
            ),
        ),
        CertState::Expired => (
            "notice notice--bad",
            fill(
                t.pr_cert_expired,
                &[("n", &(-days_left).to_string()), ("date", &date)],
            ),
        ),
    };
    view! { <p class=class>{text}</p> }
}

/// An error from an action, in words (for an alert).
pub fn error_text(t: &'static Strings, e: &ApiError) -> String {
    match e {
        ApiError::Offline => t.error_offline_body.into(),
        ApiError::Timeout => t.error_timeout_body.into(),
        ApiError::Unreachable | ApiError::Aborted => t.error_unreachable_body.into(),
        ApiError::Server { .. } => t.pr_error_server.into(),
        ApiError::Client { status: 403, body } if body.code == ErrorCode::Forbidden => {
            t.pr_error_forbidden.into()
        }
        ApiError::Client { status: 401 | 403, .. } => t.pr_error_session.into(),
        ApiError::Client { .. } => t.error_bad_request.into(),
    }
}

/// A refusal (403: the session's token or the account's role) on a page,
/// said as what happened, with the way to sign in again; never as a bad
/// address (the shared [`ErrorPanel`] knows no sessions).
#[component]
fn Refused(error: ApiError) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let href = login_href();
    view! {
        <section class="error-panel" role="alert">
            <h1>{crate::i18n::tr(|t| t.pr_refused_title)}</h1>
            <p>{move || error_text(i18n.t(), &error)}</p>
            <div class="actions">
                <a href=href class="btn btn-primary">{crate::i18n::tr(|t| t.pr_sign_in)}</a>
                <a href="/" class="btn btn-secondary">{crate::i18n::tr(|t| t.go_home)}</a>
            </div>
        </section>
    }
}
