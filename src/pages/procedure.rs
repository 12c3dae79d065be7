//! `/services/{code}`: everything about one procedure, laid out for a phone,
//! with the apply-online call to action where the procedure allows it.

use cuaso_domain::api::{is_procedure_code, Channel, Procedure};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError, Remote};
use crate::components::icons::{Icon, Svg};
use crate::components::procedure::{days_label, fee_label, level_label, online_class, online_label};
use crate::components::status::api_view;
use crate::i18n::{fill, tr, use_i18n};

#[component]
pub fn ProcedurePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let procedure = Remote::new(move || {
        let code = code.get();
        // The same shape check as the server: a malformed code never leaves the device.
        let request = is_procedure_code(&code).then(|| api::procedure(&code));
        async move {
            match request {
                Some(fut) => fut.await,
                None => Err(ApiError::Client {
                    status: 400,
                    body: ApiErrorBody::for_field(ErrorCode::InvalidCode, "code", "bad code"),
                }),
            }
        }
    });
    view! {
        <Title text=tr(|t| t.services_title)/>
        <p class="back-link">
            <A href="/services"><Svg icon=Icon::Back/>{tr(|t| t.back_to_services)}</A>
        </p>
        {api_view(procedure, true, |p| view! { <ProcedureView p/> })}
    }
}

#[component]
fn ProcedureView(p: Procedure) -> impl IntoView {
    let i18n = use_i18n();
    let p = StoredValue::new(p);
    let lang = move || i18n.locale().code();
    let tx = move |f: fn(&Procedure) -> &cuaso_domain::api::Text| {
        move || p.with_value(|p| f(p).get(lang()).to_string())
    };
    let online = p.with_value(|p| p.online);
    let apply_href = p.with_value(|p| format!("/services/{}/apply", p.code));
    let cta = move || {
        if online.can_apply_online() {
            view! {
                <A href=apply_href.clone() attr:class="btn btn-primary btn-block">{tr(|t| t.apply_online)}</A>
            }
            .into_any()
        } else {
            view! { <p class="notice">{tr(|t| t.apply_counter_only)}</p> }.into_any()
        }
    };
    let fees = move || p.with_value(|p| p.fees.clone());
    let days = move || {
        p.with_value(|p| {
            let base = days_label(i18n.t(), p.days);
            match &p.days_note {
                Some(n) => format!("{base}. {}", n.get(lang())),
                None => base,
            }
        })
    };
    let channel_label = move |c: Channel| match c {
        Channel::Online => i18n.t().channel_online,
        Channel::Counter => i18n.t().channel_counter,
        Channel::Post => i18n.t().channel_post,
    };

    view! {
        <Title text=tx(|p| &p.name)/>
        <article class="procedure">
            <header class="procedure__head">
                <h1>{tx(|p| &p.name)}</h1>
                <p class="procedure__badges">
                    <span class=online_class(online)>{move || online_label(i18n.t(), online)}</span>
                    <span class="badge">{move || p.with_value(|p| level_label(i18n.t(), p.level))}</span>
                </p>
            </header>
            <div class="cta">{cta.clone()}</div>

            <section aria-labelledby="facts-heading">
                <h2 id="facts-heading">{tr(|t| t.procedure_facts)}</h2>
                <dl class="facts">
                    <div><dt>{tr(|t| t.procedure_time)}</dt><dd>{days}</dd></div>
                    <div>
                        <dt>{tr(|t| t.procedure_fees)}</dt>
                        <dd>
                            <span class="fee-row">{move || format!("{}: {}", i18n.t().fee_online, fee_label(i18n.t(), fees().online))}</span>
                            <span class="fee-row">{move || format!("{}: {}", i18n.t().fee_counter, fee_label(i18n.t(), fees().counter))}</span>
                            {move || fees().note.map(|n| view! { <span class="fee-note">{n.get(lang()).to_string()}</span> })}
                        </dd>
                    </div>
                    <div><dt>{tr(|t| t.procedure_agency)}</dt><dd>{tx(|p| &p.agency)}</dd></div>
                    <div><dt>{tr(|t| t.procedure_field)}</dt><dd>{tx(|p| &p.field_name)}</dd></div>
                    <div><dt>{tr(|t| t.procedure_code)}</dt><dd class="code">{p.with_value(|p| p.code.clone())}</dd></div>
                </dl>
            </section>

            <section aria-labelledby="who-heading">
                <h2 id="who-heading">{tr(|t| t.procedure_applicants)}</h2>
                <p>{tx(|p| &p.applicants)}</p>
            </section>

            <section aria-labelledby="docs-heading">
                <h2 id="docs-heading">{tr(|t| t.procedure_documents)}</h2>
                <ul class="doc-list">
                    {move || p.with_value(|p| p.documents.clone()).into_iter().map(|d| {
                        let name = d.name.get(lang()).to_string();
                        let mut counts = Vec::new();
                        if d.originals > 0 {
                            counts.push(fill(i18n.t().doc_originals, &[("n", &d.originals.to_string())]));
                        }
                        if d.copies > 0 {
                            counts.push(fill(i18n.t().doc_copies, &[("n", &d.copies.to_string())]));
                        }
                        view! {
                            <li>
                                <span class="doc-name">{name}</span>
                                {d.conditional.then(|| view! { <span class="badge badge-soft">{i18n.t().doc_conditional}</span> })}
                                <span class="doc-count">{counts.join(" · ")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>

            <section aria-labelledby="steps-heading">
                <h2 id="steps-heading">{tr(|t| t.procedure_steps)}</h2>
                <ol class="steps">
                    {move || p.with_value(|p| p.steps.clone()).into_iter().map(|s| {
                        view! { <li>{s.get(lang()).to_string()}</li> }
                    }).collect_view()}
                </ol>
            </section>

            <section aria-labelledby="channels-heading">
                <h2 id="channels-heading">{tr(|t| t.procedure_channels)}</h2>
                <ul class="bullets">
                    {move || p.with_value(|p| p.channels.clone()).into_iter().map(|c| {
                        view! { <li>{channel_label(c)}</li> }
                    }).collect_view()}
                </ul>
            </section>

            <section aria-labelledby="result-heading">
                <h2 id="result-heading">{tr(|t| t.procedure_result)}</h2>
                <p>{tx(|p| &p.result)}</p>
            </section>

            <section aria-labelledby="legal-heading">
                <h2 id="legal-heading">{tr(|t| t.procedure_legal)}</h2>
                <ul class="bullets legal">
                    {p.with_value(|p| p.legal_basis.clone()).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
            </section>

            <div class="cta cta--bottom">{cta}</div>
        </article>
    }
}
