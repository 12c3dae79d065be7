//! `/01/{gtin}[/10/{lot}]...`: what a shopper sees after scanning the GS1
//! Digital Link QR code on a package: the product, its OCOP stars and
//! certificate, the producer, where to buy it, and, for a batch, the journey
//! from farm to shelf (the product itself is the shared [`ProductView`]). A
//! link that is not a valid Digital Link gets a page that says what is wrong
//! and lets the shopper type the code instead.

use cuaso_domain::date::Date;
use cuaso_domain::gs1::{self, DigitalLink, Gs1Error};
use cuaso_domain::scan;
use cuaso_domain::product::{biz_step_label, cbv_word, uom_label, Batch, BatchStatus, ScanEvent};
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, Remote};
use crate::components::product::{ProducerCard, ProducerPhone, ProductView};
use crate::components::status::api_view;
use crate::dates::date_vn;
use crate::geo::directions;
use crate::i18n::{fill, tr, use_i18n};

/// The route: parses the address the code held.
#[component]
pub fn ProductRoute() -> impl IntoView {
    let location = use_location();
    let link = Memo::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get();
        let uri = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        gs1::parse(&uri)
    });
    move || match link.get() {
        Err(e) => view! { <BadLink error=e/> }.into_any(),
        Ok(l) => {
            count_scan(&l, &location.query.get_untracked());
            match l.lot.clone() {
                Some(lot) => view! { <BatchPage link=l.clone() lot/> }.into_any(),
                None => view! { <ProductPage gtin=l.gtin.clone()/> }.into_any(),
            }
        }
    }
}

/// A view that came from a scan (`?src=qr`, or opened with no referrer) is
/// counted for the producer's figures.
fn count_scan(link: &DigitalLink, query: &leptos_router::params::ParamsMap) {
    let from_qr = query.get("src").as_deref() == Some("qr")
        || web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.referrer().is_empty());
    if from_qr {
        let scan = ScanEvent {
            gtin: link.gtin.clone(),
            lot: link.lot.clone(),
        };
        leptos::task::spawn_local(async move { api::count_scan(&scan).await });
    }
}

#[component]
fn BadLink(error: Gs1Error) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let gtin = RwSignal::new(String::new());
    let lot = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.locale().code();
        // The same rules as a scanned link, lot included.
        match scan::product_path(&gtin.get_untracked(), &lot.get_untracked()) {
            Ok(path) => {
                problem.set(None);
                navigate(&path, Default::default());
            }
            Err(e) => problem.set(Some(e.message(lang))),
        }
    };
    let message = move || error.message(i18n.locale().code());
    view! {
        <Title text=tr(|t| t.gs1_bad_title)/>
        <div class="error-panel" role="alert">
            <h1>{tr(|t| t.gs1_bad_title)}</h1>
            <p>{message}</p>
            <p>{tr(|t| t.gs1_bad_body)}</p>
        </div>
        <form class="question" novalidate on:submit=submit>
            <h2>{tr(|t| t.gs1_manual_title)}</h2>
            {move || problem.get().map(|m| view! { <p class="field-error" id="gtin-error" role="alert">{m}</p> })}
            <div class="form-group">
                <label class="label" for="manual-gtin">{tr(|t| t.gs1_gtin_label)}</label>
                <p class="hint" id="manual-gtin-hint">{tr(|t| t.gs1_gtin_hint)}</p>
                <input class="input input--w12" id="manual-gtin" type="text" inputmode="numeric" autocomplete="off"
                    aria-describedby="manual-gtin-hint" aria-invalid=move || problem.get().is_some().to_string()
                    prop:value=move || gtin.get() on:input=move |ev| gtin.set(event_target_value(&ev))/>
            </div>
            <div class="form-group">
                <label class="label" for="manual-lot">{move || format!("{} {}", i18n.t().gs1_lot_label, i18n.t().optional)}</label>
                <input class="input input--w12" id="manual-lot" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || lot.get() on:input=move |ev| lot.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.gs1_open)}</button>
        </form>
    }
}

#[component]
fn ProductPage(gtin: String) -> impl IntoView {
    let i18n = use_i18n();
    let gtin = StoredValue::new(gtin);
    let product =
        Remote::new(move || api::product(&gtin.get_value(), i18n.locale.get_untracked().code()));
    api_view(product, true, |p| view! { <ProductView p/> })
}

