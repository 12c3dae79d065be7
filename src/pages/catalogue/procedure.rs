//! `/services/{code}`: everything about one procedure, laid out for a phone,
//! with the apply-online call to action where the procedure allows it.

use cuaso_domain::api::{Channel, Procedure};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, Remote};
use crate::components::icons::{Icon, Svg};
use crate::components::procedure::{
    days_label, fee_label, level_label, online_class, online_label,
};
use crate::components::status::api_view;
use crate::i18n::{fill, tr, use_i18n, Strings};

#[component]
pub fn ProcedurePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let procedure = Remote::new(move || api::procedure(&code.get()));
    view! {
        <Title text=tr(|t| t.services_title)/>
        <p class="back-link">
            <A href="/services"><Svg icon=Icon::Back/>{tr(|t| t.back_to_services)}</A>
        </p>
        {api_view(procedure, true, |p| view! { <ProcedureView p/> })}
    }
}

/// The procedure itself. It renders plain text and is rebuilt as a whole when
/// the language changes (rare), which keeps the wasm far smaller than one
/// reactive binding per string.
#[component]
fn ProcedureView(p: Procedure) -> impl IntoView {
    let i18n = use_i18n();
    move || render(&p, i18n.t(), i18n.locale().code())
}

fn render(p: &Procedure, t: &'static Strings, lang: &'static str) -> AnyView {
    let has_draft = crate::drafts::load(&p.code).is_some();
    // Straight to the first question (or, with a draft, where it resumes).
    let first = p
        .form
        .as_ref()
        .and_then(|f| f.pages.first())
        .filter(|_| !has_draft)
        .map(|pg| format!("/{}", pg.id))
        .unwrap_or_default();
    let cta = || {
        if p.form.is_some() {
            view! {
                <A href=format!("/services/{}/apply{first}", p.code) attr:class="btn btn-primary btn-block">
                    {if has_draft { t.draft_continue } else { t.apply_online }}
                </A>
            }
            .into_any()
        } else if p.online.can_apply_online() {
            view! { <p class="notice">{t.apply_national_portal}</p> }.into_any()
        } else {
            view! { <p class="notice">{t.apply_counter_only}</p> }.into_any()
        }
    };
    let days = match &p.days_note {
        Some(n) => format!("{}. {}", days_label(t, p.days), n.get(lang)),
        None => days_label(t, p.days),
    };
    let channel = |c: &Channel| match c {
        Channel::Online => t.channel_online,
        Channel::Counter => t.channel_counter,
        Channel::Post => t.channel_post,
    };
    let documents = p
        .documents
        .iter()
        .map(|d| {
            let mut counts = Vec::new();
            if d.originals > 0 {
                counts.push(fill(t.doc_originals, &[("n", &d.originals.to_string())]));
            }
            if d.copies > 0 {
                counts.push(fill(t.doc_copies, &[("n", &d.copies.to_string())]));
            }
            view! {
                <li>
                    <span class="doc-name">{d.name.get(lang).to_string()}</span>
                    {d.conditional.then(|| view! { <span class="badge badge-soft">{t.doc_conditional}</span> })}
                    <span class="doc-count">{counts.join(" · ")}</span>
                </li>
            }
        })
        .collect_view();
    let text = |x: &cuaso_domain::api::Text| x.get(lang).to_string();
    view! {
        <Title text=text(&p.name)/>
        <article class="procedure">
            <header class="procedure__head">
                <h1>{text(&p.name)}</h1>
                <p class="procedure__badges">
                    <span class=online_class(p.online)>{online_label(t, p.online)}</span>
                    <span class="badge">{level_label(t, p.level)}</span>
                </p>
            </header>
            {has_draft.then(|| {
                let code = p.code.clone();
                let gone = RwSignal::new(false);
                let discard = move |_| {
                    crate::drafts::discard(&code);
                    gone.set(true);
                };
                view! {
                    <div class="notice" role="status">
                        {move || if gone.get() { t.draft_discarded } else { t.draft_exists }}
                        {move || (!gone.get()).then(|| view! {
                            <button type="button" class="btn btn-link" on:click=discard.clone()>{t.draft_discard}</button>
                        })}
                    </div>
                }
            })}
            <div class="cta">{cta()}</div>

            <section aria-labelledby="facts-heading">
                <h2 id="facts-heading">{t.procedure_facts}</h2>
                <dl class="facts">
                    <div><dt>{t.procedure_time}</dt><dd>{days}</dd></div>
                    <div>
                        <dt>{t.procedure_fees}</dt>
                        <dd>
                            <span class="fee-row">{format!("{}: {}", t.fee_online, fee_label(t, p.fees.online))}</span>
                            <span class="fee-row">{format!("{}: {}", t.fee_counter, fee_label(t, p.fees.counter))}</span>
                            {p.fees.note.as_ref().map(|n| view! { <span class="fee-note">{text(n)}</span> })}
                        </dd>
                    </div>
                    <div><dt>{t.procedure_agency}</dt><dd>{text(&p.agency)}</dd></div>
                    <div><dt>{t.procedure_field}</dt><dd>{text(&p.field_name)}</dd></div>
                    <div><dt>{t.procedure_code}</dt><dd class="code">{p.code.clone()}</dd></div>
                </dl>
            </section>

            <section aria-labelledby="who-heading">
                <h2 id="who-heading">{t.procedure_applicants}</h2>
                <p>{text(&p.applicants)}</p>
            </section>

            <section aria-labelledby="docs-heading">
                <h2 id="docs-heading">{t.procedure_documents}</h2>
                <ul class="doc-list">{documents}</ul>
            </section>

            <section aria-labelledby="steps-heading">
                <h2 id="steps-heading">{t.procedure_steps}</h2>
                <ol class="steps">
                    {p.steps.iter().map(|s| view! { <li>{text(s)}</li> }).collect_view()}
                </ol>
            </section>

            <section aria-labelledby="channels-heading">
                <h2 id="channels-heading">{t.procedure_channels}</h2>
                <ul class="bullets">
                    {p.channels.iter().map(|c| view! { <li>{channel(c)}</li> }).collect_view()}
                </ul>
            </section>

            <section aria-labelledby="result-heading">
                <h2 id="result-heading">{t.procedure_result}</h2>
                <p>{text(&p.result)}</p>
            </section>

            <section aria-labelledby="legal-heading">
                <h2 id="legal-heading">{t.procedure_legal}</h2>
                <ul class="bullets legal">
                    {p.legal_basis.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                </ul>
            </section>

            <div class="cta cta--bottom">{cta()}</div>
        </article>
    }
    .into_any()
}
