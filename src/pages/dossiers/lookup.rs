//! `/track`: look a dossier up by its code, with its secret to see
//! everything (kept on this device).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::drafts;
use crate::i18n::{tr, use_i18n};

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
