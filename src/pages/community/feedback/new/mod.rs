//! `/feedback/new`: report a problem. One page: the category, a title and
//! description, up to three photos (made smaller on the device, uploaded in
//! the background with progress and retry), where it is (the device's
//! position, or a commune and an address), and optional contact details.
//!
//! Everything typed is saved on the device at every keystroke
//! ([`super::store`]); photos' bytes stay in IndexedDB until the report is
//! sent. The rules are `cuaso_domain::feedback::check_feedback`, the same
//! the server applies; its 422 problems are shown at the fields too, and
//! nothing typed is ever cleared. The draft's idempotency key makes a
//! double tap or a retry one report.
//!
//! Here: the page, its draft, its checks and sending it; the questions are
//! in [`fields`], [`photos`] and [`location`].

use cuaso_domain::feedback::{
    check_feedback, Category, Contact, Location, NewFeedback, DESCRIPTION_MAX, TITLE_MAX,
};
use cuaso_domain::validate::Problem;
use cuaso_domain::{ErrorCode, FieldProblem};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::store::{self, Draft, Mine};
use super::{blob_url, category_label, revoke, Label};
use crate::api::{self, ApiError};
use crate::components::error_summary::ErrorSummary;
use crate::dom::{next_frame, scroll_top};
use crate::drafts::FileRef;
use crate::forms::{send_when_online, upload_issue, Issue, Issues, Sending};
use crate::i18n::{tr, use_i18n, Strings};
use crate::transfers::{self, transfers};

mod fields;
mod location;
mod photos;

use fields::{category_field, contact_field, text_field};
use location::location_field;
use photos::photos_field;

/// How a problem reads on the report form.
fn message(issue: &Issue, t: &'static Strings, lang: &str) -> String {
    match issue {
        Issue::Rule(Problem::RequiredChoice) => t.fb_category_missing.into(),
        Issue::Rule(Problem::OutOfArea) => t.fb_out_of_area.into(),
        _ => issue.message(lang, t.fb_photo_wait, t.fb_photo_failed_fix),
    }
}

/// The fields in the order of the form, with the id of the input each
/// problem links to.
const FIELDS: [(&str, &str); 10] = [
    ("category", "fb-category-0"),
    ("title", "fb-title"),
    ("description", "fb-description"),
    ("photos", "fb-photos"),
    ("location.position", "fb-locate"),
    ("location.commune", "fb-commune"),
    ("location.address", "fb-address"),
    ("contact.name", "fb-name"),
    ("contact.phone", "fb-phone"),
    ("contact.email", "fb-email"),
];

/// The form's key for a key the server used (`photos.1` → `photos`).
fn field_key(k: &str) -> String {
    if k.starts_with("photos") {
        "photos".into()
    } else {
        k.to_string()
    }
}

fn order(k: &str) -> usize {
    FIELDS
        .iter()
        .position(|(f, _)| *f == k)
        .unwrap_or(FIELDS.len())
}

fn input_id(k: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, _)| *f == k)
        .map_or("", |(_, id)| id)
}

/// The report as the server reads it (the category aside, checked apart).
fn report_of(d: &Draft) -> NewFeedback {
    NewFeedback {
        category: d
            .category
            .as_deref()
            .and_then(Category::parse)
            .unwrap_or(Category::Other),
        title: d.title.trim().to_string(),
        description: d.description.trim().to_string(),
        photos: d.photos.iter().filter_map(|p| p.upload.clone()).collect(),
        location: Location {
            position: d.position.clone(),
            commune: d.commune.trim().to_string(),
            address: d.address.trim().to_string(),
        },
        contact: Contact {
            name: d.name.trim().to_string(),
            phone: d.phone.trim().to_string(),
            email: d.email.trim().to_string(),
        },
    }
}

/// Everything the app finds wrong with the draft.
fn local_issues(d: &Draft) -> Issues {
    let mut list: Issues = Vec::new();
    if d.category.as_deref().and_then(Category::parse).is_none() {
        list.push(("category".into(), Issue::Rule(Problem::RequiredChoice)));
    }
    list.extend(
        check_feedback(&report_of(d))
            .into_iter()
            .map(|(k, p)| (field_key(&k), Issue::Rule(p))),
    );
    if let Some(i) = upload_issue(&d.photos) {
        list.retain(|(k, _)| k != "photos");
        list.push(("photos".into(), i));
    }
    list
}

