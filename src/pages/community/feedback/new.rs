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

use std::collections::HashMap;

use cuaso_domain::feedback::{
    check_feedback, Category, Contact, Location, NewFeedback, Position, ADDRESS_MAX, COMMUNE_MAX,
    DESCRIPTION_MAX, NAME_MAX, PHOTOS_MAX, PHOTO_MAX_BYTES, TITLE_MAX,
};
use cuaso_domain::form::{size_label, FileType};
use cuaso_domain::validate::Problem;
use cuaso_domain::{ErrorCode, FieldProblem};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use super::store::{self, Draft, Mine};
use super::{blob_url, category_label, revoke, Label};
use crate::api::{self, ApiError};
use crate::components::error_summary::ErrorSummary;
use crate::dom::{focus_id, next_frame, scroll_top};
use crate::drafts::FileRef;
use crate::geo::{self, Fix};
use crate::transfers::{self, transfers, Transfer};
use crate::i18n::{fill, tr, use_i18n, Strings};

/// A problem at a field: a rule the app checks, one the server sent that
/// this version cannot word itself, or a photo not uploaded yet.
#[derive(Clone, Debug, PartialEq)]
enum Issue {
    Rule(Problem),
    Server(String),
    Uploading,
    UploadFailed,
}

impl Issue {
    fn message(&self, t: &'static Strings, lang: &str) -> String {
        match self {
            Issue::Rule(Problem::RequiredChoice) => t.fb_category_missing.into(),
            Issue::Rule(Problem::OutOfArea) => t.fb_out_of_area.into(),
            Issue::Rule(p) => p.message(lang),
            Issue::Server(m) => m.clone(),
            Issue::Uploading => t.fb_photo_wait.into(),
            Issue::UploadFailed => t.fb_photo_failed_fix.into(),
        }
    }
}

type Issues = Vec<(String, Issue)>;

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

/// Photos not uploaded: waiting, or failed.
fn photo_issue(d: &Draft) -> Option<Issue> {
    let t = transfers().get_untracked();
    let pending: Vec<&FileRef> = d.photos.iter().filter(|p| p.upload.is_none()).collect();
    if pending.is_empty() {
        return None;
    }
    let failed = pending
        .iter()
        .any(|p| !matches!(t.get(&p.local), Some(Transfer::Sending(_))));
    Some(if failed {
        Issue::UploadFailed
    } else {
        Issue::Uploading
    })
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
    if let Some(i) = photo_issue(d) {
        list.retain(|(k, _)| k != "photos");
        list.push(("photos".into(), i));
    }
    list
}

fn from_server(p: &FieldProblem) -> (String, Issue) {
    let issue = match Problem::from_code(&p.code, &p.args) {
        Some(problem) => Issue::Rule(problem),
        None => Issue::Server(p.message.clone()),
    };
    (field_key(&p.field), issue)
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
                    .map(|(_, i)| i.message(t, lang))
            })
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Sending {
    Idle,
    Busy,
    /// No connection: sent again by itself when it returns.
    Waiting,
    Failed(ApiError),
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
                Err(
                    ApiError::Offline
                    | ApiError::Unreachable
                    | ApiError::Timeout
                    | ApiError::Aborted,
                ) => {
                    state.try_set(Sending::Waiting);
                }
                Err(e) => {
                    // The server kept an earlier version under this key, whose
                    // receipt never came back: this version goes as a new report.
                    if e.code() == Some(ErrorCode::IdempotencyMismatch) {
                        draft.try_update(|d| d.key = crate::drafts::random_id());
                    }
                    state.try_set(Sending::Failed(e));
                }
            }
        });
    };
    // Back online: send what was waiting, once.
    {
        let send = send.clone();
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if state.get_untracked() == Sending::Waiting {
                send();
            }
        });
        on_cleanup(move || handle.remove());
    }
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
                (format!("#{id}"), id.to_string(), issue.message(t, lang))
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

/// The error line under a label, with its id for `aria-describedby`.
fn error_line(error: Signal<Option<String>>, id: String) -> impl IntoView {
    move || {
        error.get().map(|m| {
            view! {
                <p class="field-error" id=id.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            }
        })
    }
}

