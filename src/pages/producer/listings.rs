//! `/producer`: the producer's listings: photo, name, stars, review status,
//! certificate (warned from 90 days before expiry) and the last 30 days'
//! scans with a sparkline; sign-out and password change.

use cuaso_domain::producer::{Listing, Listings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::{self, Remote};
use crate::dom::focus_id;
use crate::i18n::{fill, tr, use_i18n, Strings};

use super::{cert_notice, error_text, forget, is_signed_out, private_view};

#[component]
pub fn ListingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let res = Remote::new(move || {
        let lang = i18n.locale.get_untracked().code();
        async move { api::my_products(lang).await.map_err(|e| e.error) }
    });
    view! {
        <Title text=tr(|t| t.pr_listings_title)/>
        {private_view(res, |l| view! { <ListingsView l/> })}
    }
}

/// The stars as text for everyone, drawn for the eye.
pub fn stars_view(t: &'static Strings, n: u8) -> impl IntoView + use<> {
    let stars: String = (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect();
    let label = fill(t.ocop_stars, &[("n", &n.to_string())]);
    view! {
        <p class="stars">
            <span aria-hidden="true">{stars}</span>
            <span class="stars__text">{label}</span>
        </p>
    }
}

/// A small line of the last 30 days' scans; decoration only: the number is
/// beside it as text.
fn sparkline(days: &[u32]) -> impl IntoView + use<> {
    let max = days.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = days.len().max(2) - 1;
    let points = days
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * 116.0 / n as f64 + 2.0,
                28.0 - *v as f64 / max * 26.0
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="sparkline" viewBox="0 0 120 30" width="120" height="30" aria-hidden="true" focusable="false">
            <polyline points=points fill="none" stroke="#0a4f9e" stroke-width="2" stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
fn ListingsView(l: Listings) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let logout = move |everywhere: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        let lang = i18n.locale().code();
        leptos::task::spawn_local(async move {
            let r = api::logout(everywhere, lang).await;
            busy.set(false);
            match r {
                Err(e) if !is_signed_out(&e.error) => {
                    problem.set(Some(error_text(i18n.t(), &e.error)));
                    focus_id("logout-error");
                }
                _ => {
                    forget();
                    navigate(
                        "/producer/login",
                        NavigateOptions { replace: true, ..Default::default() },
                    );
                }
            }
        });
    };
    let logout_all = logout.clone();
    let l = StoredValue::new(l);
    let list = move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        l.with_value(|l| {
            if l.listings.is_empty() {
                return view! { <p class="empty">{t.pr_no_listings}</p> }.into_any();
            }
            view! {
                <ul class="card-list">
                    {l.listings.iter().map(|x| listing(t, lang, x)).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <div class="producer-head">
            <p class="hint">{tr(|t| t.page_producer)}</p>
            <h1 id="producer-name">{move || l.with_value(|l| l.producer_name.get(i18n.locale().code()).to_string())}</h1>
            {move || problem.get().map(|m| view! { <p class="field-error" id="logout-error" role="alert" tabindex="-1">{m}</p> })}
            <div class="actions">
                <A href="/producer/password" attr:class="btn btn-secondary btn-small">{tr(|t| t.pr_change_password)}</A>
                <button type="button" class="btn btn-secondary btn-small" on:click=move |_| logout(false)>{tr(|t| t.pr_logout)}</button>
                <button type="button" class="btn btn-link btn-small" on:click=move |_| logout_all(true)>{tr(|t| t.pr_logout_all)}</button>
            </div>
        </div>
        <h2>{tr(|t| t.pr_listings_title)}</h2>
        {list}
    }
}

fn listing(t: &'static Strings, lang: &'static str, x: &Listing) -> impl IntoView + use<> {
    let href = format!("/producer/products/{}", x.gtin);
    let name = x.name.get(lang).to_string();
    view! {
        <li class="card listing">
            {x.photo.clone().map(|p| view! { <img class="listing__photo" src=p.url alt="" width="96" height="72"/> })}
            <h3 class="listing__name"><A href=href>{name}</A></h3>
            {stars_view(t, x.stars)}
            <p>
                <span class=status_class(x.status)>{x.status.label(lang)}</span>
            </p>
            {x.review_note.clone().map(|n| view! { <p class="notice notice--warn">{format!("{} {n}", t.pr_review_note)}</p> })}
            {cert_notice(t, x.cert_state, x.cert_days_left, &x.certificate.expires)}
            <p class="scans">
                {sparkline(&x.scans_30d)}
                <span>{fill(t.pr_scans_30d, &[("n", &x.scans_30d_total.to_string())])}</span>
            </p>
        </li>
    }
}

/// The badge for a review status.
pub fn status_class(s: cuaso_domain::producer::ListingStatus) -> &'static str {
    use cuaso_domain::producer::ListingStatus::*;
    match s {
        Published => "badge badge-full",
        Pending | Draft => "badge badge-partial",
        ChangesRequested => "badge badge-bad",
    }
}
