//! `/services/{code}/apply/{page}`: the online application, one question
//! page at a time (GOV.UK question pages), then check answers, then submit.
//!
//! Every keystroke is saved on the device ([`crate::drafts`]); files are kept
//! in IndexedDB and uploaded in the background with progress and retry; the
//! submission carries the draft's idempotency key, so retries never make a
//! second dossier.

use cuaso_domain::api::{Procedure, Text};
use cuaso_domain::date::Date;
use cuaso_domain::form::{
    Answers, FieldKind, FormField, FormPage, FormSchema, NewDossier,
};
use cuaso_domain::validate::{self, Problem};
use cuaso_domain::{ErrorCode, FieldProblem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError, Remote};
use crate::components::error_summary::ErrorSummary;
use crate::components::file_upload::{slot_limits, start_upload, FileSlot, FileSlotProps, FileStore};
use crate::components::icons::{Icon, Svg};
use crate::components::status::api_view;
use crate::dates::today;
use crate::dom::{next_frame, scroll_top};
use crate::drafts::{self, Draft, HelperMode};
use crate::transfers::{transfers, Transfer};
use cuaso_domain::helper::{check_consent, AssistedDossier, Consent};
use crate::i18n::{fill, tr, use_i18n, Strings};

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

/// A problem found by the app, or one the server sent that this version
/// cannot word itself (then the server's message, already in our language).
#[derive(Clone, Debug, PartialEq)]
enum Issue {
    Rule(Problem),
    Server(String),
    /// A file is still uploading, or its upload failed.
    Uploading,
    UploadFailed,
}

impl Issue {
    fn message(&self, t: &'static Strings, lang: &str) -> String {
        match self {
            Issue::Rule(p) => p.message(lang),
            Issue::Server(m) => m.clone(),
            Issue::Uploading => t.file_wait_upload.into(),
            Issue::UploadFailed => t.file_upload_failed_fix.into(),
        }
    }
}

type Issues = Vec<(String, Issue)>;

