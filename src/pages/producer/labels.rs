//! `/producer/products/{gtin}/batches/{lot}/labels`: a sheet of batch labels
//! to print on A4: the GS1 Digital Link QR code sized in millimetres (module
//! and quiet zone as GS1 asks, `label::qr_fit`) with the product name, GTIN,
//! lot and expiry under it. Only the sheets print (`@page labels`).

use cuaso_domain::date::Date;
use cuaso_domain::label::{expiry_text, name_pt, parse_count, qr_fit, LabelSize};
use cuaso_domain::producer::LabelData;
use cuaso_domain::product::BatchStatus;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, Remote};
use crate::components::qr::qr_path;
use crate::i18n::{fill, use_i18n, Strings};

use super::detail::back_to;
use super::private_view;

#[component]
pub fn LabelsPage(gtin: String, lot: String) -> impl IntoView {
    let i18n = use_i18n();
    let back = format!("/producer/products/{gtin}");
    let key = StoredValue::new((gtin, lot));
    let res = Remote::new(move || {
        let lang = i18n.locale.get_untracked().code();
        let (gtin, lot) = key.get_value();
        async move { api::label(&gtin, &lot, lang).await.map_err(|e| e.error) }
    });
    view! {
        {back_to(back, |t| t.pr_back_to_product)}
        {private_view(res, |l| view! { <LabelSheet l/> })}
    }
}

fn mm(v: f64) -> String {
    format!("{v:.2}mm")
}

#[component]
fn LabelSheet(l: LabelData) -> impl IntoView {
    let i18n = use_i18n();
    let size = RwSignal::new(LabelSize::Small);
    let count_text = RwSignal::new(LabelSize::Small.per_page().to_string());
    let count = Memo::new(move |_| parse_count(&count_text.get()));
    let recalled = l.status == BatchStatus::Recalled;
    let qr = qr_path(&l.uri);
    let l = StoredValue::new(l);
    let qr = StoredValue::new(qr);
    let title = move || fill(i18n.t().pr_labels_title, &[("lot", &l.with_value(|l| l.lot.clone()))]);

    let options = move || {
        let t = i18n.t();
        LabelSize::ALL
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let (w, h) = s.mm();
                let id = format!("label-size-{i}");
                let text = fill(
                    t.pr_label_size_option,
                    &[
                        ("w", &w.to_string()),
                        ("h", &h.to_string()),
                        ("n", &s.per_page().to_string()),
                    ],
                );
                view! {
                    <div class="radio">
                        <input type="radio" name="label-size" id=id.clone() value=s.id()
                            prop:checked=move || size.get() == s on:change=move |_| size.set(s)/>
                        <label for=id>{text}</label>
                    </div>
                }
            })
            .collect_view()
    };

    let summary = move || {
        let t = i18n.t();
        match count.get() {
            Ok(n) => {
                let s = size.get();
                fill(
                    t.pr_label_summary,
                    &[("n", &n.to_string()), ("m", &s.pages(n).to_string())],
                )
            }
            Err(_) => String::new(),
        }
    };

    let sheets = move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let n = count.get().ok()?;
        let s = size.get();
        let (d, side) = qr.get_value()?;
        let Some(fit) = qr_fit(s, side as u32 - 8) else {
            return Some(view! { <p class="notice notice--warn">{t.pr_qr_too_big}</p> }.into_any());
        };
        let per = s.per_page();
        let lines = l.with_value(|l| label_lines(t, lang, l));
        // The name shrinks (and wraps) to fit the label, never cut.
        let (name, rest) = lines.split_first().map(|(n, r)| (n.clone(), r.to_vec())).unwrap_or_default();
        let name_class = format!("qr-label__name qr-label__name--{}", name_pt(s, fit.side_mm, &name));
        // Sizes come from the stylesheet (`sheet--40x50`, …): the CSP
        // refuses `style` attributes (style-src 'self').
        let sheet_class = format!("sheet sheet--{}", s.id());
        let qr_side = mm(fit.side_mm);
        let vb = format!("0 0 {side} {side}");
        Some(view! {
            <div class="sheets" role="region" aria-label=t.pr_sheet_preview>
                <svg class="qr-defs" width="0" height="0" aria-hidden="true" focusable="false">
                    <defs><path id="label-qr" d=d/></defs>
                </svg>
                {(0..s.pages(n)).map(|page| {
                    let k = per.min(n - page * per);
                    view! {
                        <div class=sheet_class.clone() aria-hidden=(page > 0).then_some("true")>
                            {(0..k).map(|_| view! {
                                <div class="qr-label">
                                    <svg width=qr_side.clone() height=qr_side.clone() viewBox=vb.clone()
                                        shape-rendering="crispEdges" aria-hidden="true" focusable="false">
                                        <rect width="100%" height="100%" fill="#fff"/>
                                        <use href="#label-qr" fill="#000"/>
                                    </svg>
                                    <p class=name_class.clone()>{name.clone()}</p>
                                    {rest.iter().map(|line| view! { <p>{line.clone()}</p> }).collect_view()}
                                </div>
                            }).collect_view()}
                        </div>
                    }
                }).collect_view()}
            </div>
        }.into_any())
    };

    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };

    view! {
        <Title text=title/>
        <div class="no-print">
            <h1>{title}</h1>
            <p class="lead">{move || l.with_value(|l| l.name.get(i18n.locale().code()).to_string())}</p>
        </div>
        {if recalled {
            view! { <div class="notice notice--bad" role="alert"><p>{move || i18n.t().pr_label_recalled}</p></div> }.into_any()
        } else {
            view! {
                <form class="question no-print" novalidate on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                    <fieldset class="fieldset form-group">
                        <legend class="label">{move || i18n.t().pr_label_size}</legend>
                        <div class="radios">{options}</div>
                    </fieldset>
                    <div class=move || if count.get().is_err() { "form-group form-group--error" } else { "form-group" }>
                        <label class="label" for="label-count">{move || i18n.t().pr_label_count}</label>
                        {move || count.get().err().map(|e| view! {
                            <p class="field-error" id="label-count-error">{e.message(i18n.locale().code())}</p>
                        })}
                        <input class="input input--w4" id="label-count" type="text" inputmode="numeric" autocomplete="off"
                            aria-invalid=move || count.get().is_err().to_string()
                            aria-describedby=move || count.get().is_err().then_some("label-count-error")
                            prop:value=move || count_text.get() on:input=move |ev| count_text.set(event_target_value(&ev))/>
                    </div>
                    <p class="strong" role="status">{summary}</p>
                    <button type="button" class="btn btn-primary" on:click=print
                        disabled=move || count.get().is_err()>{move || i18n.t().pr_print}</button>
                    <p class="hint">{move || i18n.t().pr_print_hint}</p>
                </form>
                {sheets}
            }.into_any()
        }}
    }
}

/// The text under the code: name, GTIN, lot, expiry.
fn label_lines(t: &'static Strings, lang: &str, l: &LabelData) -> Vec<String> {
    let expiry = Date::parse(&l.expires)
        .map(|d| expiry_text(d, lang))
        .unwrap_or_else(|| l.expires.clone());
    vec![
        l.name.get(lang).to_string(),
        format!("GTIN {}", l.gtin),
        fill(t.pr_label_lot, &[("lot", &l.lot)]),
        expiry,
    ]
}