fn group_class(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy {
    move || {
        if error.get().is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    }
}

/// A text question: label (with "(không bắt buộc)" when `optional`), hint,
/// error, the input or textarea, and a character count when `max` is set.
#[allow(clippy::too_many_arguments)]
fn text_field(
    ctx: Ctx,
    key: &'static str,
    id: &'static str,
    label: Label,
    hint: Option<Label>,
    optional: Signal<bool>,
    multiline: bool,
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
    max: Option<u32>,
) -> impl IntoView {
    text_input(
        ctx,
        key,
        id,
        label,
        hint,
        optional,
        multiline,
        ("text", None, "off"),
        get,
        set,
        max,
    )
}

#[allow(clippy::too_many_arguments)]
fn text_input(
    ctx: Ctx,
    key: &'static str,
    id: &'static str,
    label: Label,
    hint: Option<Label>,
    optional: Signal<bool>,
    multiline: bool,
    (ty, mode, auto): (&'static str, Option<&'static str>, &'static str),
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
    max: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error(key);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let count_id = format!("{id}-count");
    let initial = ctx.draft.with_untracked(|d| get(d).clone());
    let count = RwSignal::new(initial.chars().count());
    let describedby = {
        let (h, e, c) = (hint_id.clone(), err_id.clone(), count_id.clone());
        move || {
            let mut v = Vec::new();
            if hint.is_some() {
                v.push(h.clone());
            }
            if error.get().is_some() {
                v.push(e.clone());
            }
            if max.is_some() {
                v.push(c.clone());
            }
            v.join(" ")
        }
    };
    let label_text = move || {
        let t = i18n.t();
        if optional.get() {
            format!("{} {}", label(t), t.optional)
        } else {
            label(t).to_string()
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        count.set(v.chars().count());
        ctx.edit(key, |d| set(d, v));
    };
    let invalid = move || error.get().is_some().to_string();
    let input = if multiline {
        Either::Left(view! {
            <textarea class="textarea" id=id name=key rows="5" spellcheck="true"
                aria-describedby=describedby aria-invalid=invalid
                prop:value=initial on:input=on_input></textarea>
        })
    } else {
        Either::Right(view! {
            <input class="input" id=id name=key type=ty inputmode=mode autocomplete=auto
                spellcheck=if ty == "text" { "true" } else { "false" }
                aria-describedby=describedby aria-invalid=invalid
                prop:value=initial on:input=on_input/>
        })
    };
    view! {
        <div class=group_class(error)>
            <label class="label" for=id>{label_text}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{tr(h)}</p> })}
            {error_line(error, err_id)}
            {input}
            {max.map(|max| view! {
                <p class="hint char-count" id=count_id aria-live="polite">{move || {
                    let left = max as i64 - count.get() as i64;
                    let t = i18n.t();
                    if left >= 0 {
                        fill(t.chars_left, &[("n", &left.to_string())])
                    } else {
                        fill(t.chars_over, &[("n", &(-left).to_string())])
                    }
                }}</p>
            })}
        </div>
    }
}

