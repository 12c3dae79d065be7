//! `/`: search first, then the four journeys.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::icons::{Icon, Svg};
use crate::components::search::SearchForm;
use crate::i18n::{Strings, tr, use_i18n};

type Label = fn(&'static Strings) -> &'static str;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let journeys: [(&'static str, Icon, Label, Label); 4] = [
        ("/services", Icon::Services, |t| t.nav_services, |t| t.journey_services_desc),
        ("/track", Icon::Track, |t| t.nav_track, |t| t.journey_track_desc),
        ("/scan", Icon::Scan, |t| t.nav_scan, |t| t.journey_scan_desc),
        ("/sites", Icon::Tourism, |t| t.nav_tourism, |t| t.journey_tourism_desc),
    ];
    view! {
        <Title text=tr(|t| t.home_title)/>
        <section class="hero">
            <h1>{tr(|t| t.home_heading)}</h1>
            <p class="lead">{tr(|t| t.home_intro)}</p>
            <SearchForm/>
        </section>
        <section class="journeys" aria-labelledby="journeys-heading">
            <h2 id="journeys-heading">{tr(|t| t.journeys_heading)}</h2>
            <ul class="journey-grid">
                {journeys
                    .into_iter()
                    .map(|(href, icon, title, desc)| {
                        view! {
                            <li>
                                <A href=href attr:class="journey">
                                    <span class="journey__icon"><Svg icon/></span>
                                    <span class="journey__title">{move || title(i18n.t())}</span>
                                    <span class="journey__desc">{move || desc(i18n.t())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
