//! `/feedback/...`: citizens' feedback (phản ánh, kiến nghị). One component
//! picks the screen from the path, so the shell has only two routes.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_i18n;

#[component]
pub fn FeedbackRoute() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        view! {
            <Title text=t.page_feedback/>
            <h1>{t.page_feedback}</h1>
        }
    }
}