/// The five categories as radio buttons.
fn category_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error("category");
    let current = ctx.draft.with_untracked(|d| d.category.clone());
    view! {
        <div class=group_class(error)>
            <fieldset class="fieldset" aria-describedby=move || error.get().is_some().then_some("fb-category-error")>
                <legend class="label">{tr(|t| t.fb_category_label)}</legend>
                {error_line(error, "fb-category-error".into())}
                <div class="radios">
                    {Category::ALL.into_iter().enumerate().map(|(i, c)| {
                        let rid = format!("fb-category-{i}");
                        let checked = current.as_deref() == Some(c.as_str());
                        view! {
                            <div class="radio">
                                <input type="radio" id=rid.clone() name="category" value=c.as_str() prop:checked=checked
                                    on:change=move |_| ctx.edit("category", |d| d.category = Some(c.as_str().into()))/>
                                <label for=rid>{move || category_label(i18n.t(), c)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// Up to three photos: previews (decorative: the file name and number are
/// the text), upload progress, retry, remove, and a picker for more.
fn photos_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error("photos");
    let pick_error = RwSignal::new(None::<String>);
    // Object URLs of the previews, by the photo's local key.
    let previews = RwSignal::new(HashMap::<String, String>::new());
    on_cleanup(move || {
        if let Some(p) = previews.try_get_untracked() {
            for url in p.values() {
                revoke(url);
            }
        }
    });
    // Photos kept from before a reload: their previews from the stored bytes.
    for f in ctx.draft.with_untracked(|d| d.photos.clone()) {
        leptos::task::spawn_local(async move {
            if let Some(url) = transfers::local_blob(&f.local).await.as_ref().and_then(blob_url) {
                if previews
                    .try_update(|p| p.insert(f.local.clone(), url.clone()))
                    .is_none()
                {
                    revoke(&url);
                }
            }
        });
    }
    let photos = Memo::new(move |_| ctx.draft.with(|d| d.photos.clone()));
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        pick_error.set(None);
        let t = i18n.t();
        let lang = i18n.locale().code();
        let mut room =
            (PHOTOS_MAX as usize).saturating_sub(ctx.draft.with_untracked(|d| d.photos.len()));
        for file in picked {
            if room == 0 {
                pick_error.set(Some(fill(
                    t.fb_photo_too_many,
                    &[("n", &PHOTOS_MAX.to_string())],
                )));
                break;
            }
            let name = file.name();
            let lower = name.to_lowercase();
            let kind = FileType::from_mime(&file.type_())
                .or(if lower.ends_with(".png") {
                    Some(FileType::Png)
                } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
                    Some(FileType::Jpeg)
                } else {
                    None
                })
                .filter(|k| *k != FileType::Pdf);
            let Some(kind) = kind else {
                pick_error.set(Some(fill(t.fb_photo_wrong_type, &[("name", &name)])));
                continue;
            };
            room -= 1;
            leptos::task::spawn_local(async move {
                let original: web_sys::Blob = file.clone().into();
                // Made smaller on the device: a phone photo is megabytes.
                let (blob, kind, name) = match crate::images::downscale(&original).await {
                    Some(small) => {
                        let stem = name
                            .rsplit_once('.')
                            .map_or(name.as_str(), |(s, _)| s)
                            .to_string();
                        (small, FileType::Jpeg, format!("{stem}.jpg"))
                    }
                    None => (original, kind, name),
                };
                let size = blob.size();
                if size > PHOTO_MAX_BYTES as f64 {
                    pick_error.try_set(Some(fill(
                        t.fb_photo_too_big,
                        &[("name", &name), ("max", &size_label(PHOTO_MAX_BYTES, lang))],
                    )));
                    return;
                }
                let local = crate::drafts::random_id();
                if !crate::idb::put(&local, &blob).await {
                    transfers::keep_in_memory(&local, &blob);
                }
                if let Some(url) = blob_url(&blob) {
                    if previews
                        .try_update(|p| p.insert(local.clone(), url.clone()))
                        .is_none()
                    {
                        revoke(&url);
                    }
                }
                let r = FileRef {
                    local,
                    name,
                    size: size as u64,
                    file_type: kind,
                    upload: None,
                };
                store::update_draft(|d| {
                    if d.photos.len() < PHOTOS_MAX as usize {
                        d.photos.push(r.clone());
                    }
                });
                ctx.server.try_update(|s| s.retain(|(k, _)| k != "photos"));
                start_upload(r);
            });
        }
    };
    let remove = move |i: usize, local: String| {
        ctx.edit("photos", |d| d.photos.retain(|r| r.local != local));
        if let Some(url) = previews.try_update(|p| p.remove(&local)).flatten() {
            revoke(&url);
        }
        transfers().update(|m| {
            m.remove(&local);
        });
        crate::idb::delete(local);
        // Focus stays in the photo list: the next photo's remove button, or the picker.
        let n = ctx.draft.with_untracked(|d| d.photos.len());
        if n > 0 {
            focus_id(format!("fb-photo-remove-{}", i.min(n - 1)));
        } else {
            focus_id("fb-photos");
        }
    };
    let describedby = move || {
        if error.get().is_some() {
            "fb-photos-hint fb-photos-error"
        } else {
            "fb-photos-hint"
        }
    };
    view! {
        <div class=group_class(error)>
            <fieldset class="fieldset">
                <legend class="label">{tr(|t| t.fb_photos_label)}" "{tr(|t| t.optional)}</legend>
                <p class="hint" id="fb-photos-hint">{move || fill(i18n.t().fb_photos_hint, &[("n", &PHOTOS_MAX.to_string())])}</p>
                {error_line(error, "fb-photos-error".into())}
                <ul class="fb-photos" aria-live="polite">
                    {move || {
                    let t = i18n.t();
                    photos.get().into_iter().enumerate().map(|(i, r)| {
                        let local = r.local.clone();
                        let l2 = local.clone();
                        let src = move || previews.with(|p| p.get(&l2).cloned());
                        let state = {
                            let local = local.clone();
                            move || transfers().with(|m| m.get(&local).copied())
                        };
                        let uploaded = r.upload.is_some();
                        let retry_ref = r.clone();
                        let n = (i + 1).to_string();
                        view! {
                            <li class="fb-photo">
                                {move || src().map(|s| view! { <img class="fb-photo__img" src=s alt="" width="96" height="72"/> })}
                                <div class="fb-photo__body">
                                    <p class="fb-photo__name">
                                        <span class="strong">{fill(t.fb_photo_n, &[("n", &n)])}</span>
                                        " " {r.name.clone()}
                                        <span class="file__size">{format!(" · {}", size_label(r.size, i18n.locale().code()))}</span>
                                    </p>
                                    {move || {
                                        let t = i18n.t();
                                        if uploaded {
                                            EitherOf3::A(view! { <p class="file__status file__status--ok">{t.file_uploaded}</p> })
                                        } else {
                                            match state() {
                                                Some(Transfer::Sending(p)) => {
                                                    let pct = (p * 100.0).round() as u32;
                                                    EitherOf3::B(view! {
                                                        <p class="file__status">
                                                            <progress max="100" value=pct.to_string() aria-label=t.file_uploading></progress>
                                                            " " {fill(t.file_progress, &[("n", &pct.to_string())])}
                                                        </p>
                                                    })
                                                }
                                                _ => {
                                                    let r = retry_ref.clone();
                                                    EitherOf3::C(view! {
                                                        <p class="file__status file__status--bad">{t.file_failed}</p>
                                                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| start_upload(r.clone())>
                                                            {t.file_retry}
                                                        </button>
                                                    })
                                                }
                                            }
                                        }
                                    }}
                                    <button type="button" class="btn btn-link btn-small" id=format!("fb-photo-remove-{i}")
                                        on:click=move |_| remove(i, local.clone())>
                                        {fill(t.fb_photo_remove, &[("n", &n)])}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()
                    }}
                </ul>
                {move || pick_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || (photos.with(|p| p.len()) < PHOTOS_MAX as usize).then(|| {
                    let label: Label = if photos.with(|p| p.is_empty()) { |t| t.fb_photo_add } else { |t| t.fb_photo_add_more };
                    view! {
                    <div class="file-pick">
                        <input class="file-pick__input" type="file" id="fb-photos" accept="image/jpeg,image/png,.jpg,.jpeg,.png"
                            multiple aria-describedby=describedby on:change=on_pick/>
                        <label class="btn btn-secondary file-pick__button" for="fb-photos">
                            {tr(label)}
                        </label>
                    </div>
                }})}
            </fieldset>
        </div>
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Denied,
    Failed,
}

/// Asks the device for its position, once; the answer goes into the draft.
fn locate(ctx: Ctx, state: RwSignal<Locating>) {
    state.set(Locating::Busy);
    let asked = geo::locate(60_000, move |fix| match fix {
        Fix::Found(lat, lon, accuracy) => {
            let p = Position {
                lat,
                lon,
                accuracy_m: accuracy.map(|a| a.round().clamp(0.0, 1e6) as u32),
            };
            if ctx
                .draft
                .try_update(|d| d.position = Some(p.clone()))
                .is_none()
            {
                store::update_draft(|d| d.position = Some(p));
            }
            ctx.server
                .try_update(|s| s.retain(|(k, _)| !k.starts_with("location.")));
            state.try_set(Locating::Idle);
        }
        Fix::Denied => {
            state.try_set(Locating::Denied);
        }
        Fix::Failed => {
            state.try_set(Locating::Failed);
        }
    });
    if !asked {
        state.set(Locating::Failed);
    }
}

/// Where it is: the device's position, or the commune and an address
/// (always there, required without a position).
fn location_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(Locating::Idle);
    let error = ctx.error("location.position");
    let has_position = Memo::new(move |_| ctx.draft.with(|d| d.position.is_some()));
    let optional = Signal::derive(move || has_position.get());
    let position_view = move || {
        let t = i18n.t();
        match ctx.draft.with(|d| d.position.clone()) {
            Some(p) => {
                let mut text = fill(
                    t.fb_position_set,
                    &[
                        ("lat", &format!("{:.5}", p.lat)),
                        ("lon", &format!("{:.5}", p.lon)),
                    ],
                );
                if let Some(a) = p.accuracy_m {
                    text.push_str(&fill(t.fb_position_accuracy, &[("m", &a.to_string())]));
                }
                Either::Left(view! {
                    <p class="notice notice--ok fb-position" role="status">{text}</p>
                    <button type="button" class="btn btn-secondary" id="fb-locate"
                        on:click=move |_| {
                            ctx.edit("location.position", |d| d.position = None);
                            state.set(Locating::Idle);
                        }>
                        {t.fb_position_clear}
                    </button>
                })
            }
            None => {
                let busy = state.get() == Locating::Busy;
                let refused = match state.get() {
                    Locating::Denied => Some(t.fb_location_denied),
                    Locating::Failed => Some(t.fb_location_failed),
                    _ => None,
                };
                Either::Right(view! {
                    <button type="button" class="btn btn-secondary" id="fb-locate"
                        aria-disabled=busy.to_string()
                        aria-describedby=move || error.get().is_some().then_some("fb-locate-error")
                        on:click=move |_| if state.get_untracked() != Locating::Busy { locate(ctx, state) }>
                        {if busy { t.fb_locating } else { t.fb_use_location }}
                    </button>
                    {refused.map(|m| view! { <p class="notice notice--warn" role="alert">{m}</p> })}
                })
            }
        }
    };
    view! {
        <fieldset class="fieldset fb-location">
            <legend class="label">{tr(|t| t.fb_location_label)}</legend>
            <p class="hint">{tr(|t| t.fb_location_hint)}</p>
            <div class=group_class(error)>
                {error_line(error, "fb-locate-error".into())}
                {position_view}
            </div>
            {text_input(ctx, "location.commune", "fb-commune", |t| t.fb_commune_label, Some(|t| t.fb_commune_hint),
                optional, false, ("text", None, "address-level2"), |d| &d.commune, |d, v| d.commune = v, Some(COMMUNE_MAX))}
            {text_input(ctx, "location.address", "fb-address", |t| t.fb_address_label, Some(|t| t.fb_address_hint),
                optional, false, ("text", None, "street-address"), |d| &d.address, |d, v| d.address = v, Some(ADDRESS_MAX))}
        </fieldset>
    }
}

/// Optional contact details, with the anonymous note.
fn contact_field(ctx: Ctx) -> impl IntoView {
    let yes = Signal::stored(true);
    view! {
        <fieldset class="fieldset fb-contact" aria-describedby="fb-contact-note">
            <legend class="label">{tr(|t| t.fb_contact_label)}</legend>
            <p class="notice fb-anonymous" id="fb-contact-note">{tr(|t| t.fb_contact_note)}</p>
            {text_input(ctx, "contact.name", "fb-name", |t| t.fb_name_label, None, yes, false,
                ("text", None, "name"), |d| &d.name, |d, v| d.name = v, Some(NAME_MAX))}
            {text_input(ctx, "contact.phone", "fb-phone", |t| t.fb_phone_label, Some(|t| t.fb_phone_hint), yes, false,
                ("tel", Some("tel"), "tel"), |d| &d.phone, |d, v| d.phone = v, None)}
            {text_input(ctx, "contact.email", "fb-email", |t| t.fb_email_label, None, yes, false,
                ("email", Some("email"), "email"), |d| &d.email, |d, v| d.email = v, None)}
        </fieldset>
    }
}
