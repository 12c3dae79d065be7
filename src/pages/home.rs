//! `/`: search first, then the five journeys.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::icons::{Icon, Svg};
use crate::components::search::SearchForm;
use crate::i18n::{use_i18n, Strings};

type Label = fn(&'static Strings) -> &'static str;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let journeys: [(&'static str, Icon, Label, Label); 5] = [
        (
            "/services",
            Icon::Services,
            |t| t.nav_services,
            |t| t.journey_services_desc,
        ),
        (
            "/track",
            Icon::Track,
            |t| t.nav_track,
            |t| t.journey_track_desc,
        ),
        ("/scan", Icon::Scan, |t| t.nav_scan, |t| t.journey_scan_desc),
        (
            "/sites",
            Icon::Tourism,
            |t| t.nav_tourism,
            |t| t.journey_tourism_desc,
        ),
        (
            "/feedback",
            Icon::Feedback,
            |t| t.nav_feedback,
            |t| t.journey_feedback_desc,
        ),
    ];
    // Plain text, rebuilt when the language changes; the search form stays
    // mounted so what was typed survives a language switch.
    let intro = move || {
        let t = i18n.t();
        view! {
            <Title text=t.home_title/>
            <h1>{t.home_heading}</h1>
            <p class="lead">{t.home_intro}</p>
        }
    };
    let cards = move || {
        let t = i18n.t();
        view! {
            <h2 id="journeys-heading">{t.journeys_heading}</h2>
            <ul class="journey-grid">
                {journeys
                    .into_iter()
                    .map(|(href, icon, title, desc)| {
                        view! {
                            <li>
                                <A href=href attr:class="journey">
                                    <span class="journey__icon"><Svg icon/></span>
                                    <span class="journey__title">{title(t)}</span>
                                    <span class="journey__desc">{desc(t)}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    };
    view! {
        <section class="hero">
            {intro}
            <SearchForm/>
        </section>
        <crate::pages::lazy::DraftsEntry/>
        <section class="journeys" aria-labelledby="journeys-heading">{cards}</section>
    }
}
