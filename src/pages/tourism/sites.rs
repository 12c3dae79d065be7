//! Tourism: the site list (`/sites`), a site's guide (`/sites/{slug}` and
//! the plates' short `/s/{slug}`), and the printable QR plate
//! (`/sites/{slug}/plate`).
//!
//! Content comes in the visitor's language with the API's fallback (English,
//! then Vietnamese); the page says so when the guide is not in their
//! language, and marks the content's real language with `lang`. Opening
//! hours are worked out in Vietnam's time zone whatever the phone's. A copy
//! the service worker saved is labelled as such.

use cuaso_domain::fold::fold;
use cuaso_domain::money::format_vnd;
use cuaso_domain::site::{
    split_sentences, ExceptionReason, LocalTime, NoteKind, OpenState, OpeningHours, Site, SiteCategory,
    SiteSummary, TicketKind,
};
use cuaso_domain::Date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, Maybe, Remote};
use crate::components::status::api_view;
use crate::geo::{self, Fix};
use crate::i18n::{fill, tr, use_i18n, Locale, Strings};

fn category_label(t: &'static Strings, c: SiteCategory) -> &'static str {
    match c {
        SiteCategory::Historic => t.site_cat_historic,
        SiteCategory::Memorial => t.site_cat_memorial,
        SiteCategory::Scenic => t.site_cat_scenic,
        SiteCategory::NationalPark => t.site_cat_national_park,
        SiteCategory::Museum => t.site_cat_museum,
        SiteCategory::CraftVillage => t.site_cat_craft_village,
    }
}

/// Kilometres with one decimal under 10 km, in the reader's style.
fn km(m: f64, lang: Locale) -> String {
    let s = if m < 10_000.0 {
        format!("{:.1}", m / 1000.0)
    } else {
        format!("{:.0}", m / 1000.0)
    };
    if lang == Locale::Vi {
        s.replace('.', ",")
    } else {
        s
    }
}

fn date_in(d: Date, lang: Locale) -> String {
    match lang {
        Locale::Ko => format!("{}. {}. {}.", d.year, d.month, d.day),
        Locale::Zh => format!("{}年{}月{}日", d.year, d.month, d.day),
        _ => d.display(lang.code()),
    }
}

fn weekday(t: &'static Strings, n: u8) -> &'static str {
    [
        t.weekday_1,
        t.weekday_2,
        t.weekday_3,
        t.weekday_4,
        t.weekday_5,
        t.weekday_6,
        t.weekday_7,
    ][usize::from(n.clamp(1, 7) - 1)]
}

/// "Thứ Hai – Chủ nhật" for a run of days, else the days listed.
fn days_label(t: &'static Strings, days: &[u8]) -> String {
    let mut d = days.to_vec();
    d.sort_unstable();
    d.dedup();
    let run = d.len() > 2 && d.windows(2).all(|w| w[1] == w[0] + 1);
    if run {
        format!("{} – {}", weekday(t, d[0]), weekday(t, d[d.len() - 1]))
    } else {
        d.iter().map(|n| weekday(t, *n)).collect::<Vec<_>>().join(", ")
    }
}

fn now_in_vietnam() -> LocalTime {
    LocalTime::vietnam((js_sys::Date::now() / 1000.0) as i64)
}

/// The saved copy's time (`X-Cuaso-Saved`, ISO 8601) as the reader's local
/// date and time.
fn saved_label(iso: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_string();
    }
    format!(
        "{:02}:{:02} {:02}/{:02}/{}",
        d.get_hours(),
        d.get_minutes(),
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year()
    )
}

// ---------------------------------------------------------------- the list

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
/// (and the photos) through the service worker, which keeps them.
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
            // the answers: the list, each guide, then their photos.
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

// ------------------------------------------------------------- a site page

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
            <p class="no-print" lang=move || i18n.locale().tag()>
                <A href=format!("/sites/{slug}/plate")>{tr(|t| t.site_print_plate)}</A>
            </p>
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

/// "Đang mở cửa · đóng cửa lúc 17:00", worked out in Vietnam time and
/// refreshed every minute.
#[component]
fn OpenNow(hours: OpeningHours) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(now_in_vietnam());
    let tick = leptos::prelude::set_interval_with_handle(
        move || {
            now.try_set(now_in_vietnam());
        },
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = tick {
            h.clear();
        }
    });
    let hours = StoredValue::new(hours);
    move || {
        let t = i18n.t();
        let n = now.get();
        let lang = i18n.locale();
        let (class, head, tail) = match hours.with_value(|h| h.state_at(n)) {
            OpenState::AlwaysOpen => ("open-state open-state--open", t.site_always_open.to_string(), String::new()),
            OpenState::Unknown => ("open-state", t.site_hours_unknown.to_string(), String::new()),
            OpenState::Open { closes } => (
                "open-state open-state--open",
                t.site_open_now.to_string(),
                fill(t.site_closes_at, &[("time", &closes.hhmm())]),
            ),
            OpenState::Closed { next, reason } => {
                let mut tail = String::new();
                if let Some(next) = next {
                    let day = if next.date == n.date {
                        t.site_today.to_string()
                    } else if next.date == n.date.add_days(1) {
                        t.site_tomorrow.to_string()
                    } else {
                        format!("{} {}", weekday(t, weekday_no(next.date)), date_in(next.date, lang))
                    };
                    tail.push_str(&fill(t.site_opens_at, &[("time", &next.hhmm()), ("day", &day)]));
                }
                let head = match reason {
                    Some(r) => format!("{} ({})", t.site_closed_now, reason_label(t, r)),
                    None => t.site_closed_now.to_string(),
                };
                ("open-state open-state--closed", head, tail)
            }
        };
        view! {
            <p class=class id="open-state">
                <strong>{head}</strong>
                {(!tail.is_empty()).then(|| format!(" · {tail}"))}
            </p>
        }
    }
}

