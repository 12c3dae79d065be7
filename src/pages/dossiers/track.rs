//! `/track`: look a dossier up by its code (and secret); `/track/{code}`: its
//! status, a timeline in plain words, and what the citizen can do now: send
//! the documents asked for, pay, download the result, rate, or withdraw.
//!
//! The code alone shows the status only; the secret kept on this device (or
//! typed here) shows everything.

use cuaso_domain::money::format_vnd;
use cuaso_domain::status::{Actor, Status, Timeliness};
use cuaso_domain::track::{
    DossierView, Rating, Supplement, TimelineEntry, Withdrawal, MAX_COMMENT,
};
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Remote};
use crate::components::file_upload::{slot_limits, FileSlot, FileSlotProps, FileStore};
use crate::components::payment::payment_panel;
use crate::components::status::{ErrorPanel, Loading};
use crate::drafts;
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::dates::date_vn;

/// `2026-11-24T09:15:00+07:00` → `24/11/2026 09:15`.
fn when(at: &str) -> String {
    let time = at.get(11..16).unwrap_or("");
    format!("{} {time}", date_vn(at))
}

#[component]
pub fn TrackLookup() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = cuaso_domain::track::normalize_code(&code.get_untracked()) else {
            error.set(true);
            return;
        };
        error.set(false);
        let s = secret.get_untracked().trim().to_uppercase();
        if !s.is_empty() {
            drafts::track_update(&c, |t| t.secret = Some(s));
        }
        navigate(&format!("/track/{c}"), Default::default());
    };
    view! {
        <Title text=tr(|t| t.track_title)/>
        <h1>{tr(|t| t.track_title)}</h1>
        <p class="lead">{tr(|t| t.track_intro)}</p>
        <form class="question" novalidate on:submit=submit>
            <div class=move || if error.get() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="track-code">{tr(|t| t.track_code_label)}</label>
                <p class="hint" id="track-code-hint">{tr(|t| t.track_code_hint)}</p>
                {move || error.get().then(|| view! {
                    <p class="field-error" id="track-code-error" role="alert">{tr(|t| t.track_code_error)}</p>
                })}
                <input class="input" id="track-code" name="code" type="text" autocomplete="off" spellcheck="false"
                    autocapitalize="characters"
                    aria-describedby=move || if error.get() { "track-code-hint track-code-error" } else { "track-code-hint" }
                    aria-invalid=move || error.get().to_string()
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            </div>
            <div class="form-group">
                <label class="label" for="track-secret">{move || format!("{} {}", i18n.t().track_secret_label, i18n.t().optional)}</label>
                <p class="hint" id="track-secret-hint">{tr(|t| t.track_secret_hint)}</p>
                <input class="input input--w12" id="track-secret" name="secret" type="text" autocomplete="off"
                    spellcheck="false" autocapitalize="characters" aria-describedby="track-secret-hint"
                    prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.track_button)}</button>
        </form>
        <p class="link-more"><A href="/my">{tr(|t| t.my_title)}</A></p>
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let secret = RwSignal::new(drafts::secret_for(&code.get_untracked()));
    // A hand-over link carries the secret in the fragment (`#s=`): use it,
    // keep it on this device (below, once it opens the dossier) and take it
    // out of the address bar and the history.
    let location = leptos_router::hooks::use_location();
    if let Some(s) = location.hash.get_untracked().strip_prefix("#s=").filter(|s| !s.is_empty()) {
        secret.set(Some(s.trim().to_uppercase()));
        let path = location.pathname.get_untracked();
        let navigate = leptos_router::hooks::use_navigate();
        request_animation_frame(move || {
            navigate(&path, leptos_router::NavigateOptions { replace: true, ..Default::default() })
        });
    }
    let view = Remote::new(move || {
        let c = code.get();
        api::dossier(&c, secret.get().as_deref(), i18n.locale().code())
    });
    // What this device knows: the latest status, now seen.
    Effect::new(move |_| {
        if let Some(Ok(v)) = view.get() {
            let known = drafts::tracked().iter().any(|t| t.code == v.code);
            if known || v.private.is_some() {
                drafts::track_update(&v.code, |t| {
                    t.status = Some(v.status.code());
                    t.seen = Some(v.status.code());
                    t.checked = drafts::now_ms();
                    t.name = v.procedure_name.clone();
                    if v.private.is_some() {
                        t.secret = secret.get_untracked();
                    }
                });
            }
        }
    });
    let body = move || match view.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(v)) => dossier_view(v, secret, view).into_any(),
        Some(Err(ApiError::Client { body, .. })) if body.code == ErrorCode::DossierNotFound => {
            let had_secret = secret.get_untracked().is_some();
            let t = i18n.t();
            view! {
                <Title text=t.track_not_found_title/>
                <div class="error-panel" role="alert">
                    <h1>{t.track_not_found_title}</h1>
                    <p>{if had_secret { t.track_not_found_secret } else { t.track_not_found_body }}</p>
                    <div class="actions">
                        {had_secret.then(|| view! {
                            <button type="button" class="btn btn-primary" on:click=move |_| secret.set(None)>
                                {t.track_without_secret}
                            </button>
                        })}
                        <A href="/track" attr:class="btn btn-secondary">{t.track_again}</A>
                    </div>
                </div>
            }
            .into_any()
        }
        Some(Err(error)) => {
            view! { <ErrorPanel error main=true retry=move || view.refetch()/> }.into_any()
        }
    };
    view! {
        <p class="back-link"><A href="/my">{tr(|t| t.my_title)}</A></p>
        {body}
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::NotAccepted | Status::Stopped | Status::Withdrawn => "badge badge-bad",
        Status::SupplementRequested | Status::PaymentRequested => "badge badge-partial",
        Status::Done | Status::Returned => "badge badge-full",
        _ => "badge",
    }
}

