//! `/producer/products/{gtin}`: one listing: review status, certificate,
//! batches with their 30 days of scans (a bar chart with a table beside
//! it), and the ways on: the shopper's view, a correction proposal, labels.
//! `/producer/products/{gtin}/preview`: the shopper's page itself, framed.

use cuaso_domain::producer::{BatchStats, ListingDetail};
use cuaso_domain::product::{uom_label, BatchStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::{self, Remote};
use crate::components::product::ProductView;
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::dates::date_vn;

use super::listings::{stars_view, status_class};
use super::{cert_notice, private_view};

/// The listing, fetched for a page of the portal.
pub fn fetch_detail(gtin: String) -> Remote<ListingDetail> {
    let i18n = use_i18n();
    let gtin = StoredValue::new(gtin);
    Remote::new(move || {
        let lang = i18n.locale.get_untracked().code();
        let gtin = gtin.get_value();
        async move { api::my_product(&gtin, lang).await.map_err(|e| e.error) }
    })
}

/// "← My products".
pub fn back_to(href: String, label: fn(&'static Strings) -> &'static str) -> impl IntoView {
    view! { <p class="back-link"><A href=href>{tr(label)}</A></p> }
}

#[component]
pub fn DetailPage(gtin: String) -> impl IntoView {
    let res = fetch_detail(gtin);
    private_view(res, |d| view! { <DetailView d/> })
}

#[component]
fn DetailView(d: ListingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let d = StoredValue::new(d);
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        d.with_value(|d| {
            let p = &d.product;
            let base = format!("/producer/products/{}", p.gtin);
            view! {
                <Title text=p.name.get(lang).to_string()/>
                {back_to("/producer".into(), |t| t.pr_listings_title)}
                <article class="product">
                    <h1>{p.name.get(lang).to_string()}</h1>
                    {stars_view(t, p.stars)}
                    <p>{t.pr_status}" "<span class=status_class(d.status)>{d.status.label(lang)}</span></p>
                    {d.review_note.clone().map(|n| view! { <p class="notice notice--warn">{format!("{} {n}", t.pr_review_note)}</p> })}
                    {d.proposal.is_some().then(|| view! { <p class="hint">{t.pr_public_keeps}</p> })}
                    {cert_notice(t, d.cert_state, d.cert_days_left, &p.certificate.expires)}
                    <div class="actions">
                        <A href=format!("{base}/preview") attr:class="btn btn-secondary">{t.pr_view_as_shopper}</A>
                        <A href=format!("{base}/edit") attr:class="btn btn-primary">{t.pr_propose}</A>
                    </div>
                    <h2>{t.batches_title}</h2>
                    {d.batches.iter().map(|b| batch(t, lang, &base, b)).collect_view()}
                </article>
            }
        })
    }
}

fn batch(t: &'static Strings, lang: &'static str, base: &str, b: &BatchStats) -> impl IntoView + use<> {
    let s = &b.batch;
    let recalled = s.status == BatchStatus::Recalled;
    let heading = fill(t.batch_title, &[("lot", &s.lot)]);
    let hid = format!("batch-{}", s.lot);
    let hid2 = hid.clone();
    let lot_suffix = format!(" {}", s.lot);
    view! {
        <section class="card" aria-labelledby=hid.clone()>
            <h3 id=hid2>{heading}" "
                {if recalled {
                    view! { <span class="badge badge-bad">{t.batch_recalled_badge}</span> }.into_any()
                } else {
                    view! { <span class="badge badge-full">{t.pr_batch_active}</span> }.into_any()
                }}
            </h3>
            {recalled.then(|| view! {
                <p class="notice notice--bad">{s.recall_reason.as_ref().map(|r| r.get(lang).to_string()).unwrap_or_default()}</p>
            })}
            <dl class="facts">
                <div><dt>{t.batch_produced}</dt><dd>{date_vn(&s.produced)}</dd></div>
                <div><dt>{t.batch_expires}</dt><dd>{date_vn(&s.expires)}</dd></div>
                <div><dt>{t.batch_quantity}</dt><dd>{format!("{} {}", b.quantity.value, uom_label(&b.quantity.uom, lang))}</dd></div>
            </dl>
            <p class="strong">{fill(t.pr_scans_30d, &[("n", &b.scans_total.to_string())])}</p>
            {bar_chart(t, &s.lot, b)}
            <details class="scan-table">
                <summary>{t.pr_scan_table}</summary>
                <table class="hours-table">
                    <thead><tr><th scope="col">{t.pr_day}</th><th scope="col">{t.pr_scans}</th></tr></thead>
                    <tbody>
                        {b.scans.iter().map(|d| view! {
                            <tr><th scope="row">{date_vn(&d.day)}</th><td>{d.count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            // A recalled lot is not to be sold: no labels offered for it.
            {(!recalled).then(|| view! {
                <p class="link-more"><A href=format!("{base}/batches/{}/labels", s.lot)>{t.pr_print_labels}<span class="visually-hidden">{lot_suffix}</span></A></p>
            })}
        </section>
    }
}

/// Scans per day as bars; the chart says what it shows, each bar its day
/// and count, and the table under it has the same figures.
fn bar_chart(t: &'static Strings, lot: &str, b: &BatchStats) -> impl IntoView + use<> {
    let max = b.scans.iter().map(|d| d.count).max().unwrap_or(0);
    let top = b.scans.iter().rev().find(|d| d.count == max && max > 0);
    let label = fill(
        t.pr_chart_label,
        &[
            ("lot", lot),
            ("n", &b.scans_total.to_string()),
            ("max", &max.to_string()),
            ("day", &top.map(|d| date_vn(&d.day)).unwrap_or_default()),
        ],
    );
    let scale = 80.0 / max.max(1) as f64;
    view! {
        <svg class="bar-chart" viewBox="0 0 300 100" role="img" aria-label=label>
            <line x1="0" y1="90.5" x2="300" y2="90.5" stroke="#6b6b76"/>
            {b.scans.iter().enumerate().map(|(i, d)| {
                let h = d.count as f64 * scale;
                view! {
                    <rect x=format!("{}", i * 10 + 1) y=format!("{:.1}", 90.0 - h) width="8" height=format!("{:.1}", h.max(0.5)) fill="#0a4f9e">
                        <title>{format!("{}: {}", date_vn(&d.day), d.count)}</title>
                    </rect>
                }
            }).collect_view()}
        </svg>
    }
}

/// "Xem như người mua": the public product page's own component, fed with
/// the approved version, in a marked frame.
#[component]
pub fn PreviewPage(gtin: String) -> impl IntoView {
    let back = format!("/producer/products/{gtin}");
    let res = fetch_detail(gtin);
    let back = StoredValue::new(back);
    private_view(res, move |d| {
        view! {
            <div class="preview-frame">
                <div class="preview-bar">
                    <p class="strong">{tr(|t| t.pr_preview_note)}</p>
                    <p class="back-link"><A href=back.get_value()>{tr(|t| t.pr_preview_back)}</A></p>
                </div>
                <ProductView p=d.product/>
            </div>
        }
    })
}
