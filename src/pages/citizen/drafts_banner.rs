//! "Continue your application" on the home page, for a device with
//! applications in progress (loaded by [`crate::pages::lazy::DraftsEntry`]
//! only then).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::drafts;
use crate::i18n::{fill, use_i18n};

#[component]
pub fn DraftsBanner() -> impl IntoView {
    let i18n = use_i18n();
    let list = drafts::all();
    (!list.is_empty()).then(|| {
        move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            view! {
                <section class="drafts-banner" aria-labelledby="drafts-heading">
                    <h2 id="drafts-heading">{t.drafts_heading}</h2>
                    <ul>
                        {list.clone().into_iter().map(|(code, d)| view! {
                            <li><A href=format!("/services/{code}/apply")>{fill(t.draft_continue_named, &[("name", d.procedure_name.get(lang))])}</A></li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        }
    })
}
