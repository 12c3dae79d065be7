//! The 404 page: says what happened and offers a way on.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

use crate::components::search::SearchForm;
use crate::i18n::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text=tr(|t| t.not_found_title)/>
        <Meta name="robots" content="noindex"/>
        <section class="page-message">
            <p class="status-code" aria-hidden="true">"404"</p>
            <h1>{tr(|t| t.not_found_title)}</h1>
            <p>{tr(|t| t.not_found_body)}</p>
            <p>{tr(|t| t.not_found_search)}</p>
            <SearchForm/>
            <p><A href="/" attr:class="btn btn-secondary">{tr(|t| t.go_home)}</A></p>
        </section>
    }
}
