//! `/services/{code}/apply/{page}`: the online application, one question
//! page at a time (GOV.UK question pages), then check answers, then submit.
//!
//! Every keystroke is saved on the device ([`crate::drafts`]); files are kept
//! in IndexedDB and uploaded in the background with progress and retry; the
//! submission carries the draft's idempotency key, so retries never make a
//! second dossier.
//!
//! Here: the page's route, the draft and the checks every screen shares;
//! a question page is [`question`] (each question [`field`]), then
//! [`check`] (check your answers and send), with the citizen's [`consent`]
//! in helper mode.

use cuaso_domain::api::{Procedure, Text};
use cuaso_domain::form::{Answers, FieldKind, FormPage, FormSchema};
use cuaso_domain::validate;
use cuaso_domain::FieldProblem;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{self, Remote};
use crate::components::file_upload::start_upload;
use crate::components::status::api_view;
use crate::dates::today;
use crate::drafts::{self, Draft};
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::forms::{upload_issue, Issue, Issues};
use crate::transfers::transfers;

mod check;
mod consent;
mod field;
mod question;

use check::CheckAnswers;
use question::QuestionPage;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let procedure = Remote::new(move || api::procedure(&code.get()));
    view! {
        <Title text=tr(|t| t.apply_title)/>
        {api_view(procedure, true, |p| view! { <Form p/> })}
    }
}

/// How a problem reads on the application form.
fn message(issue: &Issue, t: &'static Strings, lang: &str) -> String {
    issue.message(lang, t.file_wait_upload, t.file_upload_failed_fix)
}

/// A problem the server sent, at its field.
fn from_server(p: &FieldProblem) -> (String, Issue) {
    (p.field.clone(), Issue::from_server(p))
}

/// Where the answer `key` is typed: the id of its (first) input.
fn input_id(schema: &FormSchema, key: &str) -> String {
    let base = key.split('.').next().unwrap_or(key);
    match schema.field(base).map(|f| &f.kind) {
        Some(FieldKind::Date { .. }) => format!("f-{base}-d"),
        Some(FieldKind::Choice { .. }) | Some(FieldKind::YesNo) => format!("f-{base}-0"),
        _ => format!("f-{}", key.replace('.', "-")),
    }
}

/// The page a field is on.
fn page_of<'a>(schema: &'a FormSchema, key: &str) -> Option<&'a FormPage> {
    let base = key.split('.').next().unwrap_or(key);
    schema
        .pages
        .iter()
        .find(|p| p.fields.iter().any(|f| f.id == base))
}

/// The answers as the rules and the server read them: date parts joined
/// (zero-padded when they are numbers), file slots as their upload ids.
fn normalized(schema: &FormSchema, d: &Draft) -> Answers {
    let mut out = Answers::new();
    for (k, v) in &d.answers {
        if !k.ends_with(".d") && !k.ends_with(".m") && !k.ends_with(".y") {
            out.insert(k.clone(), v.clone());
        }
    }
    for (_, f) in schema.fields() {
        match &f.kind {
            FieldKind::Date { .. } => {
                let part = |s: &str| {
                    d.answers
                        .get(&format!("{}.{s}", f.id))
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default()
                };
                let (y, m, dd) = (part("y"), part("m"), part("d"));
                if y.is_empty() && m.is_empty() && dd.is_empty() {
                    continue;
                }
                let num = |s: &str| {
                    !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())
                };
                let value = if num(&y) && num(&m) && num(&dd) && y.len() == 4 {
                    format!(
                        "{y}-{:02}-{:02}",
                        m.parse::<u32>().unwrap_or(0),
                        dd.parse::<u32>().unwrap_or(0)
                    )
                } else {
                    format!("{y}-{m}-{dd}")
                };
                out.insert(f.id.clone(), value);
            }
            FieldKind::File { .. } => {
                let ids: Vec<&str> = d
                    .files
                    .get(&f.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.upload.as_deref())
                    .collect();
                if ids.is_empty() {
                    out.remove(&f.id);
                } else {
                    out.insert(f.id.clone(), ids.join(","));
                }
            }
            _ => {}
        }
    }
    out
}

/// Page-level file problems: a required slot must have its files uploaded.
fn file_issues(page: &FormPage, d: &Draft, answers: &Answers) -> Issues {
    let mut out = Issues::new();
    for f in &page.fields {
        if !matches!(f.kind, FieldKind::File { .. }) || !f.shown(page, answers) {
            continue;
        }
        let files = d.files.get(&f.id).cloned().unwrap_or_default();
        if let Some(issue) = upload_issue(&files) {
            out.push((f.id.clone(), issue));
        }
    }
    out
}