fn timeliness_text(t: &'static Strings, lang: &str, x: Timeliness) -> Option<String> {
    let _ = t;
    x.label(lang)
}

fn entry_view(e: TimelineEntry, t: &'static Strings, lang: &'static str) -> impl IntoView {
    let d = e.details.clone();
    let who = d.as_ref().map(|d| match d.actor {
        Actor::Citizen => t.actor_citizen,
        Actor::Officer => t.actor_officer,
        Actor::System => t.actor_system,
    });
    view! {
        <li class=format!("timeline__item timeline__item--{}", e.status.code())>
            <p class="timeline__status">{e.status.name(lang)}</p>
            <p class="timeline__when">
                {when(&e.at)}
                {who.map(|w| format!(" · {w}"))}
            </p>
            {d.map(|d| view! {
                {d.payment_confirmed.then(|| view! {
                    <p class="timeline__paid">{fill(t.paid_line, &[("amount", &format_vnd(d.amount.unwrap_or(0)))])}</p>
                })}
                {(!d.payment_confirmed).then(|| d.amount.map(|a| view! {
                    <p>{fill(t.amount_line, &[("amount", &format_vnd(a))])}</p>
                }))}
                {d.reason.map(|r| view! { <p class="timeline__reason">{r}</p> })}
                {(!d.documents.is_empty()).then(|| view! {
                    <ul class="bullets">{d.documents.into_iter().map(|m| view! { <li>{m.name}</li> }).collect_view()}</ul>
                })}
            })}
        </li>
    }
}

