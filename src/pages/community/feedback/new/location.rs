//! Where the problem is: the device's position, or a commune and an
//! address.

use cuaso_domain::feedback::{Position, ADDRESS_MAX, COMMUNE_MAX};
use leptos::either::Either;
use leptos::prelude::*;

use super::fields::{error_line, group_class, text_input};
use super::{store, Ctx};
use crate::geo::{self, Fix};
use crate::i18n::{fill, tr, use_i18n};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Denied,
    Failed,
}

/// Asks the device for its position, once; the answer goes into the draft.
fn locate(ctx: Ctx, state: RwSignal<Locating>) {
    state.set(Locating::Busy);
    let asked = geo::locate(60_000, move |fix| match fix {
        Fix::Found(lat, lon, accuracy) => {
            let p = Position {
                lat,
                lon,
                accuracy_m: accuracy.map(|a| a.round().clamp(0.0, 1e6) as u32),
            };
            if ctx
                .draft
                .try_update(|d| d.position = Some(p.clone()))
                .is_none()
            {
                store::update_draft(|d| d.position = Some(p));
            }
            ctx.server
                .try_update(|s| s.retain(|(k, _)| !k.starts_with("location.")));
            state.try_set(Locating::Idle);
        }
        Fix::Denied => {
            state.try_set(Locating::Denied);
        }
        Fix::Failed => {
            state.try_set(Locating::Failed);
        }
    });
    if !asked {
        state.set(Locating::Failed);
    }
}

/// Where it is: the device's position, or the commune and an address
/// (always there, required without a position).
pub(super) fn location_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(Locating::Idle);
    let error = ctx.error("location.position");
    let has_position = Memo::new(move |_| ctx.draft.with(|d| d.position.is_some()));
    let optional = Signal::derive(move || has_position.get());
    let position_view = move || {
        let t = i18n.t();
        match ctx.draft.with(|d| d.position.clone()) {
            Some(p) => {
                let mut text = fill(
                    t.fb_position_set,
                    &[
                        ("lat", &format!("{:.5}", p.lat)),
                        ("lon", &format!("{:.5}", p.lon)),
                    ],
                );
                if let Some(a) = p.accuracy_m {
                    text.push_str(&fill(t.fb_position_accuracy, &[("m", &a.to_string())]));
                }
                Either::Left(view! {
                    <p class="notice notice--ok fb-position" role="status">{text}</p>
                    <button type="button" class="btn btn-secondary" id="fb-locate"
                        on:click=move |_| {
                            ctx.edit("location.position", |d| d.position = None);
                            state.set(Locating::Idle);
                        }>
                        {t.fb_position_clear}
                    </button>
                })
            }
            None => {
                let busy = state.get() == Locating::Busy;
                let refused = match state.get() {
                    Locating::Denied => Some(t.fb_location_denied),
                    Locating::Failed => Some(t.fb_location_failed),
                    _ => None,
                };
                Either::Right(view! {
                    <button type="button" class="btn btn-secondary" id="fb-locate"
                        aria-disabled=busy.to_string()
                        aria-describedby=move || error.get().is_some().then_some("fb-locate-error")
                        on:click=move |_| if state.get_untracked() != Locating::Busy { locate(ctx, state) }>
                        {if busy { t.fb_locating } else { t.fb_use_location }}
                    </button>
                    {refused.map(|m| view! { <p class="notice notice--warn" role="alert">{m}</p> })}
                })
            }
        }
    };
    view! {
        <fieldset class="fieldset fb-location">
            <legend class="label">{tr(|t| t.fb_location_label)}</legend>
            <p class="hint">{tr(|t| t.fb_location_hint)}</p>
            <div class=group_class(error)>
                {error_line(error, "fb-locate-error".into())}
                {position_view}
            </div>
            {text_input(ctx, "location.commune", "fb-commune", |t| t.fb_commune_label, Some(|t| t.fb_commune_hint),
                optional, false, ("text", None, "address-level2"), |d| &d.commune, |d, v| d.commune = v, Some(COMMUNE_MAX))}
            {text_input(ctx, "location.address", "fb-address", |t| t.fb_address_label, Some(|t| t.fb_address_hint),
                optional, false, ("text", None, "street-address"), |d| &d.address, |d, v| d.address = v, Some(ADDRESS_MAX))}
        </fieldset>
    }
}