#[component]
fn Form(p: Procedure) -> impl IntoView {
    let Some(schema) = p.form.clone() else {
        return view! {
            <h1>{tr(|t| t.apply_not_online_title)}</h1>
            <p>{tr(|t| t.apply_not_online_body)}</p>
            <p><A href=format!("/services/{}", p.code)>{tr(|t| t.apply_back_to_procedure)}</A></p>
        }
        .into_any();
    };
    let code = p.code.clone();
    let draft = RwSignal::new(drafts::load(&code).unwrap_or_else(|| Draft {
        key: drafts::random_id(),
        procedure_name: p.name.clone(),
        ..Default::default()
    }));
    drafts::set_live(&code, draft);
    // Saved on every change; a device that refuses (full, private mode) is told.
    let unsaved = RwSignal::new(false);
    {
        let code = code.clone();
        Effect::new(move |first: Option<()>| {
            let d = draft.get();
            if first.is_some() && d != Draft::default() {
                let mut d = d;
                d.updated = drafts::now_ms();
                unsaved.set(!drafts::save(&code, &d));
            }
        });
    }
    // Files picked before a reload: restart the uploads that had not finished.
    draft.with_untracked(|d| {
        for (slot, files) in &d.files {
            for f in files.iter().filter(|f| f.upload.is_none()) {
                if !transfers().with_untracked(|m| m.contains_key(&f.local)) {
                    start_upload(code.clone(), slot.clone(), f.clone());
                }
            }
        }
    });
    let server_issues = RwSignal::new(Issues::new());
    let params = use_params_map();
    let query = use_query_map();
    let step = Memo::new(move |_| params.with(|p| p.get("step").unwrap_or_default()));
    let from_check = Memo::new(move |_| query.with(|q| q.get("from").as_deref() == Some("check")));
    let schema = StoredValue::new(schema);
    let name = p.name.clone();
    let ctx = Ctx {
        code: StoredValue::new(code.clone()),
        schema,
        draft,
        server_issues,
        name: StoredValue::new(name),
    };
    let banner = drafts::helper_mode().map(|h| {
        view! {
            <p class="notice">
                {move || fill(use_i18n().t().hp_banner, &[("helper", &h.name)])}
                " "<A href="/helper">{tr(|t| t.hp_home_link)}</A>
            </p>
        }
    });
    view! {
        {banner}
        {move || unsaved.get().then(|| view! { <p class="notice notice--warn" role="status">{tr(|t| t.draft_not_saved)}</p> })}
        {move || {
            let s = step.get();
            let s = s.trim_matches('/').to_string();
            if s.is_empty() {
                // Resume at the first page still to answer; all done: check answers.
                let first = schema.with_value(|sc| {
                    let d = draft.get_untracked();
                    let a = normalized(sc, &d);
                    let first = sc
                        .shown_pages(&a)
                        .find(|p| {
                            !validate::validate_page(sc, p, &a, today()).is_empty()
                                || !file_issues(p, &d, &a).is_empty()
                        })
                        .map(|p| p.id.clone());
                    first.unwrap_or_else(|| "check".into())
                });
                let path = format!("/services/{}/apply/{first}", ctx.code.get_value());
                view! { <Redirect path options=NavigateOptions { replace: true, ..Default::default() }/> }.into_any()
            } else if s == "check" {
                view! { <CheckAnswers ctx/> }.into_any()
            } else {
                match schema.with_value(|sc| sc.pages.iter().find(|p| p.id == s).cloned()) {
                    Some(page) => view! { <QuestionPage ctx page from_check=from_check.get_untracked()/> }.into_any(),
                    None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
                }
            }
        }}
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct Ctx {
    code: StoredValue<String>,
    schema: StoredValue<FormSchema>,
    draft: RwSignal<Draft>,
    server_issues: RwSignal<Issues>,
    name: StoredValue<Text>,
}

impl Ctx {
    fn url(&self, page: &str, from_check: bool) -> String {
        format!(
            "/services/{}/apply/{page}{}",
            self.code.get_value(),
            if from_check { "?from=check" } else { "" }
        )
    }

    fn set(&self, key: &str, value: String) {
        self.draft.update(|d| {
            d.answers.insert(key.to_string(), value);
        });
        // The citizen changed it: the server's old complaint no longer applies.
        if self.server_issues.with_untracked(|s| {
            s.iter()
                .any(|(k, _)| k == key || key.starts_with(&format!("{k}.")))
        }) {
            self.server_issues
                .update(|s| s.retain(|(k, _)| k != key && !key.starts_with(&format!("{k}."))));
        }
    }

    fn get(&self, key: &str) -> String {
        self.draft
            .with_untracked(|d| d.answers.get(key).cloned().unwrap_or_default())
    }
}