#[component]
fn BatchPage(link: DigitalLink, lot: String) -> impl IntoView {
    let i18n = use_i18n();
    let gtin = StoredValue::new(link.gtin.clone());
    let lot = StoredValue::new(lot);
    let batch = Remote::new(move || {
        api::batch(
            &gtin.get_value(),
            &lot.get_value(),
            i18n.locale.get_untracked().code(),
        )
    });
    let link = StoredValue::new(link);
    // A lot the product does not have: the product still, with what to do.
    let unknown = Memo::new(move |_| {
        batch.get().is_some_and(|r| {
            r.is_err_and(|e| e.code() == Some(ErrorCode::BatchNotFound))
        })
    });
    move || {
        if unknown.get() {
            view! { <UnknownLot gtin=gtin.get_value() lot=lot.get_value()/> }.into_any()
        } else {
            api_view(
                batch,
                true,
                move |b| view! { <BatchView b link=link.get_value()/> },
            )
            .into_any()
        }
    }
}

/// `/01/{gtin}/10/{lot}` for a lot the product has no record of (a typo, a
/// worn label): not a dead end but the product, saying the lot is unknown
/// and what to do, above its list of batches.
#[component]
fn UnknownLot(gtin: String, lot: String) -> impl IntoView {
    let i18n = use_i18n();
    let gtin = StoredValue::new(gtin);
    let product =
        Remote::new(move || api::product(&gtin.get_value(), i18n.locale.get_untracked().code()));
    api_view(product, true, move |p| {
        let lot = lot.clone();
        view! {
            <div class="notice notice--warn" role="alert">
                <p class="strong">{move || fill(i18n.t().lot_not_found_title, &[("lot", &lot)])}</p>
                <p>{move || i18n.t().lot_not_found_body}</p>
            </div>
            <ProductView p/>
        }
    })
}