fn from_server(p: &FieldProblem) -> (String, Issue) {
    let issue = match Problem::from_code(&p.code, &p.args) {
        Some(problem) => Issue::Rule(problem),
        None => Issue::Server(p.message.clone()),
    };
    (p.field.clone(), issue)
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
    let t = transfers().get_untracked();
    for f in &page.fields {
        if !matches!(f.kind, FieldKind::File { .. }) || !f.shown(page, answers) {
            continue;
        }
        let files = d.files.get(&f.id).cloned().unwrap_or_default();
        if files.iter().any(|r| r.upload.is_none()) {
            let failed = files.iter().any(|r| {
                r.upload.is_none() && !matches!(t.get(&r.local), Some(Transfer::Sending(_)))
            });
            out.push((
                f.id.clone(),
                if failed {
                    Issue::UploadFailed
                } else {
                    Issue::Uploading
                },
            ));
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

#[component]
fn QuestionPage(ctx: Ctx, page: FormPage, from_check: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let issues = RwSignal::new(Issues::new());
    let summary = NodeRef::<leptos::html::Div>::new();
    let page = StoredValue::new(page);
    // Position among the pages shown for the current answers.
    let position = move || {
        ctx.schema.with_value(|sc| {
            let a = ctx.draft.with(|d| normalized(sc, d));
            let shown: Vec<&str> = sc.shown_pages(&a).map(|p| p.id.as_str()).collect();
            let id = page.with_value(|p| p.id.clone());
            let i = shown.iter().position(|p| *p == id).unwrap_or(0);
            let prev = if i == 0 {
                None
            } else {
                Some(shown[i - 1].to_string())
            };
            let next = shown.get(i + 1).map(|s| s.to_string());
            (i + 1, shown.len(), prev, next)
        })
    };
    let back_href = move || {
        if from_check {
            ctx.url("check", false)
        } else {
            match position().2 {
                Some(prev) => ctx.url(&prev, false),
                None => format!("/services/{}", ctx.code.get_value()),
            }
        }
    };
    // Problems shown: the app's own after Continue, and the server's.
    let shown_issues = move || {
        let mut list = issues.get();
        for (k, v) in ctx.server_issues.get() {
            let on_page = ctx
                .schema
                .with_value(|sc| page_of(sc, &k).map(|p| p.id.clone()))
                == Some(page.with_value(|p| p.id.clone()));
            if on_page && !list.iter().any(|(lk, _)| *lk == k) {
                list.push((k, v));
            }
        }
        list
    };
    let summary_items = Signal::derive(move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        shown_issues()
            .into_iter()
            .map(|(k, issue)| {
                let id = ctx.schema.with_value(|sc| input_id(sc, &k));
                (format!("#{id}"), id, issue.message(t, lang))
            })
            .collect::<Vec<_>>()
    });
    let cont = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = ctx.schema.with_value(|sc| {
            let d = ctx.draft.get_untracked();
            let a = normalized(sc, &d);
            page.with_value(|p| {
                let mut list: Issues = validate::validate_page(sc, p, &a, today())
                    .into_iter()
                    .map(|(k, pr)| (k, Issue::Rule(pr)))
                    .collect();
                for (k, i) in file_issues(p, &d, &a) {
                    list.retain(|(lk, _)| *lk != k);
                    list.push((k, i));
                }
                list
            })
        });
        let server_left = ctx.server_issues.with_untracked(|s| {
            s.iter().any(|(k, _)| {
                ctx.schema
                    .with_value(|sc| page_of(sc, k).map(|p| p.id.clone()))
                    == Some(page.with_value(|p| p.id.clone()))
            })
        });
        if !found.is_empty() || server_left {
            issues.set(found);
            next_frame(move || {
                if let Some(el) = summary.get_untracked() {
                    let _ = el.focus();
                }
            });
            return;
        }
        issues.set(Vec::new());
        let next = if from_check {
            ctx.url("check", false)
        } else {
            match position().3 {
                Some(n) => ctx.url(&n, false),
                None => ctx.url("check", false),
            }
        };
        navigate(&next, Default::default());
        scroll_top();
    };
    let title = move || page.with_value(|p| p.title.get(i18n.locale().code()).to_string());
    let single = page.with_value(|p| p.fields.len() == 1 && p.fields[0].label == p.title);
    let fields = page.with_value(|p| p.fields.clone());
    let error_for = move |key: String| {
        Signal::derive(move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            shown_issues()
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, i)| i.message(t, lang))
        })
    };
    view! {
        <Title text=title/>
        <p class="back-link"><A href=back_href><Svg icon=Icon::Back/>{tr(|t| t.back)}</A></p>
        <form class="question" novalidate on:submit=cont>
            <ErrorSummary items=summary_items node=summary title_id="error-summary-title"/>
            <p class="step-count">
                {move || {
                    let (i, n, _, _) = position();
                    fill(i18n.t().apply_step, &[("i", &i.to_string()), ("n", &n.to_string())])
                }}
                <span class="step-count__name">{move || ctx.name.with_value(|n| n.get(i18n.locale().code()).to_string())}</span>
            </p>
            {(!single).then(|| view! { <h1>{title}</h1> })}
            {move || page.with_value(|p| p.help.as_ref().map(|h| view! { <p class="lead">{h.get(i18n.locale().code()).to_string()}</p> }))}
            {fields.into_iter().map(|f| {
                let f = StoredValue::new(f);
                let visible = move || {
                    ctx.schema.with_value(|sc| {
                        let a = ctx.draft.with(|d| normalized(sc, d));
                        page.with_value(|p| f.with_value(|f| f.shown(p, &a)))
                    })
                };
                let visible = Memo::new(move |_| visible());
                move || visible.get().then(|| field_view(ctx, f.get_value(), single, error_for))
            }).collect_view()}
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.continue_button)}</button>
        </form>
    }
}

