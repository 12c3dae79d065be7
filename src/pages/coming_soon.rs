//! Routes whose screens come in later issues: an honest "coming soon", never
//! sample data.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::{Strings, tr, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soon {
    Apply,
    Track,
    My,
    Scan,
    Product,
    Sites,
    Site,
    Producer,
    Feedback,
}

impl Soon {
    fn title(self, t: &'static Strings) -> &'static str {
        match self {
            Soon::Apply => t.page_apply,
            Soon::Track => t.page_track,
            Soon::My => t.page_my,
            Soon::Scan => t.page_scan,
            Soon::Product => t.page_product,
            Soon::Sites => t.page_sites,
            Soon::Site => t.page_site,
            Soon::Producer => t.page_producer,
            Soon::Feedback => t.page_feedback,
        }
    }
}

#[component]
pub fn ComingSoon(page: Soon) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || page.title(i18n.t())/>
        <section class="page-message">
            <p class="badge badge-soon">{tr(|t| t.coming_soon_title)}</p>
            <h1>{move || page.title(i18n.t())}</h1>
            <p>{tr(|t| t.coming_soon_body)}</p>
            <p>{tr(|t| t.coming_soon_meanwhile)}</p>
            <ul class="link-list">
                <li><A href="/services">{tr(|t| t.journey_services_desc)}</A></li>
                <li><A href="/">{tr(|t| t.go_home)}</A></li>
            </ul>
        </section>
    }
}