fn dossier_view(
    v: DossierView,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let v = StoredValue::new(v);
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let v = v.get_value();
        let private = v.private.clone();
        // The latest reason, shown prominently when refused or stopped.
        let last_reason = v
            .timeline
            .last()
            .and_then(|e| e.details.as_ref())
            .and_then(|d| d.reason.clone());
        let stopped = matches!(v.status, Status::NotAccepted | Status::Stopped);
        let mut timeline = v.timeline.clone();
        timeline.reverse();
        let code = v.code.clone();
        view! {
            <Title text=v.procedure_name.get(lang).to_string()/>
            <article class="dossier">
                <header class="dossier__head">
                    <p class="dossier__code code">{v.code.clone()}</p>
                    <h1>{v.procedure_name.get(lang).to_string()}</h1>
                    <p><span class=status_class(v.status)>{v.status.name(lang)}</span></p>
                    {timeliness_text(t, lang, v.timeliness).map(|s| view! { <p class="dossier__time strong">{s}</p> })}
                </header>
                {stopped.then(|| view! {
                    <div class="notice notice--bad" role="alert">
                        <h2>{if v.status == Status::NotAccepted { t.reason_not_accepted } else { t.reason_stopped }}</h2>
                        <p>{last_reason.clone().unwrap_or_else(|| t.reason_needs_secret.to_string())}</p>
                    </div>
                })}
                <dl class="facts">
                    <div><dt>{t.receipt_received}</dt><dd>{date_vn(&v.received_at)}</dd></div>
                    <div><dt>{t.receipt_promised}</dt><dd class="strong">{date_vn(&v.promised_date)}</dd></div>
                    {(v.deadline != v.promised_date).then(|| view! {
                        <div><dt>{t.deadline_label}</dt><dd>{date_vn(&v.deadline)}<span class="hint">{t.deadline_hint}</span></dd></div>
                    })}
                    {private.as_ref().and_then(|p| p.assisted_by.clone()).map(|a| view! {
                        <div><dt>{t.hp_assisted_by}</dt><dd>
                            {format!("{} ({}), {}", a.helper_name, a.helper, a.team)}
                            <span class="hint">{fill(t.hp_assisted_consent, &[("name", &a.citizen_name), ("date", &date_vn(&a.consent_at))])}</span>
                        </dd></div>
                    })}
                </dl>
                {private.clone().map(|p| {
                    let code = code.clone();
                    view! {
                        {(v.status == Status::SupplementRequested && !p.missing_documents.is_empty()).then(|| {
                            view! { <SupplementForm code=code.clone() secret=secret remote=remote docs=p.missing_documents.clone()/> }
                        })}
                        {p.payment_due.clone().filter(|_| v.status == Status::PaymentRequested).map(|d| payment_panel(d.amount, &d.account, &d.purpose, t))}
                        {p.result.clone().filter(|_| matches!(v.status, Status::Done | Status::Returned)).map(|f| {
                            view! { <ResultDownload code=code.clone() secret=secret name=f.name/> }
                        })}
                        {p.can_rate.then(|| view! { <RatingForm code=code.clone() secret=secret remote=remote/> })}
                        {p.rating.clone().map(|r| view! {
                            <p class="notice">{fill(t.rated, &[("n", &r.stars.to_string())])}</p>
                        })}
                    }
                })}
                <section aria-labelledby="timeline-heading">
                    <h2 id="timeline-heading">{t.timeline_title}</h2>
                    <ol class="timeline">
                        {timeline.into_iter().map(|e| entry_view(e, t, lang)).collect_view()}
                    </ol>
                </section>
                {match private.clone() {
                    Some(p) => view! {
                        <section aria-labelledby="contact-heading">
                            <h2 id="contact-heading">{t.contact_title}</h2>
                            <p class="strong">{p.agency.get(lang).to_string()}</p>
                            <p>{p.contact.get(lang).to_string()}</p>
                        </section>
                        {p.can_withdraw.then(|| view! { <WithdrawForm code=code.clone() secret=secret remote=remote/> })}
                    }.into_any(),
                    None => view! { <SecretForm code=code.clone() secret=secret/> }.into_any(),
                }}
            </article>
        }
    }
}