/// One question: its label, hint, error and input(s).
fn field_view(
    ctx: Ctx,
    f: FormField,
    heading: bool,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let id = f.id.clone();
    let label = StoredValue::new(f.label.clone());
    let optional = f.optional;
    let label_text = move || {
        let t = i18n.t();
        let l = label.with_value(|l| l.get(i18n.locale().code()).to_string());
        if optional {
            format!("{l} {}", t.optional)
        } else {
            l
        }
    };
    let help = f.help.clone();
    let hint_id = format!("f-{id}-hint");
    let err_id = format!("f-{id}-error");
    let error = error_for(id.clone());
    let hint = {
        let hint_id = hint_id.clone();
        let kind = f.kind.clone();
        move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            let mut parts: Vec<String> = help.iter().map(|h| h.get(lang).to_string()).collect();
            if let FieldKind::File {
                accept,
                max_bytes,
                max_files,
            } = &kind
            {
                parts.push(slot_limits(t, lang, accept, *max_bytes));
                if *max_files > 1 {
                    parts.push(fill(t.file_max_files, &[("n", &max_files.to_string())]));
                }
            }
            let text = parts
                .iter()
                .map(|p| p.trim_end_matches('.'))
                .collect::<Vec<_>>()
                .join(". ");
            (!parts.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{text}</p> })
        }
    };
    let has_hint = f.help.is_some() || matches!(f.kind, FieldKind::File { .. });
    let describedby = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            let mut v = Vec::new();
            if has_hint {
                v.push(h.clone());
            }
            if error.get().is_some() {
                v.push(e.clone());
            }
            v.join(" ")
        }
    };
    let error_view = {
        let err_id = err_id.clone();
        move || {
            error.get().map(|m| view! {
                <p class="field-error" id=err_id.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            })
        }
    };
    let invalid = move || error.get().is_some().to_string();
    let group_class = move || {
        if error.get().is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    let max = f.max_len();
    let input_id = format!("f-{id}");

    // A plain one-line input.
    let line = |key: String,
                input_id: String,
                ty: &'static str,
                mode: Option<&'static str>,
                auto: Option<String>,
                width: &'static str| {
        let initial = ctx.get(&key);
        view! {
            <input class=format!("input {width}") id=input_id name=key.clone() type=ty inputmode=mode
                autocomplete=auto.unwrap_or_else(|| "off".into())
                spellcheck=if matches!(ty, "email" | "tel") || mode.is_some() { "false" } else { "true" }
                aria-describedby=describedby.clone() aria-invalid=invalid
                prop:value=initial
                on:input=move |ev| ctx.set(&key, event_target_value(&ev))/>
        }
    };

    let label_el = {
        let input_id = input_id.clone();
        move || {
            if heading {
                view! { <h1 class="label-heading"><label for=input_id.clone()>{label_text}</label></h1> }.into_any()
            } else {
                view! { <label class="label" for=input_id.clone()>{label_text}</label> }.into_any()
            }
        }
    };
    let legend = move || {
        if heading {
            view! { <legend class="legend-heading"><h1>{label_text}</h1></legend> }.into_any()
        } else {
            view! { <legend class="label">{label_text}</legend> }.into_any()
        }
    };

    match f.kind.clone() {
        FieldKind::Text { autocomplete } => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "text", None, autocomplete, "")}
            </div>
        }
        .into_any(),
        FieldKind::Cccd { .. } => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "text", Some("numeric"), None, "input--w12")}
            </div>
        }
        .into_any(),
        FieldKind::Phone => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "tel", Some("tel"), Some("tel".into()), "input--w12")}
            </div>
        }
        .into_any(),
        FieldKind::Email => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "email", Some("email"), Some("email".into()), "")}
            </div>
        }
        .into_any(),
        FieldKind::LongText => {
            let key = id.clone();
            let count = RwSignal::new(ctx.get(&key).chars().count());
            let initial = ctx.get(&key);
            view! {
                <div class=group_class>{label_el}{hint}{error_view}
                    <textarea class="textarea" id=input_id name=key.clone() rows="5"
                        aria-describedby={let key = key.clone(); move || format!("{} f-{}-count", describedby(), key)}
                        aria-invalid=invalid
                        prop:value=initial
                        on:input={let key = key.clone(); move |ev| {
                            let v = event_target_value(&ev);
                            count.set(v.chars().count());
                            ctx.set(&key, v);
                        }}></textarea>
                    <p class="hint char-count" id=format!("f-{id}-count") aria-live="polite">{move || {
                        let left = max as i64 - count.get() as i64;
                        let t = i18n.t();
                        if left >= 0 {
                            fill(t.chars_left, &[("n", &left.to_string())])
                        } else {
                            fill(t.chars_over, &[("n", &(-left).to_string())])
                        }
                    }}</p>
                </div>
            }.into_any()
        }
        FieldKind::Date { .. } => {
            let part = move |p: &'static str,
                             lab: fn(&'static Strings) -> &'static str,
                             w: &'static str| {
                let key = format!("{id}.{p}");
                let pid = format!("f-{id}-{p}");
                view! {
                    <div class="date-part">
                        <label class="date-part__label" for=pid.clone()>{tr(lab)}</label>
                        {line(key, pid, "text", Some("numeric"), None, w)}
                    </div>
                }
            };
            view! {
                <div class=group_class>
                    <fieldset class="fieldset" aria-describedby=describedby.clone()>
                        {legend}{hint}{error_view}
                        <div class="date-input">
                            {part("d", |t| t.date_day, "input--w2")}
                            {part("m", |t| t.date_month, "input--w2")}
                            {part("y", |t| t.date_year, "input--w4")}
                        </div>
                    </fieldset>
                </div>
            }
            .into_any()
        }
        FieldKind::Choice { options } => {
            let opts: Vec<(String, Text)> =
                options.into_iter().map(|o| (o.value, o.label)).collect();
            radios(
                ctx,
                id,
                opts,
                group_class,
                legend,
                hint,
                error_view,
                describedby,
            )
        }
        FieldKind::YesNo => {
            let opts = vec![
                (
                    "yes".to_string(),
                    Text {
                        vi: "Có".into(),
                        en: "Yes".into(),
                    },
                ),
                (
                    "no".to_string(),
                    Text {
                        vi: "Không".into(),
                        en: "No".into(),
                    },
                ),
            ];
            radios(
                ctx,
                id,
                opts,
                group_class,
                legend,
                hint,
                error_view,
                describedby,
            )
        }
        FieldKind::Address => {
            let pkey = format!("{id}.province");
            let initial = ctx.get(&pkey);
            let sub_error = move |k: String| error_for(k);
            let sub_id = id.clone();
            let sub = move |suffix: &'static str,
                            lab: fn(&'static Strings) -> &'static str,
                            auto: &'static str| {
                let id = &sub_id;
                let key = format!("{id}.{suffix}");
                let sid = format!("f-{id}-{suffix}");
                let err = sub_error(key.clone());
                let eid = format!("{sid}-error");
                view! {
                    <div class=move || if err.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                        <label class="label" for=sid.clone()>{tr(lab)}</label>
                        {let eid = eid.clone(); move || err.get().map(|m| view! { <p class="field-error" id=eid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
                        {let initial = ctx.get(&key); view! {
                            <input class="input" id=sid name=key.clone() type="text" autocomplete=auto
                                aria-invalid=move || err.get().is_some().to_string()
                                aria-describedby=move || if err.get().is_some() { eid.clone() } else { String::new() }
                                prop:value=initial on:input=move |ev| ctx.set(&key, event_target_value(&ev))/>
                        }}
                    </div>
                }
            };
            let perr = sub_error(pkey.clone());
            let pid = format!("f-{id}-province");
            let peid = format!("{pid}-error");
            view! {
                <div class=group_class>
                    <fieldset class="fieldset">
                        {legend}{hint}{error_view}
                        <div class=move || if perr.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                            <label class="label" for=pid.clone()>{tr(|t| t.address_province)}</label>
                            {let peid = peid.clone(); move || perr.get().map(|m| view! { <p class="field-error" id=peid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
                            <select class="select" id=pid name=pkey.clone() autocomplete="address-level1"
                                aria-invalid=move || perr.get().is_some().to_string()
                                on:change={let pkey = pkey.clone(); move |ev| ctx.set(&pkey, event_target_value(&ev))}>
                                <option value="" selected=initial.is_empty()>{tr(|t| t.address_choose_province)}</option>
                                {cuaso_domain::address::PROVINCES.iter().map(|(slug, name)| {
                                    view! { <option value=*slug selected=initial == *slug>{*name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        {sub("commune", |t| t.address_commune, "address-level2")}
                        {sub("street", |t| t.address_street, "street-address")}
                    </fieldset>
                </div>
            }.into_any()
        }
        FieldKind::File {
            accept,
            max_bytes,
            max_files,
        } => {
            let describedby = Signal::derive(describedby);
            let slot = FileSlot(FileSlotProps {
                store: FileStore {
                    code: ctx.code,
                    draft: ctx.draft,
                },
                slot: id,
                accept,
                max_bytes,
                max_files,
                describedby,
                input_id,
            });
            view! {
                <div class=group_class>
                    {label_el}{hint}{error_view}
                    {slot}
                </div>
            }
            .into_any()
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn radios(
    ctx: Ctx,
    id: String,
    opts: Vec<(String, Text)>,
    group_class: impl Fn() -> &'static str + Send + Sync + 'static,
    legend: impl Fn() -> AnyView + Send + Sync + 'static,
    hint: impl IntoView + 'static,
    error_view: impl IntoView + 'static,
    describedby: impl Fn() -> String + Send + Sync + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let current = ctx.get(&id);
    view! {
        <div class=group_class>
            <fieldset class="fieldset" aria-describedby=describedby>
                {legend}{hint}{error_view}
                <div class="radios">
                    {opts.into_iter().enumerate().map(|(i, (value, label))| {
                        let rid = format!("f-{id}-{i}");
                        let key = id.clone();
                        let checked = current == value;
                        let v = value.clone();
                        view! {
                            <div class="radio">
                                <input type="radio" id=rid.clone() name=id.clone() value=value prop:checked=checked
                                    on:change=move |_| ctx.set(&key, v.clone())/>
                                <label for=rid>{move || label.get(i18n.locale().code()).to_string()}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
    .into_any()
}

/// How an answer reads on the check page.
fn display(f: &FormField, a: &Answers, d: &Draft, lang: &str, t: &'static Strings) -> String {
    let v = a.get(&f.id).cloned().unwrap_or_default();
    match &f.kind {
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.value == v)
            .map(|o| o.label.get(lang).to_string())
            .unwrap_or(v),
        FieldKind::YesNo => match v.as_str() {
            "yes" => t.yes.into(),
            "no" => t.no.into(),
            _ => v,
        },
        FieldKind::Date { .. } => match Date::parse(&v) {
            Some(dt) => format!("{:02}/{:02}/{}", dt.day, dt.month, dt.year),
            None => v,
        },
        FieldKind::Address => {
            let g = |s: &str| a.get(&format!("{}.{s}", f.id)).cloned().unwrap_or_default();
            let province = cuaso_domain::address::PROVINCES
                .iter()
                .find(|(slug, _)| *slug == g("province"))
                .map(|(_, n)| n.to_string())
                .unwrap_or_default();
            [g("street"), g("commune"), province]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        }
        FieldKind::File { .. } => d
            .files
            .get(&f.id)
            .into_iter()
            .flatten()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        _ => v,
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Sending {
    Idle,
    Busy,
    /// Not sent: no connection. The answers are safe; it is sent again by
    /// itself when the connection returns.
    Waiting,
    Failed(ApiError),
}

#[component]
fn CheckAnswers(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let state = RwSignal::new(Sending::Idle);
    let summary = NodeRef::<leptos::html::Div>::new();
    let tried = RwSignal::new(false);
    // Helper mode: the citizen's consent, then the hand-over, not "my dossiers".
    let helper = drafts::helper_mode();
    let helper_on = helper.is_some();
    // Everything still wrong: the rules, files, then what the server said.
    let problems = Memo::new(move |_| {
        ctx.schema.with_value(|sc| {
            let d = ctx.draft.get();
            let a = normalized(sc, &d);
            let mut list: Issues = validate::validate_answers(sc, &a, today())
                .into_iter()
                .map(|(k, p)| (k, Issue::Rule(p)))
                .collect();
            for p in sc.shown_pages(&a) {
                list.extend(file_issues(p, &d, &a));
            }
            if helper_on {
                let c = d.consent.clone().unwrap_or_default();
                list.extend(check_consent(&c).into_iter().map(|(k, p)| (k, Issue::Rule(p))));
            }
            for (k, v) in ctx.server_issues.get() {
                if !list.iter().any(|(lk, _)| *lk == k) {
                    list.push((k, v));
                }
            }
            list
        })
    });
    let summary_items = Signal::derive(move || {
        if !tried.get() && ctx.server_issues.with(|s| s.is_empty()) {
            return Vec::new();
        }
        let t = i18n.t();
        let lang = i18n.locale().code();
        problems
            .get()
            .into_iter()
            .map(|(k, issue)| {
                if let Some(part) = k.strip_prefix("consent.") {
                    let id = format!("consent-{part}");
                    return (format!("#{id}"), id, issue.message(t, lang));
                }
                let page = ctx
                    .schema
                    .with_value(|sc| page_of(sc, &k).map(|p| p.id.clone()))
                    .unwrap_or_default();
                (ctx.url(&page, true), String::new(), issue.message(t, lang))
            })
            .collect::<Vec<_>>()
    });
    let send = {
        let navigate = navigate.clone();
        move || {
            if matches!(state.get_untracked(), Sending::Busy) {
                return;
            }
            tried.set(true);
            if !problems.with_untracked(|p| p.is_empty()) {
                next_frame(move || {
                    if let Some(el) = summary.get_untracked() {
                        let _ = el.focus();
                    }
                });
                return;
            }
            state.set(Sending::Busy);
            let (key, body, consent) = ctx.schema.with_value(|sc| {
                let d = ctx.draft.get_untracked();
                (
                    d.key.clone(),
                    NewDossier {
                        procedure: ctx.code.get_value(),
                        answers: normalized(sc, &d),
                    },
                    d.consent.clone().unwrap_or_default(),
                )
            });
            let lang = i18n.locale().code();
            let navigate = navigate.clone();
            let assisted = helper_on;
            leptos::task::spawn_local(async move {
                let sent = if assisted {
                    let req = AssistedDossier { dossier: body, consent };
                    api::submit_assisted(&key, &req, lang).await
                } else {
                    api::submit_dossier(&key, &body, lang).await
                };
                match sent {
                    Ok(receipt) => {
                        // A helper's device keeps the receipt only until the
                        // hand-over ends; a citizen's keeps it in "my dossiers".
                        let next = if assisted {
                            drafts::set_handover(&receipt);
                            format!("/helper/handover/{}", receipt.code)
                        } else {
                            drafts::remember(&receipt);
                            format!("/my/{}", receipt.code)
                        };
                        drafts::discard(&ctx.code.get_value());
                        state.set(Sending::Idle);
                        navigate(
                            &next,
                            NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                        scroll_top();
                    }
                    Err(ApiError::Client { body, .. })
                        if assisted
                            && matches!(body.code, ErrorCode::SessionRequired | ErrorCode::Forbidden) =>
                    {
                        // Signed out meanwhile: sign in again, then back here.
                        state.set(Sending::Idle);
                        let back = ctx.url("check", false);
                        navigate(
                            &format!("/helper/login?next={}", cuaso_domain::query::encode(&back)),
                            Default::default(),
                        );
                    }
                    Err(ApiError::Client { body, .. }) if body.code == ErrorCode::Validation => {
                        ctx.server_issues
                            .set(body.fields.iter().map(from_server).collect());
                        state.set(Sending::Idle);
                        next_frame(move || {
                            if let Some(el) = summary.get_untracked() {
                                let _ = el.focus();
                            }
                        });
                    }
                    Err(
                        ApiError::Offline
                        | ApiError::Unreachable
                        | ApiError::Timeout
                        | ApiError::Aborted,
                    ) => state.set(Sending::Waiting),
                    Err(e) => state.set(Sending::Failed(e)),
                }
            });
        }
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
    let rows = move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        ctx.schema.with_value(|sc| {
            let d = ctx.draft.get();
            let a = normalized(sc, &d);
            sc.shown_pages(&a)
                .flat_map(|p| {
                    p.fields
                        .iter()
                        .filter(|f| f.shown(p, &a))
                        .map(|f| {
                            let value = display(f, &a, &d, lang, t);
                            let label = f.label.get(lang).to_string();
                            let href = ctx.url(&p.id, true);
                            view! {
                                <div class="summary-row">
                                    <dt>{label.clone()}</dt>
                                    <dd>{if value.is_empty() { t.not_answered.to_string() } else { value }}</dd>
                                    <dd class="summary-row__action">
                                        <A href=href>{t.change}<span class="visually-hidden">{format!(" {label}")}</span></A>
                                    </dd>
                                </div>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect_view()
        })
    };
    let send_click = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send();
        }
    };
    let status = move || {
        let t = i18n.t();
        match state.get() {
            Sending::Idle => None,
            Sending::Busy => {
                Some(view! { <p class="notice" role="status">{t.submit_sending}</p> }.into_any())
            }
            Sending::Waiting => Some(
                view! {
                    <div class="notice notice--warn" role="alert">
                        <h2>{t.submit_waiting_title}</h2>
                        <p>{t.submit_waiting_body}</p>
                    </div>
                }
                .into_any(),
            ),
            Sending::Failed(e) => Some(
                view! {
                    <div class="notice notice--warn" role="alert">
                        <h2>{t.submit_failed_title}</h2>
                        <p>{t.submit_failed_body}</p>
                        <p class="hint">{e.to_string()}</p>
                    </div>
                }
                .into_any(),
            ),
        }
    };
    let is_helper = helper_on;
    let back = ctx.schema.with_value(|sc| {
        let a = ctx.draft.with_untracked(|d| normalized(sc, d));
        sc.shown_pages(&a)
            .last()
            .map(|p| p.id.clone())
            .unwrap_or_default()
    });
    view! {
        <Title text=tr(|t| t.check_title)/>
        <p class="back-link"><A href=ctx.url(&back, false)><Svg icon=Icon::Back/>{tr(|t| t.back)}</A></p>
        <ErrorSummary items=summary_items node=summary title_id="error-summary-title"/>
        <h1>{tr(|t| t.check_title)}</h1>
        <p class="lead">{move || ctx.name.with_value(|n| n.get(i18n.locale().code()).to_string())}</p>
        <dl class="summary-list">{rows}</dl>
        {match helper.clone() {
            Some(h) => view! { <ConsentPanel ctx helper=h problems tried/> }.into_any(),
            None => view! {
                <h2>{tr(|t| t.declaration_title)}</h2>
                <p>{tr(|t| t.declaration_body)}</p>
            }.into_any(),
        }}
        <form on:submit=send_click novalidate>
            {status}
            <button type="submit" class="btn btn-primary btn-block"
                aria-disabled=move || (state.get() == Sending::Busy).to_string()>
                {move || if state.get() == Sending::Waiting {
                    i18n.t().submit_retry
                } else if is_helper {
                    i18n.t().hp_submit
                } else {
                    i18n.t().submit_button
                }}
            </button>
        </form>
    }
}

/// Helper mode: the citizen reads this, ticks the box and gives their name
/// and phone; all of it is kept in the draft until it is sent.
#[component]
fn ConsentPanel(ctx: Ctx, helper: HelperMode, problems: Memo<Issues>, tried: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let consent = move || ctx.draft.with(|d| d.consent.clone().unwrap_or_default());
    let edit = move |f: &dyn Fn(&mut Consent)| {
        ctx.draft.update(|d| f(d.consent.get_or_insert_with(Consent::default)));
        ctx.server_issues.update(|s| s.retain(|(k, _)| !k.starts_with("consent.")));
    };
    let error = move |key: &'static str| {
        move || {
            if !tried.get() && ctx.server_issues.with(|s| s.is_empty()) {
                return None;
            }
            let t = i18n.t();
            let lang = i18n.locale().code();
            problems.with(|list| {
                list.iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, issue)| issue.message(t, lang))
            })
        }
    };
    let err_view = move |key: &'static str, id: &'static str| {
        move || {
            error(key)().map(|m| view! {
                <p class="field-error" id=id><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            })
        }
    };
    let group = move |key: &'static str| {
        move || if error(key)().is_some() { "form-group form-group--error" } else { "form-group" }
    };
    let statement = move || {
        fill(
            i18n.t().hp_consent_statement,
            &[("helper", &helper.name), ("team", &helper.team)],
        )
    };
    let initial = consent();
    view! {
        <section class="question consent" aria-labelledby="consent-title">
            <h2 id="consent-title">{tr(|t| t.hp_consent_title)}</h2>
            <p class="lead">{tr(|t| t.hp_consent_intro)}</p>
            <p>{statement}</p>
            <div class=group("consent.given")>
                {err_view("consent.given", "consent-given-error")}
                <div class="radio">
                    <input type="checkbox" id="consent-given" prop:checked=initial.given
                        aria-invalid=move || error("consent.given")().is_some().to_string()
                        aria-describedby=move || if error("consent.given")().is_some() { "consent-given-error" } else { "" }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(&|c| c.given = on);
                        }/>
                    <label for="consent-given">{tr(|t| t.hp_consent_box)}</label>
                </div>
            </div>
            <div class=group("consent.name")>
                <label class="label" for="consent-name">{tr(|t| t.hp_consent_name)}</label>
                {err_view("consent.name", "consent-name-error")}
                <input class="input" id="consent-name" type="text" autocomplete="off" prop:value=initial.name
                    aria-invalid=move || error("consent.name")().is_some().to_string()
                    aria-describedby=move || if error("consent.name")().is_some() { "consent-name-error" } else { "" }
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|c| c.name = v.clone());
                    }/>
            </div>
            <div class=group("consent.phone")>
                <label class="label" for="consent-phone">{tr(|t| t.hp_consent_phone)}</label>
                <p class="hint" id="consent-phone-hint">{tr(|t| t.hp_consent_phone_hint)}</p>
                {err_view("consent.phone", "consent-phone-error")}
                <input class="input input--w12" id="consent-phone" type="tel" inputmode="tel" autocomplete="off" prop:value=initial.phone
                    aria-invalid=move || error("consent.phone")().is_some().to_string()
                    aria-describedby=move || if error("consent.phone")().is_some() { "consent-phone-hint consent-phone-error" } else { "consent-phone-hint" }
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|c| c.phone = v.clone());
                    }/>
            </div>
        </section>
    }
}
