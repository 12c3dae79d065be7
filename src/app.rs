//! The route table and the app shell. Paths are stable: QR codes encode some.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{Footer, Header, SkipLink};
use crate::config::provide_config;
use crate::i18n::{fill, provide_i18n};
use crate::pages::home::Home;
use crate::pages::lazy::{
    load_apply, load_feedback, load_helper, load_my, load_privacy, load_procedure, load_product, load_receipt, load_scan, load_services,
    load_plate, load_producer, load_site, load_sites, load_track, load_track_lookup, LazyPage,
};
use crate::pages::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    crate::i18n::set_fetch(|l| Box::pin(crate::pages::lazy::ensure_strings(l)));
    i18n.fetch_whole();
    let (config, inlined) = provide_config();
    if !inlined {
        crate::pages::lazy::fetch_config(config);
    }
    let description = move || {
        let c = config.get();
        fill(
            i18n.t().meta_description,
            &[("province", c.province.get(i18n.locale().code()))],
        )
    };

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Cửa Số".to_string() } else { format!("{page} · Cửa Số") }
        }/>
        <Meta name="description" content=description/>
        <Router>
            <SkipLink/>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/services") view=|| view! { <LazyPage load=load_services/> }/>
                    <Route path=path!("/services/:code") view=|| view! { <LazyPage load=load_procedure/> }/>
                    <Route path=path!("/services/:code/apply") view=|| view! { <LazyPage load=load_apply/> }/>
                    <Route path=path!("/services/:code/apply/*step") view=|| view! { <LazyPage load=load_apply/> }/>
                    <Route path=path!("/track") view=|| view! { <LazyPage load=load_track_lookup/> }/>
                    <Route path=path!("/track/:code") view=|| view! { <LazyPage load=load_track/> }/>
                    <Route path=path!("/my") view=|| view! { <LazyPage load=load_my/> }/>
                    <Route path=path!("/my/:code") view=|| view! { <LazyPage load=load_receipt/> }/>
                    <Route path=path!("/scan") view=|| view! { <LazyPage load=load_scan/> }/>
                    <Route path=path!("/01/:gtin") view=|| view! { <LazyPage load=load_product/> }/>
                    <Route path=path!("/01/:gtin/*rest") view=|| view! { <LazyPage load=load_product/> }/>
                    <Route path=path!("/sites") view=|| view! { <LazyPage load=load_sites/> }/>
                    <Route path=path!("/sites/:slug") view=|| view! { <LazyPage load=load_site/> }/>
                    <Route path=path!("/sites/:slug/plate") view=|| view! { <LazyPage load=load_plate/> }/>
                    <Route path=path!("/s/:slug") view=|| view! { <LazyPage load=load_site/> }/>
                    <Route path=path!("/producer") view=|| view! { <LazyPage load=load_producer/> }/>
                    <Route path=path!("/producer/*rest") view=|| view! { <LazyPage load=load_producer/> }/>
                    <Route path=path!("/feedback") view=|| view! { <LazyPage load=load_feedback/> }/>
                    <Route path=path!("/feedback/*rest") view=|| view! { <LazyPage load=load_feedback/> }/>
                    <Route path=path!("/helper") view=|| view! { <LazyPage load=load_helper/> }/>
                    <Route path=path!("/helper/*rest") view=|| view! { <LazyPage load=load_helper/> }/>
                    <Route path=path!("/privacy") view=|| view! { <LazyPage load=load_privacy/> }/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
