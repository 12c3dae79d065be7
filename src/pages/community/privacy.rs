//! `/privacy`: the personal-data notice. Who controls the data (the
//! configured operator), what is asked and why, what stays on the phone,
//! how long it is kept, the citizen's rights and whom to ask. The legal
//! sources are in docs/sources.md (Law 91/2025/QH15 on personal data
//! protection, in force from 1/1/2026, and its decree), not in the text.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::privacy::operator_name;
use crate::config::use_config;
use crate::i18n::{fill, tr, use_i18n};

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let operator = operator_name();
    let hotline = move || config.with(|c| c.hotline.clone());
    let email = move || config.with(|c| c.operator.email.clone());
    let address = move || config.with(|c| c.operator.address.clone());
    view! {
        <Title text=tr(|t| t.privacy_title)/>
        <article class="prose">
            <h1>{tr(|t| t.privacy_title)}</h1>
            <p class="lead">{move || fill(i18n.t().privacy_controller, &[("operator", &operator())])}</p>
            <h2>{tr(|t| t.privacy_what_title)}</h2>
            <ul>
                <li>{tr(|t| t.privacy_what_dossier)}</li>
                <li>{tr(|t| t.privacy_what_feedback)}</li>
                <li>{tr(|t| t.privacy_what_helper)}</li>
            </ul>
            <p>{tr(|t| t.privacy_never)}</p>
            <h2>{tr(|t| t.privacy_device_title)}</h2>
            <p>{tr(|t| t.privacy_device)}</p>
            <h2>{tr(|t| t.privacy_keep_title)}</h2>
            <p>{tr(|t| t.privacy_keep)}</p>
            <h2>{tr(|t| t.privacy_rights_title)}</h2>
            <p>{tr(|t| t.privacy_rights)}</p>
            <h2 id="privacy-contact">{tr(|t| t.privacy_contact_title)}</h2>
            <ul aria-labelledby="privacy-contact">
                <li>{operator}</li>
                <li>{tr(|t| t.privacy_call)}" "<a href=move || format!("tel:{}", hotline())>{hotline}</a></li>
                {move || (!email().is_empty()).then(|| view! {
                    <li>{tr(|t| t.privacy_write)}" "<a href=format!("mailto:{}", email())>{email()}</a></li>
                })}
                {move || (!address().is_empty()).then(|| view! {
                    <li>{tr(|t| t.privacy_address)}": "{address()}</li>
                })}
            </ul>
        </article>
    }
}
