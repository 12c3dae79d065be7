//! `/my/{code}`: the confirmation of a dossier sent from this device, its
//! printable receipt ([`crate::components::receipt`]).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::receipt::render;
use crate::drafts;
use crate::i18n::use_i18n;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let i18n = use_i18n();
    move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        let t = i18n.t();
        let lang = i18n.locale().code();
        match drafts::sent_one(&code) {
            Some(r) => render(r, t, lang, None).into_any(),
            None => view! {
                <Title text=t.receipt_missing_title/>
                <h1>{t.receipt_missing_title}</h1>
                <p>{t.receipt_missing_body}</p>
                <p><A href=format!("/track/{code}") attr:class="btn btn-primary">{t.track_this}</A></p>
            }
            .into_any(),
        }
    }
}
