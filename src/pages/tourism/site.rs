//! `/sites/{slug}` (and `/s/{slug}` from a plate): a site's guide: the
//! story, opening hours, tickets, a sketch map with directions, the audio
//! guide and sharing.

use cuaso_domain::site::{split_sentences, NoteKind, Site};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;

use super::audio::AudioGuide;
use super::hours::{Hours, OpenNow, Tickets};
use super::{category_label, km, saved_label};
use crate::api::{self, Maybe, Remote};
use crate::components::status::api_view;
use crate::geo;
use crate::i18n::{fill, tr, use_i18n, Locale};

#[component]
pub fn SiteRoute() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let site = Remote::new(move || api::site(&slug(), i18n.locale().tag()));
    api_view(site, true, |s: Maybe<Site>| view! { <SiteView site=s.value saved=s.saved/> })
}

#[component]
fn SiteView(site: Site, saved: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let content_lang = site.lang.clone();
    let translated = site.lang == site.requested_lang;
    let hero = site.photos.first().cloned();
    let sentences = StoredValue::new(story_sentences(&site));
    let speaking = RwSignal::new(None::<usize>);
    let name = site.text.name.clone();
    let slug = site.slug.clone();
    let category = site.category;
    let share_title = name.clone();
    let share_text = site.text.summary.clone();
    // Each sentence of the story, numbered as the audio guide reads them.
    let mut index = 1; // 0 is the summary
    let sections = site
        .text
        .sections
        .iter()
        .map(|sec| {
            let paragraphs: Vec<Vec<(usize, String)>> = sec
                .body
                .split("\n\n")
                .map(|p| {
                    split_sentences(p)
                        .into_iter()
                        .map(|s| {
                            index += 1;
                            (index - 1, s)
                        })
                        .collect()
                })
                .collect();
            (sec.title.clone(), paragraphs)
        })
        .collect::<Vec<_>>();
    let sentence = move |(i, s): (usize, String)| {
        view! {
            <span class=move || if speaking.get() == Some(i) { "sentence is-speaking" } else { "sentence" }>{s}</span>" "
        }
    };
    view! {
        <Title text=name.clone()/>
        {saved.map(|s| view! {
            <p class="notice site-saved" role="status">{move || fill(i18n.t().site_saved_copy, &[("time", &saved_label(&s))])}</p>
        })}
        {(!translated).then(|| {
            let shown = Locale::from_code(&content_lang).map(|l| l.name()).unwrap_or("Tiếng Việt");
            view! {
                <p class="notice site-untranslated">{move || fill(i18n.t().site_untranslated, &[("wanted", i18n.locale().name()), ("shown", shown)])}</p>
            }
        })}
        <article class="site" lang=site.lang.clone()>
            {hero.map(|p| view! {
                <img class="site__hero" src=p.src width=p.width height=p.height alt=p.alt lang=p.alt_lang/>
            })}
            <h1>{name.clone()}</h1>
            <p class="site__meta" lang=move || i18n.locale().tag()>{move || category_label(i18n.t(), category)}</p>
            <p class="lead">
                <span class=move || if speaking.get() == Some(0) { "sentence is-speaking" } else { "sentence" }>{site.text.summary.clone()}</span>
            </p>
            <div lang=move || i18n.locale().tag()>
                <OpenNow hours=site.hours.clone()/>
                <AudioGuide lang=site.lang.clone() audio=site.audio.clone() sentences speaking/>
                <Share title=share_title text=share_text slug=slug.clone()/>
            </div>
            {sections.into_iter().map(|(title, paragraphs)| view! {
                <section class="site__section">
                    <h2>{title}</h2>
                    {paragraphs.into_iter().map(|p| view! { <p>{p.into_iter().map(sentence).collect_view()}</p> }).collect_view()}
                </section>
            }).collect_view()}
            {(!site.text.notes.is_empty()).then(|| {
                let notes = site.text.notes.clone();
                view! {
                    <section class="site__notes" aria-labelledby="notes-title">
                        <h2 id="notes-title" lang=move || i18n.locale().tag()>{tr(|t| t.site_notes_title)}</h2>
                        <ul class="note-list">
                            {notes.into_iter().map(|n| view! {
                                <li class=format!("note note--{}", match n.kind { NoteKind::Dress => "dress", NoteKind::Safety => "safety", NoteKind::Access => "access", NoteKind::Visit => "visit" })>
                                    <strong lang=move || i18n.locale().tag()>{move || { let t = i18n.t(); match n.kind {
                                        NoteKind::Dress => t.site_note_dress,
                                        NoteKind::Safety => t.site_note_safety,
                                        NoteKind::Access => t.site_note_access,
                                        NoteKind::Visit => t.site_note_visit,
                                    }}}</strong>
                                    " "{n.text}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })}
            <div lang=move || i18n.locale().tag()>
                <Hours hours=site.hours.clone()/>
                <Tickets tickets=site.tickets.clone()/>
            </div>
            <section class="site__map" aria-labelledby="map-title">
                <h2 id="map-title" lang=move || i18n.locale().tag()>{tr(|t| t.site_map_title)}</h2>
                <SiteMap name=name.clone() nearby=site.nearby.iter().map(|n| n.distance_m).collect() />
                <p class="site__address">{site.text.address.clone()}</p>
                <div class="site__directions" lang=move || i18n.locale().tag()>
                    <a class="btn btn-primary" href=geo::directions(site.lat, site.lon)
                        rel="noopener" target="_blank">{tr(|t| t.site_directions)}</a>
                    <a class="btn btn-secondary" href=format!("geo:{:.5},{:.5}?q={:.5},{:.5}", site.lat, site.lon, site.lat, site.lon)>
                        {tr(|t| t.site_open_maps)}</a>
                </div>
            </section>
            {(!site.nearby.is_empty()).then(|| {
                let nearby = site.nearby.clone();
                view! {
                    <section class="site__nearby" aria-labelledby="nearby-title">
                        <h2 id="nearby-title" lang=move || i18n.locale().tag()>{tr(|t| t.site_nearby_title)}</h2>
                        <ol class="nearby-list">
                            {nearby.into_iter().map(|n| view! {
                                <li>
                                    <A href=format!("/sites/{}", n.slug)><span lang=n.lang.clone()>{n.name.clone()}</span></A>
                                    <span class="hint" lang=move || i18n.locale().tag()>{move || format!(" · {} · {}",
                                        category_label(i18n.t(), n.category),
                                        fill(i18n.t().site_distance, &[("km", &km(n.distance_m as f64, i18n.locale()))]))}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                }
            })}
        </article>
    }
}

/// The summary, then every sentence of the story, in reading order.
fn story_sentences(site: &Site) -> Vec<String> {
    let mut v = vec![site.text.summary.clone()];
    for sec in &site.text.sections {
        for p in sec.body.split("\n\n") {
            v.extend(split_sentences(p));
        }
    }
    v
}


/// A light map: the site in the middle and the nearby places around it, by
/// distance only (a sketch, no tiles to download); the buttons under it
/// open real directions.
#[component]
fn SiteMap(name: String, nearby: Vec<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let max = nearby.iter().copied().max().unwrap_or(1).max(1) as f64;
    // Nearby places on rings by distance, spread around the circle.
    let dots: Vec<(f64, f64, usize)> = nearby
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let r = 25.0 + 60.0 * (*d as f64 / max).sqrt();
            let a = i as f64 * 2.399_963; // the golden angle, so dots never stack
            (160.0 + r * a.cos() * 1.4, 100.0 + r * a.sin(), i + 1)
        })
        .collect();
    view! {
        <svg class="places-map" viewBox="0 0 320 200" role="img"
            aria-label=move || fill(i18n.t().site_map_label, &[("name", &name)])>
            <rect width="320" height="200" fill="#eef3fb" rx="12"/>
            {dots.into_iter().map(|(x, y, n)| view! {
                <line x1="160" y1="100" x2=format!("{x:.1}") y2=format!("{y:.1}") stroke="#9fb3cc" stroke-width="1.5" stroke-dasharray="4 4"/>
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="9" fill="#0a4f9e"/>
                <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor="middle" font-size="11" font-weight="700" fill="#fff">{n.to_string()}</text>
            }).collect_view()}
            <circle cx="160" cy="100" r="12" fill="#a3161a"/>
            <circle cx="160" cy="100" r="4" fill="#fff"/>
        </svg>
    }
}


/// Shares the guide's short link: the phone's share sheet where there is
/// one (Zalo, Messenger…), else the link is copied.
#[component]
fn Share(title: String, text: String, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(None::<String>);
    let url = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .map(|o| format!("{o}/s/{slug}"))
        .unwrap_or_else(|| format!("/s/{slug}"));
    let share = move |_| {
        let Some(w) = web_sys::window() else { return };
        let nav = w.navigator();
        let share_fn = js_sys::Reflect::get(&nav, &"share".into()).unwrap_or_default();
        if let Some(f) = share_fn.dyn_ref::<js_sys::Function>() {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"title".into(), &title.clone().into());
            let _ = js_sys::Reflect::set(&data, &"text".into(), &text.clone().into());
            let _ = js_sys::Reflect::set(&data, &"url".into(), &url.clone().into());
            // A dismissed share sheet rejects: nothing to say.
            let _ = f.call1(&nav, &data);
            return;
        }
        let url = url.clone();
        let copied = js_sys::Reflect::get(&nav, &"clipboard".into())
            .ok()
            .filter(|c| !c.is_undefined())
            .map(|c| c.unchecked_into::<web_sys::Clipboard>().write_text(&url));
        let msg = match copied {
            Some(_) => i18n.t().site_link_copied.to_string(),
            None => fill(i18n.t().site_share_manual, &[("url", &url)]),
        };
        status.set(Some(msg));
    };
    view! {
        <div class="share">
            <button type="button" class="btn btn-secondary" on:click=share>{tr(|t| t.site_share)}</button>
            <p class="hint" role="status">{move || status.get()}</p>
        </div>
    }
}
