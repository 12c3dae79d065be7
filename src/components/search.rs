//! The service search box, used on the home and 404 pages. It is a real GET
//! form to `/services`, so it works before the app has loaded.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::icons::{Icon, Svg};
use crate::i18n::{tr, use_i18n};
use cuaso_domain::query::{ProcedureQuery, MAX_QUERY_CHARS};

#[component]
pub fn SearchForm() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = ProcedureQuery::new(&text.get_untracked(), None, 1);
        if q.validate().is_err() {
            error.set(true);
            return;
        }
        error.set(false);
        let qs = q.to_query_string();
        let url = if qs.is_empty() {
            "/services".to_string()
        } else {
            format!("/services?{qs}")
        };
        navigate(&url, Default::default());
    };
    let limit = MAX_QUERY_CHARS.to_string();
    view! {
        <form class="search-form" role="search" action="/services" method="get" on:submit=submit>
            <label for="service-search" class="search-form__label">{tr(|t| t.search_label)}</label>
            <p id="service-search-hint" class="hint">{tr(|t| t.search_hint)}</p>
            {move || error.get().then(|| view! {
                <p id="service-search-error" class="field-error" role="alert">
                    {crate::i18n::fill(i18n.t().search_too_long, &[("n", &limit)])}
                </p>
            })}
            <div class="search-form__row">
                <input
                    id="service-search"
                    name="q"
                    type="search"
                    enterkeyhint="search"
                    autocomplete="off"
                    placeholder=tr(|t| t.search_placeholder)
                    aria-describedby=move || if error.get() { "service-search-hint service-search-error" } else { "service-search-hint" }
                    aria-invalid=move || error.get().to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <button type="submit" class="btn btn-primary search-form__button">
                    <Svg icon=Icon::Search/>
                    <span>{tr(|t| t.search_button)}</span>
                </button>
            </div>
        </form>
    }
}
