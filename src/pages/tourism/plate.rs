//! `/sites/{slug}/plate`: the printable QR plate of a site.

use cuaso_domain::site::Site;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{self, Maybe, Remote};
use crate::components::status::api_view;
use crate::i18n::{fill, tr, use_i18n};

/// An A5 plate to print: the name in Vietnamese and English, the QR code of
/// the short link, and what scanning gives, in each language: "Quét để
/// nghe thuyết minh – Scan for audio guide" only where there is a recording
/// in that language, else "Quét để xem giới thiệu – Scan for the guide"
/// (a phone may have no voice to read it aloud).
#[component]
pub fn PlatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let vi = Remote::new(move || api::site(&slug(), "vi"));
    let en = Remote::new(move || api::site(&slug(), "en"));
    api_view(vi, true, move |vi: Maybe<Site>| {
        let vi = vi.value;
        let qr = api::site_qr_url(&vi.slug);
        let url = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .map(|o| format!("{o}/s/{}", vi.slug))
            .unwrap_or_default();
        let print = |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        };
        let vi_scan = if vi.audio.is_some() { "Quét để nghe thuyết minh" } else { "Quét để xem giới thiệu" };
        let vi_name = vi.text.name.clone();
        let (n1, n2) = (vi_name.clone(), vi_name.clone());
        view! {
            <Title text=move || fill(i18n.t().site_plate_title, &[("name", &n1)])/>
            <div class="no-print">
                <h1>{move || fill(i18n.t().site_plate_title, &[("name", &n2)])}</h1>
                <p class="hint">{move || fill(i18n.t().site_plate_hint, &[("url", &url)])}</p>
                <button type="button" class="btn btn-primary" on:click=print>{tr(|t| t.site_plate_print)}</button>
            </div>
            <div class="plate">
                <p class="plate__name" lang="vi">{vi_name}</p>
                {api_view(en, false, |en: Maybe<Site>| view! {
                    <p class="plate__name plate__name--en" lang=en.value.lang.clone()>{en.value.text.name.clone()}</p>
                })}
                <img class="plate__qr" src=qr alt="" width="300" height="300"/>
                <p class="plate__scan"><span lang="vi">{vi_scan}</span>
                    {api_view(en, false, |en: Maybe<Site>| view! {
                        " – "<span lang="en">{if en.value.audio.is_some() { "Scan for audio guide" } else { "Scan for the guide" }}</span>
                    })}
                </p>
            </div>
        }
    })
}