/// A problem the server sent, at the form's field.
fn from_server(p: &FieldProblem) -> (String, Issue) {
    (field_key(&p.field), Issue::from_server(p))
}

/// Starts (or restarts) the upload of one photo.
fn start_upload(file: FileRef) {
    let local = file.local.clone();
    transfers::start(file, move |id| {
        store::update_draft(|d| {
            if let Some(r) = d.photos.iter_mut().find(|r| r.local == local) {
                r.upload = Some(id);
            }
        });
    });
}

#[derive(Clone, Copy)]
struct Ctx {
    draft: RwSignal<Draft>,
    /// The problems shown: the app's own once Send was pressed, and the server's.
    shown: Memo<Issues>,
    server: RwSignal<Issues>,
}

impl Ctx {
    /// Changes the draft; the server's old complaint about `key` no longer applies.
    fn edit(&self, key: &str, f: impl FnOnce(&mut Draft)) {
        self.draft.update(f);
        if self
            .server
            .with_untracked(|s| s.iter().any(|(k, _)| k == key))
        {
            self.server.update(|s| s.retain(|(k, _)| k != key));
        }
    }

    fn error(&self, key: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        let shown = self.shown;
        Signal::derive(move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            shown.with(|l| {
                l.iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, i)| message(i, t, lang))
            })
        })
    }
}

