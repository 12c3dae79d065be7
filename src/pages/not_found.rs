//! The 404 page: says what happened and offers a way on.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

use crate::components::search::SearchForm;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().not_found_title/>
        <Meta name="robots" content="noindex"/>
        <section class="page-message">
            <p class="status-code" aria-hidden="true">"404"</p>
            <h1>{move || i18n.t().not_found_title}</h1>
            <p>{move || i18n.t().not_found_body}</p>
            <p>{move || i18n.t().not_found_search}</p>
            <SearchForm/>
            <p><A href="/" attr:class="btn btn-secondary">{move || i18n.t().go_home}</A></p>
        </section>
    }
}