#[component]
fn BatchView(b: Batch, link: DigitalLink) -> impl IntoView {
    let i18n = use_i18n();
    let b = StoredValue::new(b);
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let b = b.get_value();
        let product_href = DigitalLink {
            gtin: b.gtin.clone(),
            ..Default::default()
        }
        .path();
        let name = b.product.name.get(lang).to_string();
        // The expiry printed in the code, when it disagrees with the record.
        let mismatch = link
            .expiry
            .filter(|e| Some(*e) != Date::parse(&b.expires))
            .map(|e| {
                fill(
                    t.batch_expiry_mismatch,
                    &[
                        ("code", &date_vn(&e.to_string())),
                        ("record", &date_vn(&b.expires)),
                    ],
                )
            });
        // Recalled, with no event saying so: the recall still ends the journey.
        let recall_unrecorded = b.status == BatchStatus::Recalled
            && !b.journey.iter().any(|s| cbv_word(&s.disposition) == "recalled");
        let places: Vec<_> = {
            let mut seen: Vec<String> = Vec::new();
            b.journey
                .iter()
                .filter_map(|s| s.place.clone())
                .filter(|p| {
                    let k = p.name.vi.clone();
                    let new = !seen.contains(&k);
                    seen.push(k);
                    new
                })
                .collect()
        };
        view! {
            <Title text=format!("{} · {}", b.product.name.get(lang), b.lot.clone())/>
            <article class="product">
                <p class="back-link"><A href=product_href>{name.clone()}</A></p>
                <h1>{fill(t.batch_title, &[("lot", &b.lot)])}</h1>
                <p class="lead">{format!("{} · {}", b.product.name.get(lang), b.product.producer_name.get(lang))}</p>
                {(b.status == BatchStatus::Recalled).then(|| view! {
                    <div class="notice notice--bad" role="alert">
                        <h2>{t.recall_title}</h2>
                        <p>{b.recall_reason.as_ref().map(|r| r.get(lang).to_string()).unwrap_or_default()}</p>
                        <p>{t.recall_advice}</p>
                        {b.producer.clone().map(|producer| view! {
                            <p class="strong">{format!("{} {}", t.recall_contact, producer.name.get(lang))}</p>
                            <ProducerPhone producer/>
                        })}
                    </div>
                })}
                {(b.expired && b.status != BatchStatus::Recalled).then(|| view! {
                    <div class="notice notice--warn" role="status"><p>{fill(t.batch_expired, &[("date", &date_vn(&b.expires))])}</p></div>
                })}
                {mismatch.map(|m| view! { <div class="notice notice--warn" role="status"><p>{m}</p></div> })}
                <dl class="facts">
                    <div><dt>{t.batch_produced}</dt><dd>{date_vn(&b.produced)}</dd></div>
                    <div><dt>{t.batch_expires}</dt><dd class="strong">{date_vn(&b.expires)}</dd></div>
                    <div><dt>{t.batch_quantity}</dt><dd>{format!("{} {}", b.quantity.value, uom_label(&b.quantity.uom, lang))}</dd></div>
                </dl>
                <section aria-labelledby="journey-heading">
                    <h2 id="journey-heading">{t.journey_title}</h2>
                    <ol class="timeline timeline--forward">
                        {b.journey.iter().map(|s| view! {
                            <li class="timeline__item">
                                // The recall is a step of its own: the event that recalled the lot.
                                {(cbv_word(&s.disposition) == "recalled").then(|| view! {
                                    <p class="timeline__status"><span class="badge badge-bad">{t.journey_recall}</span></p>
                                })}
                                <p class="timeline__status">{biz_step_label(&s.biz_step, lang)}</p>
                                <p class="timeline__when">{format!("{} {}", date_vn(&s.time), s.time.get(11..16).unwrap_or(""))}</p>
                                {s.place.as_ref().map(|p| view! { <p>{p.name.get(lang).to_string()}</p> })}
                                {s.quantity.as_ref().map(|q| view! { <p class="hint">{format!("{} {}", q.value, uom_label(&q.uom, lang))}</p> })}
                            </li>
                        }).collect_view()}
                        {recall_unrecorded.then(|| view! {
                            <li class="timeline__item">
                                <p class="timeline__status"><span class="badge badge-bad">{t.journey_recall}</span></p>
                            </li>
                        })}
                    </ol>
                </section>
                {b.producer.clone().map(|producer| view! { <ProducerCard producer/> })}
                {(!places.is_empty()).then(|| view! {
                    <section aria-labelledby="places-heading">
                        <h2 id="places-heading">{t.places_title}</h2>
                        <PlacesMap places=places.clone()/>
                        <ol class="places-list">
                            {places.into_iter().map(|p| view! {
                                <li>
                                    <span>{p.name.get(lang).to_string()}</span>
                                    " · "
                                    <a href=directions(p.lat, p.lon) rel="noopener" target="_blank">
                                        {t.directions}<span class="visually-hidden">{format!(" {}", p.name.get(lang))}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                })}
                <p class="hint"><a href=api::epcis_url(&b.gtin, &b.lot)>{t.epcis_link}</a></p>
            </article>
        }
    }
}

/// A light map: the places as numbered points on a plain SVG, scaled to fit
/// (no map tiles to download); the list under it has the directions.
#[component]
fn PlacesMap(places: Vec<cuaso_domain::product::Place>) -> impl IntoView {
    let i18n = use_i18n();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &places {
        x0 = x0.min(p.lon);
        x1 = x1.max(p.lon);
        y0 = y0.min(p.lat);
        y1 = y1.max(p.lat);
    }
    let span = (x1 - x0).max(y1 - y0).max(0.02);
    let pos = |p: &cuaso_domain::product::Place| {
        (
            20.0 + (p.lon - x0) / span * 280.0,
            180.0 - (p.lat - y0) / span * 160.0,
        )
    };
    let points: Vec<(f64, f64)> = places.iter().map(pos).collect();
    let line = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="places-map" viewBox="0 0 320 200" role="img" aria-label=move || i18n.t().places_map_label>
            <rect width="320" height="200" fill="#eef3fb" rx="12"/>
            <polyline points=line fill="none" stroke="#0a4f9e" stroke-width="2" stroke-dasharray="6 4"/>
            {points.into_iter().enumerate().map(|(i, (x, y))| view! {
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="9" fill="#a3161a"/>
                <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor="middle" font-size="11" font-weight="700" fill="#fff">{(i + 1).to_string()}</text>
            }).collect_view()}
        </svg>
    }
}