pub fn new_page() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = RwSignal::new(store::load_draft().unwrap_or_else(Draft::fresh));
    if draft.with_untracked(|d| d.key.is_empty()) {
        draft.update_untracked(|d| d.key = crate::drafts::random_id());
    }
    store::set_live(draft);
    // Saved on every change; a device that refuses (full, private mode) is told.
    let unsaved = RwSignal::new(false);
    Effect::new(move |first: Option<()>| {
        let d = draft.get();
        if first.is_some() {
            let mut d = d;
            d.updated = crate::drafts::now_ms();
            unsaved.set(!store::save_draft(&d));
        }
    });
    // Photos picked before a reload: restart the uploads that had not finished.
    draft.with_untracked(|d| {
        for f in d.photos.iter().filter(|f| f.upload.is_none()) {
            if !transfers().with_untracked(|m| m.contains_key(&f.local)) {
                start_upload(f.clone());
            }
        }
    });
    let tried = RwSignal::new(false);
    let server = RwSignal::new(Issues::new());
    let shown = Memo::new(move |_| {
        // Reading the transfers makes the photo problem follow the uploads.
        let _ = transfers().get();
        let mut list = if tried.get() {
            draft.with(local_issues)
        } else {
            Issues::new()
        };
        for (k, v) in server.get() {
            if !list.iter().any(|(lk, _)| *lk == k) {
                list.push((k, v));
            }
        }
        list.sort_by_key(|(k, _)| order(k));
        list
    });
    let ctx = Ctx {
        draft,
        shown,
        server,
    };
    let state = RwSignal::new(Sending::Idle);
    let summary = NodeRef::<leptos::html::Div>::new();
    let focus_summary = move || {
        next_frame(move || {
            if let Some(el) = summary.get_untracked() {
                let _ = el.focus();
            }
        })
    };
    let send = move || {
        if state.get_untracked() == Sending::Busy {
            return;
        }
        tried.set(true);
        // The app's own rules hold it back; what the server said last does
        // not (it is asked again: a field the citizen cannot change, such
        // as a photo the server lost, must not trap the report).
        if !draft.with_untracked(local_issues).is_empty() {
            focus_summary();
            return;
        }
        state.set(Sending::Busy);
        let d = draft.get_untracked();
        let report = report_of(&d);
        let key = d.key.clone();
        let lang = i18n.locale().code();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::submit_feedback(&key, &report, lang).await {
                Ok(r) => {
                    store::remember(Mine {
                        code: r.code.clone(),
                        secret: r.secret.clone(),
                        title: report.title.clone(),
                        category: report.category.as_str().into(),
                        received_at: r.received_at.clone(),
                        status: cuaso_domain::feedback::FeedbackStatus::Received,
                        seen: None,
                    });
                    store::discard_draft();
                    state.try_set(Sending::Idle);
                    navigate(
                        &format!("/feedback/{}/sent", r.code),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                    scroll_top();
                }
                Err(ApiError::Client { body, .. }) if body.code == ErrorCode::Validation => {
                    server.try_set(body.fields.iter().map(from_server).collect());
                    state.try_set(Sending::Idle);
                    focus_summary();
                }
                Err(e) => {
                    // The server kept an earlier version under this key, whose
                    // receipt never came back: this version goes as a new report.
                    if e.code() == Some(ErrorCode::IdempotencyMismatch) {
                        draft.try_update(|d| d.key = crate::drafts::random_id());
                    }
                    state.try_set(Sending::after(e));
                }
            }
        });
    };
    send_when_online(state, send.clone());
    let on_submit = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send();
        }
    };
    let status = move || {
        let t = i18n.t();
        let (title, body) = match state.get() {
            Sending::Idle => return None,
            Sending::Busy => {
                return Some(Either::Left(
                    view! { <p class="notice" role="status">{t.fb_sending}</p> },
                ))
            }
            Sending::Waiting => (t.fb_waiting_title, t.fb_waiting_body),
            Sending::Failed(e) if e.code() == Some(ErrorCode::IdempotencyMismatch) => {
                (t.fb_failed_title, t.fb_failed_changed)
            }
            Sending::Failed(_) => (t.fb_failed_title, t.fb_failed_body),
        };
        Some(Either::Right(view! {
            <div class="notice notice--warn" role="alert">
                <h2>{title}</h2>
                <p>{body}</p>
            </div>
        }))
    };
    let summary_items = Signal::derive(move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        shown
            .get()
            .into_iter()
            .map(|(k, issue)| {
                let id = input_id(&k);
                (format!("#{id}"), id.to_string(), message(&issue, t, lang))
            })
            .collect::<Vec<_>>()
    });
    view! {
        <Title text=tr(|t| t.fb_new_title)/>
        <p class="back-link"><a href="/feedback">{tr(|t| t.page_feedback)}</a></p>
        <form class="question fb-form" novalidate on:submit=on_submit>
            <ErrorSummary items=summary_items node=summary title_id="fb-errors-title"/>
            <h1>{tr(|t| t.fb_new_title)}</h1>
            <p class="lead">{tr(|t| t.fb_new_intro)}</p>
            {move || if unsaved.get() {
                Some(Either::Left(view! { <p class="notice notice--warn" role="status">{tr(|t| t.fb_draft_not_saved)}</p> }))
            } else if !draft.with(Draft::is_empty) {
                Some(Either::Right(view! { <p class="hint fb-saved">{tr(|t| t.fb_draft_kept)}</p> }))
            } else {
                None
            }}
            {category_field(ctx)}
            {text_field(ctx, "title", "fb-title", |t| t.fb_title_label, Some(|t| t.fb_title_hint),
                Signal::stored(false), false, |d| &d.title, |d, v| d.title = v, Some(TITLE_MAX))}
            {text_field(ctx, "description", "fb-description", |t| t.fb_description_label, Some(|t| t.fb_description_hint),
                Signal::stored(false), true, |d| &d.description, |d, v| d.description = v, Some(DESCRIPTION_MAX))}
            {photos_field(ctx)}
            {location_field(ctx)}
            {contact_field(ctx)}
            <h2>{tr(|t| t.fb_send_heading)}</h2>
            <p>{tr(|t| t.fb_publish_note)}</p>
            {status}
            <button type="submit" class="btn btn-primary btn-block"
                aria-disabled=move || (state.get() == Sending::Busy).to_string()>
                {move || if state.get() == Sending::Waiting { i18n.t().fb_send_again } else { i18n.t().fb_send }}
            </button>
        </form>
    }
}
