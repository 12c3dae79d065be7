//! `/feedback/...`: citizens' feedback (phản ánh, kiến nghị). One component
//! picks the screen from the path, so the shell has only two routes:
//!
//! - `/feedback`: report a problem, "Phản ánh của tôi" (reports sent from
//!   this device), a lookup by code and secret, and the public list of
//!   answered reports ([`home`]);
//! - `/feedback/new`: the report form, kept on the device as it is typed
//!   ([`new`]);
//! - `/feedback/{code}/sent`: the confirmation with the code and secret;
//! - `/feedback/{code}`: the report's status, timeline, answer, and the
//!   rating ([`report`]).
//!
//! The styles are `style/feedback.css`, fetched by this chunk (the CSP
//! refuses style attributes, so every look is a class there).

use cuaso_domain::feedback::{Category, FeedbackStatus};
use leptos::either::EitherOf6;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::status::Loading;
use crate::i18n::Strings;

/// A string of the interface, chosen before rendering (for [`crate::i18n::tr`]).
pub type Label = fn(&'static Strings) -> &'static str;

mod home;
mod new;
mod report;
mod store;

/// The screens.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Home,
    New,
    Sent(String),
    Report(String),
    Unknown,
}

fn screen(path: &str) -> Screen {
    let rest = path.trim_start_matches("/feedback").trim_matches('/');
    let parts: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    };
    let code = |c: &str| cuaso_domain::feedback::normalize_code(c);
    match parts.as_slice() {
        [] => Screen::Home,
        ["new"] => Screen::New,
        [c, "sent"] => code(c).map_or(Screen::Unknown, Screen::Sent),
        [c] => code(c).map_or(Screen::Unknown, Screen::Report),
        _ => Screen::Unknown,
    }
}

/// `style/feedback.css`, fetched by this chunk.
const CSS_VERSION: u64 = crate::stylesheet::version(include_str!("../../../../style/feedback.css"));

/// Every `/feedback/...` path. The screens are plain functions (run
/// untracked, as a component's body is) and one `EitherOf6`: each erased
/// view would cost slots in the main module's function table, which every
/// first visit downloads.
#[component]
pub fn FeedbackRoute() -> impl IntoView {
    let location = use_location();
    let page = Memo::new(move |_| screen(&location.pathname.get()));
    let css = RwSignal::new(false);
    crate::stylesheet::load("feedback", CSS_VERSION, css);
    move || {
        let ready = css.get();
        let page = page.get();
        untrack(move || match page {
            _ if !ready => EitherOf6::A(view! { <Loading/> }),
            Screen::Home => EitherOf6::B(home::home_page()),
            Screen::New => EitherOf6::C(new::new_page()),
            Screen::Sent(code) => EitherOf6::D(report::sent_page(code)),
            Screen::Report(code) => EitherOf6::E(report::report_page(code)),
            Screen::Unknown => EitherOf6::F(view! { <crate::pages::not_found::NotFound/> }),
        })
    }
}

/// A category's name in the interface language.
pub fn category_label(t: &'static Strings, c: Category) -> &'static str {
    match c {
        Category::Roads => t.fb_cat_roads,
        Category::Environment => t.fb_cat_environment,
        Category::PublicOrder => t.fb_cat_public_order,
        Category::Administration => t.fb_cat_administration,
        Category::Other => t.fb_cat_other,
    }
}

/// A category stored as text (`Category::as_str`), named.
pub fn category_text(t: &'static Strings, c: &str) -> &'static str {
    Category::parse(c).map_or("", |c| category_label(t, c))
}

/// A status's name in the interface language.
pub fn status_label(t: &'static Strings, s: FeedbackStatus) -> &'static str {
    match s {
        FeedbackStatus::Received => t.fb_status_received,
        FeedbackStatus::Assigned => t.fb_status_assigned,
        FeedbackStatus::Answered => t.fb_status_answered,
        FeedbackStatus::Rejected => t.fb_status_rejected,
    }
}

/// The badge classes of a status.
pub fn status_class(s: FeedbackStatus) -> &'static str {
    match s {
        FeedbackStatus::Received => "badge",
        FeedbackStatus::Assigned => "badge badge-partial",
        FeedbackStatus::Answered => "badge badge-full",
        FeedbackStatus::Rejected => "badge badge-bad",
    }
}

/// `2026-11-24T09:15:00+07:00` → `24/11/2026 09:15` (the time as the
/// server wrote it, Việt Nam time).
pub fn when(at: &str) -> String {
    let time = at.get(11..16).unwrap_or("");
    format!("{} {time}", crate::dates::date_vn(at))
        .trim_end()
        .to_string()
}

/// An object URL for a blob, for an `<img>`; revoke it when done.
pub fn blob_url(b: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(b).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
