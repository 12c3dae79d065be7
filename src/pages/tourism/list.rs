//! `/sites`: the sites, searchable, nearest first once the visitor lets
//! the phone say where they are, and every guide downloadable for offline
//! use.

use cuaso_domain::fold::fold;
use cuaso_domain::site::{SiteCategory, SiteSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::{category_label, km, saved_label};
use crate::api::{self, Maybe, Remote};
use crate::components::status::api_view;
use crate::geo::{self, Fix};
use crate::i18n::{fill, tr, use_i18n};

#[component]
pub fn SitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::new(move || api::sites(i18n.locale().tag()));
    view! {
        <Title text=tr(|t| t.sites_title)/>
        <h1>{tr(|t| t.sites_title)}</h1>
        <p class="lead">{tr(|t| t.sites_intro)}</p>
        {api_view(list, true, |l: Maybe<cuaso_domain::site::SiteList>| view! { <SiteList sites=l.value.sites saved=l.saved/> })}
    }
}

/// Where the visitor is, once they allow it.
#[derive(Clone, Copy, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Found(f64, f64),
    Denied,
    Failed,
    Unsupported,
}

#[component]
fn SiteList(sites: Vec<SiteSummary>, saved: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let category = RwSignal::new(None::<SiteCategory>);
    let here = RwSignal::new(Locating::Idle);
    let sites = StoredValue::new(sites);
    let categories: Vec<SiteCategory> = sites.with_value(|s| {
        let mut c: Vec<SiteCategory> = s.iter().map(|x| x.category).collect();
        c.sort();
        c.dedup();
        c
    });
    let shown = move || {
        let q = fold(&query.get());
        let words: Vec<&str> = q.split_whitespace().collect();
        let cat = category.get();
        let mut v: Vec<(SiteSummary, Option<f64>)> = sites.with_value(|s| {
            s.iter()
                .filter(|x| cat.is_none_or(|c| c == x.category))
                .filter(|x| {
                    let hay = fold(&format!("{} {}", x.name, x.summary));
                    words.iter().all(|w| hay.contains(w))
                })
                .map(|x| {
                    let d = match here.get() {
                        Locating::Found(lat, lon) => Some(cuaso_domain::site::distance_m(
                            lat, lon, x.lat, x.lon,
                        )),
                        _ => None,
                    };
                    (x.clone(), d)
                })
                .collect()
        });
        if matches!(here.get(), Locating::Found(..)) {
            v.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        }
        v
    };
    let locate = move |_| {
        here.set(Locating::Busy);
        let asked = geo::locate(300_000, move |fix| {
            here.try_set(match fix {
                Fix::Found(lat, lon, _) => Locating::Found(lat, lon),
                Fix::Denied => Locating::Denied,
                Fix::Failed => Locating::Failed,
            });
        });
        if !asked {
            here.set(Locating::Unsupported);
        }
    };
    view! {
        {saved.map(|s| view! { <p class="notice" role="status">{move || fill(i18n.t().site_saved_copy, &[("time", &saved_label(&s))])}</p> })}
        <div class="sites-tools">
            <div class="form-group">
                <label class="label" for="sites-q">{tr(|t| t.sites_search_label)}</label>
                <p class="hint" id="sites-q-hint">{tr(|t| t.sites_search_hint)}</p>
                <input class="input" id="sites-q" type="search" autocomplete="off" aria-describedby="sites-q-hint"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <div class="form-group">
                <label class="label" for="sites-cat">{tr(|t| t.sites_category_label)}</label>
                <select class="input" id="sites-cat" on:change=move |ev| category.set(SiteCategory::from_code(&event_target_value(&ev)))>
                    <option value="" selected=move || category.get().is_none()>{tr(|t| t.sites_category_all)}</option>
                    {categories.into_iter().map(|c| view! {
                        <option value=c.code() selected=move || category.get() == Some(c)>{move || category_label(i18n.t(), c)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="button" class="btn btn-secondary btn-block" on:click=locate disabled=move || here.get() == Locating::Busy>
                {tr(|t| t.sites_near_me)}
            </button>
            <p class="hint" role="status">{move || {
                let t = i18n.t();
                match here.get() {
                    Locating::Idle => "",
                    Locating::Busy => t.sites_locating,
                    Locating::Found(..) => t.sites_sorted,
                    Locating::Denied => t.sites_location_denied,
                    Locating::Failed => t.sites_location_failed,
                    Locating::Unsupported => t.sites_location_unsupported,
                }
            }}</p>
        </div>
        {move || {
            let v = shown();
            let t = i18n.t();
            let lang = i18n.locale();
            if v.is_empty() {
                return view! { <p class="notice" role="status">{fill(t.sites_none, &[("q", &query.get())])}</p> }.into_any();
            }
            view! {
                <p class="hint" role="status">{fill(t.sites_count, &[("n", &v.len().to_string())])}</p>
                <ul class="site-list">
                    {v.into_iter().map(|(s, d)| view! {
                        <li class="site-card">
                            {s.photo.clone().map(|p| view! {
                                <img class="site-card__photo" src=p.src width=p.width height=p.height alt="" loading="lazy"/>
                            })}
                            <div class="site-card__body" lang=s.lang.clone()>
                                <h2 class="site-card__title"><A href=format!("/sites/{}", s.slug)>{s.name.clone()}</A></h2>
                                <p class="site-card__meta" lang=lang.tag()>
                                    {category_label(t, s.category)}
                                    {d.map(|m| format!(" · {}", fill(t.site_distance, &[("km", &km(m, lang))])))}
                                </p>
                                <p class="site-card__summary">{s.summary.clone()}</p>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <DownloadAll/>
    }
}

/// "Tải về để xem ngoại tuyến": fetches every guide in the chosen language
/// (and the photos and recordings) through the service worker, which keeps
/// them.
#[component]
fn DownloadAll() -> impl IntoView {
    let i18n = use_i18n();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Idle,
        Busy(u32, u32),
        Done(u32),
        Failed(u32),
        Unsupported,
    }
    let state = RwSignal::new(State::Idle);
    let run = move |_| {
        let lang = i18n.locale().tag();
        state.set(State::Busy(0, 0));
        leptos::task::spawn_local(async move {
            // Every request passes through the service worker, which keeps
            // the answers: the list, each guide, then their photos and
            // recordings.
            let Ok(list) = api::sites(lang).await else {
                state.try_set(State::Failed(1));
                return;
            };
            let total = list.value.sites.len() as u32 + 1;
            let (mut done, mut failed) = (1u32, 0u32);
            let mut photos: Vec<String> = Vec::new();
            for s in &list.value.sites {
                match api::site(&s.slug, lang).await {
                    Ok(site) => {
                        done += 1;
                        photos.extend(site.value.photos.into_iter().map(|p| p.src));
                        photos.extend(site.value.audio.map(|a| a.src));
                    }
                    Err(_) => failed += 1,
                }
                state.try_set(State::Busy(done + failed, total));
            }
            photos.sort();
            photos.dedup();
            match crate::sw::cache_urls(&photos).await {
                None => {
                    state.try_set(State::Unsupported);
                }
                Some((_, f)) if failed + f > 0 => {
                    state.try_set(State::Failed(failed + f));
                }
                Some((n, _)) => {
                    state.try_set(State::Done(done + n));
                }
            }
        });
    };
    view! {
        <section class="download-all" aria-labelledby="download-title">
            <h2 id="download-title">{tr(|t| t.sites_download)}</h2>
            <p class="hint">{tr(|t| t.sites_download_hint)}</p>
            <button type="button" class="btn btn-secondary btn-block" on:click=run
                disabled=move || matches!(state.get(), State::Busy(..))>{tr(|t| t.sites_download)}</button>
            <p role="status" class="download-all__status">{move || {
                let t = i18n.t();
                match state.get() {
                    State::Idle => String::new(),
                    State::Busy(done, total) => fill(t.sites_downloading, &[("done", &done.to_string()), ("total", &total.to_string())]),
                    State::Done(n) => fill(t.sites_downloaded, &[("n", &n.to_string())]),
                    State::Failed(n) => fill(t.sites_download_failed, &[("n", &n.to_string())]),
                    State::Unsupported => t.sites_download_unsupported.to_string(),
                }
            }}</p>
        </section>
    }
}
