//! Tourism (the `tourism` chunk): the site list (`/sites`), a site's guide (`/sites/{slug}` and
//! the plates' short `/s/{slug}`), and the printable QR plate
//! (`/sites/{slug}/plate`).
//!
//! Content comes in the visitor's language with the API's fallback (English,
//! then Vietnamese); the page says so when the guide is not in their
//! language, and marks the content's real language with `lang`. Opening
//! hours are worked out in Vietnam's time zone whatever the phone's. A copy
//! the service worker saved is labelled as such.

mod audio;
mod hours;
mod list;
mod plate;
mod site;

pub use list::SitesPage;
pub use plate::PlatePage;
pub use site::SiteRoute;

use cuaso_domain::site::SiteCategory;
use wasm_bindgen::JsValue;

use crate::i18n::{Locale, Strings};

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
