//! `/scan`: open what a QR code holds. Typing or pasting works everywhere,
//! including in-app webviews without a camera: a product's code or barcode
//! number, a dossier code, or any link read off a plate. What is not one of
//! Cửa Số's codes is shown, with a warning, before it is opened.

use cuaso_domain::scan::{route, ScanTarget};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::i18n::{tr, use_i18n};

#[component]
pub fn ScanPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let other = RwSignal::new(None::<String>);
    let empty = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        if t.trim().is_empty() {
            empty.set(true);
            return;
        }
        empty.set(false);
        match route(&t) {
            ScanTarget::Other(s) => other.set(Some(s)),
            target => {
                other.set(None);
                if let Some(p) = target.path() {
                    navigate(&p, Default::default());
                }
            }
        }
    };
    view! {
        <Title text=tr(|t| t.scan_title)/>
        <h1>{tr(|t| t.scan_title)}</h1>
        <p class="lead">{tr(|t| t.scan_intro)}</p>
        <form class="question" novalidate on:submit=submit>
            <div class=move || if empty.get() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="scan-text">{tr(|t| t.scan_label)}</label>
                <p class="hint" id="scan-hint">{tr(|t| t.scan_hint)}</p>
                {move || empty.get().then(|| view! { <p class="field-error" id="scan-error" role="alert">{tr(|t| t.scan_empty)}</p> })}
                <input class="input" id="scan-text" type="text" autocomplete="off" spellcheck="false" inputmode="url"
                    aria-describedby=move || if empty.get() { "scan-hint scan-error" } else { "scan-hint" }
                    aria-invalid=move || empty.get().to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.scan_open)}</button>
        </form>
        {move || other.get().map(|s| {
            let is_web = s.starts_with("https://") || s.starts_with("http://");
            view! {
                <div class="notice notice--warn" role="alert">
                    <h2>{tr(|t| t.scan_other_title)}</h2>
                    <p class="scan-text">{s.clone()}</p>
                    <p>{move || if is_web { i18n.t().scan_other_link } else { i18n.t().scan_other_text }}</p>
                    {is_web.then(|| view! {
                        <a class="btn btn-secondary" href=s.clone() rel="noopener noreferrer nofollow" target="_blank">
                            {tr(|t| t.scan_other_open)}
                        </a>
                    })}
                </div>
            }
        })}
        <p class="hint">{tr(|t| t.scan_camera_soon)}</p>
    }
}
