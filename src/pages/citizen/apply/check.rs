//! "Check your answers", then sending the application (with the draft's
//! idempotency key, so a retry never makes a second dossier; without a
//! connection it waits and goes by itself when the connection returns).

use cuaso_domain::form::NewDossier;
use cuaso_domain::helper::{check_consent, AssistedDossier};
use cuaso_domain::validate;
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::consent::ConsentPanel;
use super::{file_issues, from_server, message, normalized, page_of, Ctx, Issue, Issues};
use crate::components::privacy::{PrivacyNote, Purpose};
use crate::api::{self, ApiError};
use crate::components::answers::{answer_rows, FileNames};
use crate::components::error_summary::ErrorSummary;
use crate::components::icons::{Icon, Svg};
use crate::dates::today;
use crate::dom::{next_frame, scroll_top};
use crate::drafts;
use crate::forms::{send_when_online, Sending};
use crate::i18n::{tr, use_i18n};

#[component]
pub(super) fn CheckAnswers(ctx: Ctx) -> impl IntoView {
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
                    return (format!("#{id}"), id, message(&issue, t, lang));
                }
                let page = ctx
                    .schema
                    .with_value(|sc| page_of(sc, &k).map(|p| p.id.clone()))
                    .unwrap_or_default();
                (ctx.url(&page, true), String::new(), message(&issue, t, lang))
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
            let citizen = consent.name.clone();
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
                            drafts::set_handover(&receipt, &citizen);
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
                            && matches!(body.code, ErrorCode::SessionRequired | ErrorCode::CsrfRequired | ErrorCode::Forbidden) =>
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
                    Err(e) => state.set(Sending::after(e)),
                }
            });
        }
    };
    send_when_online(state, send.clone());
    let rows = move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        ctx.schema.with_value(|sc| {
            let d = ctx.draft.get();
            let a = normalized(sc, &d);
            let files: FileNames = d
                .files
                .iter()
                .map(|(slot, fs)| (slot.clone(), fs.iter().map(|r| r.name.clone()).collect()))
                .collect();
            let change = |page: &str| ctx.url(page, true);
            answer_rows(sc, &a, &files, Some(&change), lang, t)
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
                <PrivacyNote purpose=Purpose::Dossier/>
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
