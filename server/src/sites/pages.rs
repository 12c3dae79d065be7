//! The link previews of `/s/{slug}` (the plate's link) and
//! `/sites/{slug}`: the app shell with the site's title and OpenGraph
//! tags, in the visitor's language, and the site's answer inlined.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cuaso_domain::site::Site;

use super::api::path_slug;
use super::lang::page_lang;
use super::store::{load_all, site_view};
use crate::http::base_url;
use crate::infra::web::{escape, with_head_tags, Pages};

/// `/s/{slug}` (the plate's link) and `/sites/{slug}`: the app shell with
/// the site's title and OpenGraph tags.
pub fn pages(r: Arc<Pages>) -> Router {
    Router::new()
        .route("/s/{slug}", get(page))
        .route("/sites/{slug}", get(page))
        .with_state(r)
}

pub(super) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("Accept-Language")),
        ],
        body,
    )
        .into_response()
}

/// The shell with the site's preview; the plain shell with 404 for an
/// unknown site (the app words the error), and with 200 if the database
/// fails (the app will say so itself).
pub(super) async fn page(
    State(r): State<Arc<Pages>>,
    uri: Uri,
    headers: HeaderMap,
    slug: Result<Path<String>, PathRejection>,
) -> Response {
    let plain = |status| html(status, r.shell.html.clone());
    let Ok(slug) = path_slug(slug) else {
        return plain(StatusCode::NOT_FOUND);
    };
    let Ok(sites) = load_all(&r.state.pool).await else {
        return plain(StatusCode::OK);
    };
    let Some((record, _)) = sites.find(&slug) else {
        return plain(StatusCode::NOT_FOUND);
    };
    let requested = page_lang(uri.query(), &headers);
    let Some(site) = site_view(&sites, &slug, &requested) else {
        return plain(StatusCode::OK);
    };
    let base = base_url(&r.state, &headers, &uri);
    let others = record
        .text
        .keys()
        .map(String::as_str)
        .filter(|l| *l != site.lang);
    let tags = preview_tags(&base, &site, others);
    let mut page = with_head_tags(&r.shell.html, &tags);
    // The guide as `/api/v1/sites/{slug}?lang=` answers it, inlined: one
    // round trip less (the app takes it when it asks in the same language).
    if let Ok(json) = serde_json::to_string(&site) {
        page = crate::infra::web::with_data(&page, "site", &json);
    }
    let page = r
        .shell
        .with_preloads(&page, &["tourism", "strings_fetch"], &requested);
    html(StatusCode::OK, page)
}

/// The OpenGraph locale of a site language.
pub fn og_locale(lang: &str) -> &'static str {
    match lang {
        "en" => "en_US",
        "ko" => "ko_KR",
        "zh" => "zh_CN",
        _ => "vi_VN",
    }
}

/// `<title>`, description and OpenGraph tags for a site, escaped;
/// `others` are the other languages it is written in.
pub fn preview_tags<'a>(base: &str, site: &Site, others: impl Iterator<Item = &'a str>) -> String {
    let mut desc = site.text.summary.clone();
    if desc.chars().count() > 200 {
        desc = desc.chars().take(199).collect::<String>() + "…";
    }
    let (t, d) = (escape(&site.text.name), escape(&desc));
    let url = format!("{base}/sites/{}", site.slug);
    let mut tags = format!(
        "<title>{t}</title><meta name=\"description\" content=\"{d}\">\
         <meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:title\" content=\"{t}\">\
         <meta property=\"og:description\" content=\"{d}\">\
         <meta property=\"og:url\" content=\"{}\">\
         <meta property=\"og:locale\" content=\"{}\">",
        escape(&url),
        og_locale(&site.lang)
    );
    for l in others {
        let _ = write!(
            tags,
            "<meta property=\"og:locale:alternate\" content=\"{}\">",
            og_locale(l)
        );
    }
    if let Some(photo) = site.photos.first() {
        let img = if photo.src.starts_with("https://") || photo.src.starts_with("http://") {
            photo.src.clone()
        } else {
            format!("{base}/{}", photo.src.trim_start_matches('/'))
        };
        let _ = write!(
            tags,
            "<meta property=\"og:image\" content=\"{}\">\
             <meta property=\"og:image:width\" content=\"{}\">\
             <meta property=\"og:image:height\" content=\"{}\">\
             <meta property=\"og:image:alt\" content=\"{}\">",
            escape(&img),
            photo.width,
            photo.height,
            escape(&photo.alt)
        );
    }
    tags
}