/// Without the secret: where to type it to see everything.
#[component]
fn SecretForm(code: String, secret: RwSignal<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = typed.get_untracked().trim().to_uppercase();
        if !s.is_empty() {
            let _ = &code;
            secret.set(Some(s));
        }
    };
    view! {
        <section class="question" aria-labelledby="secret-heading">
            <h2 id="secret-heading">{tr(|t| t.secret_title)}</h2>
            <p>{tr(|t| t.secret_body)}</p>
            <form novalidate on:submit=submit>
                <div class="form-group">
                    <label class="label" for="dossier-secret">{tr(|t| t.track_secret_label)}</label>
                    <input class="input input--w12" id="dossier-secret" type="text" autocomplete="off" spellcheck="false"
                        autocapitalize="characters" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-secondary">{tr(|t| t.secret_button)}</button>
            </form>
        </section>
    }
}

/// A friendly one-line error for an action that failed.
fn action_error(e: &ApiError, t: &'static Strings, lang: &str) -> String {
    match e {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout | ApiError::Aborted => {
            t.action_offline.to_string()
        }
        ApiError::Client { body, .. } => {
            if let Some(p) = body.fields.first() {
                cuaso_domain::validate::Problem::from_code(&p.code, &p.args)
                    .map(|pr| pr.message(lang))
                    .unwrap_or_else(|| p.message.clone())
            } else {
                body.message.clone()
            }
        }
        ApiError::Server { .. } => t.action_failed.to_string(),
    }
}

/// Status 5: the documents asked for, each with an upload slot, and Send.
#[component]
fn SupplementForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
    docs: Vec<cuaso_domain::track::MissingDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!("{}{code}", drafts::SUPPLEMENT);
    let draft = RwSignal::new(drafts::load(&key).unwrap_or_default());
    drafts::set_live(&key, draft);
    {
        let key = key.clone();
        Effect::new(move |first: Option<()>| {
            let d = draft.get();
            if first.is_some() {
                drafts::save(&key, &d);
            }
        });
    }
    let store = FileStore {
        code: StoredValue::new(key.clone()),
        draft,
    };
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let n = docs.len();
    let send = {
        let key = key.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let t = i18n.t();
            let d = draft.get_untracked();
            let mut files = Vec::new();
            for i in 0..n {
                let refs = d.files.get(&format!("doc{i}")).cloned().unwrap_or_default();
                if refs.is_empty() {
                    error.set(Some(t.supplement_missing.into()));
                    return;
                }
                if refs.iter().any(|r| r.upload.is_none()) {
                    error.set(Some(t.file_wait_upload.into()));
                    return;
                }
                files.push(refs.into_iter().filter_map(|r| r.upload).collect());
            }
            let Some(s) = secret.get_untracked() else {
                return;
            };
            error.set(None);
            busy.set(true);
            let code = code.clone();
            let key = key.clone();
            let lang = i18n.locale().code();
            leptos::task::spawn_local(async move {
                let body = Supplement { files, note: None };
                match api::send_supplement(&code, &s, &body, lang).await {
                    Ok(_) => {
                        drafts::discard(&key);
                        remote.refetch();
                    }
                    Err(e) => {
                        error.set(Some(action_error(&e, i18n.t(), lang)));
                        busy.set(false);
                    }
                }
            });
        }
    };
    view! {
        <section class="question action" aria-labelledby="supplement-heading">
            <h2 id="supplement-heading">{tr(|t| t.supplement_title)}</h2>
            <p>{tr(|t| t.supplement_intro)}</p>
            <form novalidate on:submit=send>
                {docs.into_iter().enumerate().map(|(i, d)| {
                    let input_id = format!("supplement-{i}");
                    let hint_id = format!("{input_id}-hint");
                    let slot = FileSlot(FileSlotProps {
                        store,
                        slot: format!("doc{i}"),
                        accept: d.accept.clone(),
                        max_bytes: d.max_bytes,
                        max_files: d.max_files,
                        describedby: Signal::derive({ let h = hint_id.clone(); move || h.clone() }),
                        input_id: input_id.clone(),
                    });
                    let limits = move || slot_limits(i18n.t(), i18n.locale().code(), &d.accept, d.max_bytes);
                    view! {
                        <div class="form-group">
                            <p class="label">{d.name.clone()}</p>
                            {d.why.clone().map(|w| view! { <p class="timeline__reason">{w}</p> })}
                            <p class="hint" id=hint_id>{limits}</p>
                            {slot}
                        </div>
                    }
                }).collect_view()}
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <button type="submit" class="btn btn-primary btn-block" aria-disabled=move || busy.get().to_string()>
                    {tr(|t| t.supplement_send)}
                </button>
            </form>
        </section>
    }
}

