//! Tourism sites (`/api/v1/sites...`), in the visitor's language.

use std::future::Future;

use cuaso_domain::query::encode;

use super::{from_shell, get_json_saved, shell_or, ApiError, Maybe, API_BASE};

/// The tourism sites, in a language (`vi`, `en`, `ko`, `zh`), or the
/// service worker's saved copy.
pub fn sites(
    lang: &str,
) -> impl Future<Output = Result<Maybe<cuaso_domain::site::SiteList>, ApiError>> {
    get_json_saved(format!("/sites?lang={}", encode(lang)))
}

/// One site's guide in a language, or the service worker's saved copy.
pub fn site(
    slug: &str,
    lang: &str,
) -> impl Future<Output = Result<Maybe<cuaso_domain::site::Site>, ApiError>> {
    let path = format!("/sites/{}?lang={}", encode(slug), encode(lang));
    let ok = |s: &cuaso_domain::site::Site| s.slug == slug && s.requested_lang == lang;
    let shell = from_shell("site", ok, &path, &[]).map(|value| Maybe { value, saved: None });
    let fetch = shell.is_none().then(|| get_json_saved(path));
    shell_or(shell, fetch)
}

/// The printable QR code of a site's plate (SVG).
pub fn site_qr_url(slug: &str) -> String {
    format!("{API_BASE}/api/v1/sites/{}/qr.svg", encode(slug))
}
