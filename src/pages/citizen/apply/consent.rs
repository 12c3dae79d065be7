//! Helper mode: the citizen's consent, given on the helper's device before
//! the application is sent for them.

use cuaso_domain::helper::Consent;
use leptos::prelude::*;

use super::{message, Ctx, Issues};
use crate::components::privacy::{PrivacyNote, Purpose};
use crate::drafts::HelperMode;
use crate::i18n::{fill, tr, use_i18n};

/// Helper mode: the citizen reads this, ticks the box and gives their name
/// and phone; all of it is kept in the draft until it is sent.
#[component]
pub(super) fn ConsentPanel(ctx: Ctx, helper: HelperMode, problems: Memo<Issues>, tried: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let consent = move || ctx.draft.with(|d| d.consent.clone().unwrap_or_default());
    let edit = move |f: &dyn Fn(&mut Consent)| {
        ctx.draft.update(|d| f(d.consent.get_or_insert_with(Consent::default)));
        ctx.server_issues.update(|s| s.retain(|(k, _)| !k.starts_with("consent.")));
    };
    let error = move |key: &'static str| {
        move || {
            if !tried.get() && ctx.server_issues.with(|s| s.is_empty()) {
                return None;
            }
            let t = i18n.t();
            let lang = i18n.locale().code();
            problems.with(|list| {
                list.iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, issue)| message(issue, t, lang))
            })
        }
    };
    let err_view = move |key: &'static str, id: &'static str| {
        move || {
            error(key)().map(|m| view! {
                <p class="field-error" id=id><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            })
        }
    };
    let group = move |key: &'static str| {
        move || if error(key)().is_some() { "form-group form-group--error" } else { "form-group" }
    };
    let statement = move || {
        fill(
            i18n.t().hp_consent_statement,
            &[("helper", &helper.name), ("team", &helper.team)],
        )
    };
    let initial = consent();
    view! {
        <section class="question consent" aria-labelledby="consent-title">
            <h2 id="consent-title">{tr(|t| t.hp_consent_title)}</h2>
            <p class="lead">{tr(|t| t.hp_consent_intro)}</p>
            <PrivacyNote purpose=Purpose::Helper/>
            <p>{statement}</p>
            <div class=group("consent.given")>
                {err_view("consent.given", "consent-given-error")}
                <div class="radio">
                    <input type="checkbox" id="consent-given" prop:checked=initial.given
                        aria-invalid=move || error("consent.given")().is_some().to_string()
                        aria-describedby=move || if error("consent.given")().is_some() { "consent-given-error" } else { "" }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(&|c| c.given = on);
                        }/>
                    <label for="consent-given">{tr(|t| t.hp_consent_box)}</label>
                </div>
            </div>
            <div class=group("consent.name")>
                <label class="label" for="consent-name">{tr(|t| t.hp_consent_name)}</label>
                {err_view("consent.name", "consent-name-error")}
                <input class="input" id="consent-name" type="text" autocomplete="off" prop:value=initial.name
                    aria-invalid=move || error("consent.name")().is_some().to_string()
                    aria-describedby=move || if error("consent.name")().is_some() { "consent-name-error" } else { "" }
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|c| c.name = v.clone());
                    }/>
            </div>
            <div class=group("consent.phone")>
                <label class="label" for="consent-phone">{tr(|t| t.hp_consent_phone)}</label>
                <p class="hint" id="consent-phone-hint">{tr(|t| t.hp_consent_phone_hint)}</p>
                {err_view("consent.phone", "consent-phone-error")}
                <input class="input input--w12" id="consent-phone" type="tel" inputmode="tel" autocomplete="off" prop:value=initial.phone
                    aria-invalid=move || error("consent.phone")().is_some().to_string()
                    aria-describedby=move || if error("consent.phone")().is_some() { "consent-phone-hint consent-phone-error" } else { "consent-phone-hint" }
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|c| c.phone = v.clone());
                    }/>
            </div>
        </section>
    }
}
