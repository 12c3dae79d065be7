//! Routes whose screens come in later issues: an honest "coming soon", never
//! sample data.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Strings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soon {
    Feedback,
}

impl Soon {
    fn title(self, t: &'static Strings) -> &'static str {
        match self {
            Soon::Feedback => t.page_feedback,
        }
    }
}

#[component]
pub fn ComingSoon(page: Soon) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        view! {
            <Title text=page.title(t)/>
            <section class="page-message">
                <p class="badge badge-soon">{t.coming_soon_title}</p>
                <h1>{page.title(t)}</h1>
                <p>{t.coming_soon_body}</p>
                <p>{t.coming_soon_meanwhile}</p>
                <ul class="link-list">
                    <li><A href="/services">{t.journey_services_desc}</A></li>
                    <li><A href="/">{t.go_home}</A></li>
                </ul>
            </section>
        }
    }
}
