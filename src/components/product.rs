//! A product as a shopper sees it: photo, name, OCOP stars and certificate,
//! the producer and how to reach them, where to buy it, and its batches. The product page
//! (`/01/{gtin}`) and the producer portal's "Xem như người mua" preview are
//! this one component, so the two can never differ.

use cuaso_domain::date::Date;
use cuaso_domain::gs1::DigitalLink;
use cuaso_domain::product::{BatchStatus, Producer, ProducerKind, Product};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::config::use_config;
use crate::dates::{date_vn, today};
use crate::geo::directions;
use crate::i18n::{fill, use_i18n, Strings};

fn stars(n: u8) -> String {
    (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

fn kind_label(t: &'static Strings, k: ProducerKind) -> &'static str {
    match k {
        ProducerKind::Enterprise => t.producer_enterprise,
        ProducerKind::Cooperative => t.producer_cooperative,
        ProducerKind::CooperativeGroup => t.producer_group,
        ProducerKind::Household => t.producer_household,
    }
}

/// The producer and how to reach them: the product page's, the batch
/// page's (a recall tells the shopper to contact them).
#[component]
pub fn ProducerCard(producer: Producer) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let producer = producer.clone();
        view! {
            <section class="card" aria-labelledby="producer-heading">
                <h2 id="producer-heading">{t.producer_title}</h2>
                <p class="strong">{producer.name.get(lang).to_string()}</p>
                <p class="hint">{kind_label(t, producer.kind)}</p>
                <p>{producer.address.as_ref().map(|a| a.get(lang).to_string())
                    .unwrap_or_else(|| format!("{}, {}", producer.commune, producer.province))}</p>
                <ProducerPhone producer=producer.clone()/>
                {producer.location.map(|l| view! { <p><a href=directions(l.lat, l.lon) rel="noopener" target="_blank">{t.directions}</a></p> })}
            </section>
        }
    }
}

/// The producer's phone as a `tel:` link. When the OCOP listing has none
/// (the seed's sources give none), it says so and gives the province's
/// hotline instead: no number is ever made up.
#[component]
pub fn ProducerPhone(producer: Producer) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    move || {
        let t = i18n.t();
        match producer.phone.clone() {
            Some(ph) => view! {
                <p>{t.producer_phone}" "<a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a></p>
            }
            .into_any(),
            None => {
                let hotline = config.with(|c| c.hotline.clone());
                view! {
                    <p>{t.producer_phone_none}" "<a href=format!("tel:{hotline}")>{hotline.clone()}</a></p>
                }
                .into_any()
            }
        }
    }
}

/// The shopper's product page; also the producer portal's "Xem như người
/// mua" preview, so the two can never differ.
#[component]
pub fn ProductView(p: Product) -> impl IntoView {
    let i18n = use_i18n();
    let p = StoredValue::new(p);
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let p = p.get_value();
        let cert = &p.certificate;
        let producer = p.producer.clone();
        let photo = p.photos.first().cloned();
        view! {
            <Title text=p.name.get(lang).to_string()/>
            <article class="product">
                {photo.map(|ph| view! { <img class="product__photo" src=ph.url alt=ph.alt.get(lang).to_string() width="320" height="240"/> })}
                <h1>{p.name.get(lang).to_string()}</h1>
                <p class="stars" aria-label=fill(t.ocop_stars_label, &[("n", &p.stars.to_string())])>
                    <span aria-hidden="true">{stars(p.stars)}</span>
                    <span class="stars__text">{fill(t.ocop_stars, &[("n", &p.stars.to_string())])}</span>
                </p>
                <p id="certificate" class=if cert.valid { "notice notice--ok" } else { "notice notice--bad" }>
                    {if cert.valid {
                        fill(t.cert_valid, &[("date", &date_vn(&cert.expires))])
                    } else {
                        fill(t.cert_expired, &[("date", &date_vn(&cert.expires))])
                    }}
                    {cert.number.clone().map(|n| format!(" · {} {n}", t.cert_number))}
                </p>
                <p>{p.description.get(lang).to_string()}</p>
                <dl class="facts">
                    <div><dt>{t.product_ingredients}</dt><dd>{p.ingredients.get(lang).to_string()}</dd></div>
                    <div><dt>{t.product_shelf_life}</dt><dd>{fill(t.shelf_life_n, &[("n", &p.shelf_life_days.to_string())])}</dd></div>
                    {p.net_content.clone().map(|c| view! { <div><dt>{t.product_net}</dt><dd>{c}</dd></div> })}
                    <div><dt>{t.product_gtin}</dt><dd class="code">{p.gtin.clone()}</dd></div>
                </dl>
                <ProducerCard producer/>
                {(!p.points_of_sale.is_empty()).then(|| view! {
                    <section aria-labelledby="buy-heading">
                        <h2 id="buy-heading">{t.where_to_buy}</h2>
                        <ul class="bullets">
                            {p.points_of_sale.iter().map(|s| view! {
                                <li>
                                    <span class="strong">{s.name.get(lang).to_string()}</span>
                                    {s.address.as_ref().map(|a| format!(" · {}", a.get(lang)))}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section aria-labelledby="batches-heading">
                    <h2 id="batches-heading">{t.batches_title}</h2>
                    <ul class="link-list">
                        {p.batches.clone().into_iter().map(|b| {
                            let href = DigitalLink { gtin: p.gtin.clone(), lot: Some(b.lot.clone()), ..Default::default() }.path();
                            let expired = Date::parse(&b.expires).is_some_and(|e| e < today());
                            view! {
                                <li>
                                    <A href=href>{fill(t.batch_link, &[("lot", &b.lot), ("date", &date_vn(&b.produced))])}</A>
                                    {(b.status == BatchStatus::Recalled).then(|| view! { <span class="badge badge-bad">{t.batch_recalled_badge}</span> })}
                                    {(expired && b.status != BatchStatus::Recalled).then(|| view! { <span class="badge">{t.batch_expired_badge}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </article>
        }
    }
}

