//! The personal-data pattern: where a form asks for personal data, one
//! short paragraph says why and who holds it, with a link to the full
//! notice (`/privacy`, the community chunk's page). The operator's name
//! comes from the configuration, like the branding.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::config::use_config;
use crate::i18n::{fill, tr, use_i18n, Strings};

/// Why a form asks, in one sentence naming who holds the answers.
#[derive(Clone, Copy)]
pub enum Purpose {
    /// An application: the deciding agency needs the answers.
    Dossier,
    /// A report's contact details: for a personal answer.
    Feedback,
    /// A citizen's consent to a helper: the record of who agreed.
    Helper,
}

impl Purpose {
    fn text(self, t: &'static Strings) -> &'static str {
        match self {
            Purpose::Dossier => t.privacy_note_dossier,
            Purpose::Feedback => t.privacy_note_feedback,
            Purpose::Helper => t.privacy_note_helper,
        }
    }
}

/// The operator's name in the current language.
pub fn operator_name() -> impl Fn() -> String + Copy {
    let i18n = use_i18n();
    let config = use_config();
    move || config.with(|c| c.operator.name.get(i18n.locale().code()).to_string())
}

#[component]
pub fn PrivacyNote(purpose: Purpose) -> impl IntoView {
    let i18n = use_i18n();
    let operator = operator_name();
    view! {
        <p class="privacy-note">
            {move || fill(purpose.text(i18n.t()), &[("operator", &operator())])}" "
            <A href="/privacy">{tr(|t| t.privacy_read)}</A>
        </p>
    }
}