/// Status 9/10: the result file.
#[component]
fn ResultDownload(code: String, secret: RwSignal<Option<String>>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let download = move |_| {
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let code = code.clone();
        let name = name.clone();
        leptos::task::spawn_local(async move {
            match api::result_file(&code, &s).await {
                Ok(blob) => {
                    error.set(None);
                    save_blob(&blob, &name);
                }
                Err(e) => error.set(Some(action_error(&e, i18n.t(), i18n.locale().code()))),
            }
        });
    };
    view! {
        <section class="question action" aria-labelledby="result-heading">
            <h2 id="result-heading">{tr(|t| t.result_title)}</h2>
            <p>{tr(|t| t.result_body)}</p>
            <button type="button" class="btn btn-primary" on:click=download>{tr(|t| t.result_download)}</button>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}

/// Saves a blob as a file through a temporary link.
fn save_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Status 10: 1–5 stars and an optional comment, once.
#[component]
fn RatingForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        if stars.get_untracked() == 0 {
            error.set(Some(t.rating_choose.into()));
            return;
        }
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let c = comment.get_untracked().trim().to_string();
        let r = Rating {
            stars: stars.get_untracked(),
            comment: (!c.is_empty()).then_some(c),
        };
        let code = code.clone();
        let lang = i18n.locale().code();
        leptos::task::spawn_local(async move {
            match api::rate(&code, &s, &r, lang).await {
                Ok(_) => remote.refetch(),
                Err(e) => error.set(Some(action_error(&e, i18n.t(), lang))),
            }
        });
    };
    view! {
        <section class="question action" aria-labelledby="rating-heading">
            <h2 id="rating-heading">{tr(|t| t.rating_title)}</h2>
            <form novalidate on:submit=submit>
                <fieldset class="fieldset">
                    <legend class="label">{tr(|t| t.rating_question)}</legend>
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <div class="radios rating">
                        {(1..=5u8).map(|n| {
                            let id = format!("rating-{n}");
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name="rating" value=n.to_string()
                                        on:change=move |_| stars.set(n)/>
                                    <label for=id>{move || fill(i18n.t().rating_stars, &[("n", &n.to_string())])}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="form-group">
                    <label class="label" for="rating-comment">{move || format!("{} {}", i18n.t().rating_comment, i18n.t().optional)}</label>
                    <textarea class="textarea" id="rating-comment" rows="3" maxlength=MAX_COMMENT.to_string()
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="btn btn-primary">{tr(|t| t.rating_send)}</button>
            </form>
        </section>
    }
}

/// Withdraw, with a confirmation step.
#[component]
fn WithdrawForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirm = move |_| {
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let code = code.clone();
        let lang = i18n.locale().code();
        leptos::task::spawn_local(async move {
            match api::withdraw(&code, &s, &Withdrawal::default(), lang).await {
                Ok(_) => remote.refetch(),
                Err(e) => error.set(Some(action_error(&e, i18n.t(), lang))),
            }
        });
    };
    view! {
        <section class="withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{tr(|t| t.withdraw_title)}</h2>
            {move || if asking.get() {
                let confirm = confirm.clone();
                view! {
                    <div class="notice notice--warn" role="alert">
                        <p>{tr(|t| t.withdraw_confirm_body)}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-danger" on:click=confirm>{tr(|t| t.withdraw_confirm)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| asking.set(false)>{tr(|t| t.withdraw_cancel)}</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p>{tr(|t| t.withdraw_body)}</p>
                    <button type="button" class="btn btn-secondary" on:click=move |_| asking.set(true)>{tr(|t| t.withdraw_button)}</button>
                }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}