fn weekday_no(d: Date) -> u8 {
    use cuaso_domain::date::Weekday::*;
    match d.weekday() {
        Mon => 1,
        Tue => 2,
        Wed => 3,
        Thu => 4,
        Fri => 5,
        Sat => 6,
        Sun => 7,
    }
}

fn reason_label(t: &'static Strings, r: ExceptionReason) -> &'static str {
    match r {
        ExceptionReason::Tet => t.site_reason_tet,
        ExceptionReason::Holiday => t.site_reason_holiday,
        ExceptionReason::Maintenance => t.site_reason_maintenance,
        ExceptionReason::Event => t.site_reason_event,
    }
}

#[component]
fn Hours(hours: OpeningHours) -> impl IntoView {
    let i18n = use_i18n();
    let hours = StoredValue::new(hours);
    move || {
        let t = i18n.t();
        let lang = i18n.locale();
        let today = now_in_vietnam().date;
        hours.with_value(|h| {
            if h.always_open || h.weekly.is_empty() {
                return None;
            }
            let rules: Vec<(String, String)> = h
                .weekly
                .iter()
                .map(|r| (days_label(t, &r.days), format!("{}–{}", r.open, r.close)))
                .collect();
            let special: Vec<String> = h
                .exceptions
                .iter()
                .filter_map(|e| {
                    let (from, to) = (Date::parse(&e.from)?, Date::parse(&e.to)?);
                    (to >= today && from <= today.add_days(90)).then(|| {
                        let when = if from == to {
                            date_in(from, lang)
                        } else {
                            format!("{} – {}", date_in(from, lang), date_in(to, lang))
                        };
                        let what = match (&e.open, &e.close) {
                            (Some(o), Some(c)) => format!("{o}–{c}"),
                            _ => t.site_closed_all_day.to_string(),
                        };
                        format!("{when} ({}): {what}", reason_label(t, e.reason))
                    })
                })
                .collect();
            Some(view! {
                <section class="site__hours" aria-labelledby="hours-title">
                    <h2 id="hours-title">{t.site_hours_title}</h2>
                    <table class="hours-table">
                        <tbody>
                            {rules.into_iter().map(|(d, h)| view! { <tr><th scope="row">{d}</th><td>{h}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                    <p class="hint">{t.site_hours_tz}</p>
                    {(!special.is_empty()).then(|| view! {
                        <h3>{t.site_hours_special}</h3>
                        <ul>{special.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    })}
                </section>
            })
        })
    }
}

#[component]
fn Tickets(tickets: Option<Vec<cuaso_domain::site::Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tickets = StoredValue::new(tickets);
    move || {
        let t = i18n.t();
        view! {
            <section class="site__tickets" aria-labelledby="tickets-title">
                <h2 id="tickets-title">{t.site_tickets_title}</h2>
                {tickets.with_value(|list| match list {
                    None => view! { <p>{t.site_tickets_unknown}</p> }.into_any(),
                    Some(list) => view! {
                        <table class="hours-table">
                            <tbody>
                                {list.iter().map(|k| {
                                    let who = match k.kind {
                                        TicketKind::Adult => t.site_ticket_adult,
                                        TicketKind::Child => t.site_ticket_child,
                                        TicketKind::Student => t.site_ticket_student,
                                        TicketKind::Senior => t.site_ticket_senior,
                                    };
                                    let price = if k.price_vnd == 0 { t.site_ticket_free.to_string() } else { format_vnd(u64::from(k.price_vnd)) };
                                    view! { <tr><th scope="row">{who}</th><td>{price}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </section>
        }
    }
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

/// "Nghe thuyết minh": the recording in the guide's language if there is
/// one; else the phone reads the guide aloud (speech synthesis), sentence
/// by sentence, highlighting each; hidden when the phone has no voice for
/// the language.
#[component]
fn AudioGuide(
    lang: String,
    audio: Option<String>,
    sentences: StoredValue<Vec<String>>,
    speaking: RwSignal<Option<usize>>,
) -> impl IntoView {
    if let Some(src) = audio {
        return view! {
            <section class="audio-guide" aria-labelledby="audio-title">
                <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
                <audio controls=true preload="none" src=src class="audio-guide__player"></audio>
            </section>
        }
        .into_any();
    }
    let voice = RwSignal::new_local(find_voice(&lang));
    // Voices often arrive after the page: look again when they do.
    if let Some(synth) = synth() {
        let lang = lang.clone();
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            voice.try_set(find_voice(&lang));
        });
        synth.set_onvoiceschanged(Some(cb.as_ref().unchecked_ref()));
        cb.forget();
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Play {
        Stopped,
        Playing,
        Paused,
    }
    let play = RwSignal::new(Play::Stopped);
    let stop = move || {
        if let Some(s) = synth() {
            s.cancel();
        }
        play.try_set(Play::Stopped);
        speaking.try_set(None);
    };
    on_cleanup(move || {
        if let Some(s) = synth() {
            s.cancel();
        }
    });
    let lang_tag = StoredValue::new(lang);
    let start = move |_| {
        let Some(s) = synth() else { return };
        s.cancel();
        let v = voice.get_untracked();
        let all = sentences.get_value();
        let last = all.len().saturating_sub(1);
        for (i, text) in all.into_iter().enumerate() {
            let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) else {
                continue;
            };
            u.set_lang(&lang_tag.get_value());
            if let Some(v) = &v {
                u.set_voice(Some(v));
            }
            let on_start = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                speaking.try_set(Some(i));
            });
            u.set_onstart(Some(on_start.as_ref().unchecked_ref()));
            on_start.forget();
            if i == last {
                let on_end = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    play.try_set(Play::Stopped);
                    speaking.try_set(None);
                });
                u.set_onend(Some(on_end.as_ref().unchecked_ref()));
                on_end.forget();
            }
            s.speak(&u);
        }
        play.set(Play::Playing);
    };
    let pause = move |_| {
        if let Some(s) = synth() {
            s.pause();
        }
        play.set(Play::Paused);
    };
    let resume = move |_| {
        if let Some(s) = synth() {
            s.resume();
        }
        play.set(Play::Playing);
    };
    view! {
        <Show when=move || voice.with(|v| v.is_some())>
            <section class="audio-guide" aria-labelledby="audio-title">
                <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
                <p class="hint">{tr(|t| t.site_audio_tts)}</p>
                <div class="audio-guide__controls">
                    {move || match play.get() {
                        Play::Stopped => view! {
                            <button type="button" class="btn btn-primary" on:click=start>{tr(|t| t.site_listen)}</button>
                        }.into_any(),
                        Play::Playing => view! {
                            <button type="button" class="btn btn-secondary" on:click=pause>{tr(|t| t.site_pause)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| stop()>{tr(|t| t.site_stop)}</button>
                        }.into_any(),
                        Play::Paused => view! {
                            <button type="button" class="btn btn-primary" on:click=resume>{tr(|t| t.site_resume)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| stop()>{tr(|t| t.site_stop)}</button>
                        }.into_any(),
                    }}
                </div>
            </section>
        </Show>
    }
    .into_any()
}

fn synth() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// A voice speaking `lang` (`ko` matches `ko-KR`), if the phone has one.
fn find_voice(lang: &str) -> Option<web_sys::SpeechSynthesisVoice> {
    let want = lang.to_ascii_lowercase();
    synth()?.get_voices().iter().find_map(|v| {
        let v: web_sys::SpeechSynthesisVoice = v.unchecked_into();
        let l = v.lang().to_ascii_lowercase().replace('_', "-");
        (l == want || l.starts_with(&format!("{want}-"))).then_some(v)
    })
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

// ------------------------------------------------------------ the QR plate

/// An A5 plate to print: the name in Vietnamese and English, the QR code of
/// the short link, and "Quét để nghe thuyết minh – Scan for audio guide".
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
                <p class="plate__scan"><span lang="vi">"Quét để nghe thuyết minh"</span>" – "<span lang="en">"Scan for audio guide"</span></p>
            </div>
        }
    })
}
