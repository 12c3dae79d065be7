//! `/track/{code}`: a dossier's status, a timeline in plain words, and what
//! the citizen can do now: send the documents asked for, pay, download the
//! result, rate, or withdraw ([`super::actions`]).
//!
//! The code alone shows the status only; the secret kept on this device (or
//! typed here) shows everything.

use cuaso_domain::money::format_vnd;
use cuaso_domain::status::{Actor, Status, Timeliness};
use cuaso_domain::form::size_label;
use cuaso_domain::track::{DossierPrivate, DossierView, TimelineEntry};
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::actions::{RatingForm, ResultDownload, SupplementForm, WithdrawForm};
use crate::api::{self, ApiError, Remote};
use crate::components::answers::{answer_rows, FileNames};
use crate::components::payment::payment_panel;
use crate::components::status::{ErrorPanel, Loading};
use crate::dates::date_vn;
use crate::drafts;
use crate::i18n::{fill, tr, use_i18n, Strings};

/// `2026-11-24T09:15:00+07:00` → `24/11/2026 09:15`.
fn when(at: &str) -> String {
    let time = at.get(11..16).unwrap_or("");
    format!("{} {time}", date_vn(at))
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
                        <SentAnswers procedure=v.procedure.clone() private=p.clone()/>
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

/// With the secret: what was sent, so the citizen can check it: who the
/// dossier is for and who submitted it, the answers as on "check your
/// answers", and the files with their sizes.
#[component]
fn SentAnswers(procedure: String, private: DossierPrivate) -> impl IntoView {
    let i18n = use_i18n();
    let form = Remote::new(move || api::procedure(&procedure));
    let p = StoredValue::new(private);
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let p = p.get_value();
        let mut files = FileNames::new();
        for f in &p.files {
            let line = format!("{} ({})", f.name, size_label(f.size, lang));
            files.entry(f.field.clone()).or_default().push(line);
        }
        let later = files.remove("supplement");
        // Without the form (not loaded, or gone): the files, in one row.
        let rows = match form.get() {
            Some(Ok(pr)) => pr.form.map(|sc| answer_rows(&sc, &p.answers, &files, None, lang, t).into_any()),
            _ => None,
        };
        let all_files = rows.is_none().then(|| files.values().flatten().cloned().collect::<Vec<_>>().join(", "));
        let row = |label: &'static str, v: String| view! {
            <div class="summary-row"><dt>{label}</dt><dd>{v}</dd></div>
        };
        view! {
            <section aria-labelledby="sent-heading">
                <h2 id="sent-heading">{t.sent_title}</h2>
                <dl class="facts">
                    <div><dt>{t.sent_applicant}</dt><dd class="strong">{p.applicant_name.clone()}</dd></div>
                    {match p.assisted_by.clone() {
                        Some(a) => view! {
                            <div><dt>{t.hp_assisted_by}</dt><dd>
                                {format!("{} ({}), {}", a.helper_name, a.helper, a.team)}
                                <span class="hint">{fill(t.hp_assisted_consent, &[("name", &a.citizen_name), ("date", &date_vn(&a.consent_at))])}</span>
                            </dd></div>
                        }.into_any(),
                        None => view! { <div><dt>{t.sent_by}</dt><dd>{t.sent_by_self}</dd></div> }.into_any(),
                    }}
                </dl>
                <dl class="summary-list">
                    {rows}
                    {all_files.filter(|f| !f.is_empty()).map(|f| row(t.sent_files, f))}
                    {later.map(|l| row(t.sent_supplements, l.join(", ")))}
                </dl>
            </section>
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
