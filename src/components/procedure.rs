//! How a procedure's facts read: badges, time limits, fees, and the card in
//! the catalogue list.

use cuaso_domain::api::{AgencyLevel, OnlineLevel, ProcedureSummary};
use cuaso_domain::money::format_vnd;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::icons::{Icon, Svg};
use crate::i18n::{fill, use_i18n, Strings};

pub fn online_label(t: &'static Strings, o: OnlineLevel) -> &'static str {
    match o {
        OnlineLevel::Full => t.online_full,
        OnlineLevel::Partial => t.online_partial,
        OnlineLevel::None => t.online_none,
    }
}

pub fn online_class(o: OnlineLevel) -> &'static str {
    match o {
        OnlineLevel::Full => "badge badge-full",
        OnlineLevel::Partial => "badge badge-partial",
        OnlineLevel::None => "badge badge-none",
    }
}

pub fn level_label(t: &'static Strings, l: AgencyLevel) -> &'static str {
    match l {
        AgencyLevel::Province => t.level_province,
        AgencyLevel::Commune => t.level_commune,
    }
}

pub fn days_label(t: &'static Strings, days: u32) -> String {
    match days {
        0 => t.days_same.to_string(),
        1 => t.days_one.to_string(),
        n => fill(t.days_n, &[("n", &n.to_string())]),
    }
}

/// A fee: "Miễn phí" for 0, "Không áp dụng" when the channel has none.
pub fn fee_label(t: &'static Strings, fee: Option<u64>) -> String {
    match fee {
        None => t.fee_na.to_string(),
        Some(0) => t.fee_free.to_string(),
        Some(v) => format_vnd(v),
    }
}

/// The lowest fee a citizen can pay, for the catalogue card.
pub fn cheapest_fee(t: &'static Strings, s: &ProcedureSummary) -> String {
    match s.fees.online.into_iter().chain(s.fees.counter).min() {
        None => t.fee_na.to_string(),
        Some(0) => t.fee_free.to_string(),
        Some(v) => fill(t.fee_from, &[("fee", &format_vnd(v))]),
    }
}

/// One catalogue entry, rendered as plain text in language `lang`.
pub fn procedure_card(p: &ProcedureSummary, t: &'static Strings, lang: &str) -> impl IntoView {
    // Component children are evaluated later: hand them owned text.
    let name = p.name.get(lang).to_string();
    view! {
        <li class="card procedure-card">
            <A href=format!("/services/{}", p.code) attr:class="procedure-card__link">
                <span class="procedure-card__name">{name}</span>
            </A>
            <p class="procedure-card__field">{p.field_name.get(lang).to_string()}</p>
            <p class="procedure-card__meta">
                <span class=online_class(p.online)>{online_label(t, p.online)}</span>
                <span class="meta-item"><Svg icon=Icon::Clock/>{days_label(t, p.days)}</span>
                <span class="meta-item"><Svg icon=Icon::Fee/>{cheapest_fee(t, p)}</span>
            </p>
        </li>
    }
}

/// [`procedure_card`] following the current language.
#[component]
pub fn ProcedureCard(p: ProcedureSummary) -> impl IntoView {
    let i18n = use_i18n();
    move || procedure_card(&p, i18n.t(), i18n.locale().code())
}
