//! Tourism sites: the seed (`seed/sites.json`), `/api/v1/sites…`, the QR
//! code of a site's plate, and the link previews of `/s/{slug}` and
//! `/sites/{slug}`.
//!
//! - `?lang=` is a language tag (`vi`, `ko-KR`, `zh-Hans-CN`): its primary
//!   subtag is the requested language. A supported one is served, another
//!   falls back to English, then Vietnamese (per site, per photo), and the
//!   answer says which language each text is in. Missing: `vi`. Not a
//!   language tag at all: 400 `invalid_parameter` (`field` = `lang`),
//!   never echoed.
//! - JSON answers carry `Content-Language`, `Cache-Control: no-cache` and
//!   a weak `ETag`: for a site its version, the requested language and a
//!   short hash of its `nearby` list (the neighbours' names are part of the
//!   answer); for the list a hash of every version and the language. A
//!   matching `If-None-Match` gets a 304, so the app's offline copy
//!   revalidates cheaply.
//! - Unknown slug: 404 `site_not_found`; a slug that could not be one
//!   (not 1–60 of `[a-z0-9-]`): 400 `invalid_code` (`field` = `slug`).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cuaso_domain::site::{normalize_lang, Site, SiteList, SiteRecord, SiteSummary, SITE_LANGS};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use serde::Serialize;
use sqlx::AnyPool;

use crate::http::{base_url, negotiate, ApiError};
use crate::infra::db::{self, short_hash};
use crate::infra::web::{escape, with_head_tags, Pages};
use crate::AppState;

/// How many other sites a site's page lists, nearest first.
pub const NEARBY: usize = 5;

/// Light modules around a plate's QR code, as ISO/IEC 18004 asks.
pub const QR_QUIET_ZONE: i32 = 4;

/// The printed size of a plate's QR code (the SVG's width and height).
pub const QR_PRINT_SIZE: &str = "100mm";

// ---- seed ----

/// Checks the seed: every record passes [`SiteRecord::check`], slugs are
/// unique, and audio and photo alt texts are in a known language.
pub fn parse_seed(json: &str) -> Result<Vec<SiteRecord>, String> {
    let sites: Vec<SiteRecord> =
        serde_json::from_str(json).map_err(|e| format!("seed sites: {e}"))?;
    let mut seen = HashSet::new();
    for s in &sites {
        s.check().map_err(|e| format!("seed sites: {e}"))?;
        if !seen.insert(s.slug.as_str()) {
            return Err(format!("seed sites: slug {} twice", s.slug));
        }
        let langs = s
            .audio
            .keys()
            .chain(s.photos.iter().flat_map(|p| p.alt.keys()));
        for l in langs {
            if !SITE_LANGS.contains(&l.as_str()) {
                return Err(format!("seed sites: {}: unknown language {l}", s.slug));
            }
        }
    }
    Ok(sites)
}

/// The record as stored (`sites.body`) and its version: 16 hex digits of
/// the SHA-256 of that JSON.
pub fn stored_form(record: &SiteRecord) -> Result<(String, String), serde_json::Error> {
    let body = serde_json::to_string(record)?;
    let version = short_hash(body.as_bytes());
    Ok((body, version))
}

/// Loads the sites seed once per version of the file (the run is named by
/// its hash), replacing every site an earlier version loaded. Only the
/// newest run is remembered, so going back to an earlier file loads it
/// again.
pub async fn seed(pool: &AnyPool, json: &str) -> Result<(), sqlx::Error> {
    let sites = parse_seed(json).map_err(|m| sqlx::Error::Configuration(m.into()))?;
    let run = db::seed_run_name("sites", json);
    if db::seed_run_done(pool, &run).await? {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM sites").execute(&mut *tx).await?;
    for (i, s) in sites.iter().enumerate() {
        let (body, version) = stored_form(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        sqlx::query("INSERT INTO sites (slug, position, version, body) VALUES ($1, $2, $3, $4)")
            .bind(&s.slug)
            .bind(i as i64)
            .bind(&version)
            .bind(&body)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM seed_runs WHERE name LIKE 'sites-%'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO seed_runs (name) VALUES ($1)")
        .bind(&run)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if sites.is_empty() {
        tracing::warn!(run = %run, "the sites seed is empty: no tourism sites are served");
    } else {
        tracing::info!(sites = sites.len(), run = %run, "seeded the tourism sites");
    }
    Ok(())
}

// ---- reads ----

/// Every site in seed order, with its version.
pub struct Sites {
    pub records: Vec<SiteRecord>,
    /// `versions[i]` is the version of `records[i]`.
    pub versions: Vec<String>,
}

impl Sites {
    pub fn find(&self, slug: &str) -> Option<(&SiteRecord, &str)> {
        let i = self.records.iter().position(|r| r.slug == slug)?;
        Some((&self.records[i], &self.versions[i]))
    }
}

pub async fn load_all(pool: &AnyPool) -> Result<Sites, ApiError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT body, version FROM sites ORDER BY position, slug")
            .fetch_all(pool)
            .await?;
    let mut sites = Sites {
        records: Vec::with_capacity(rows.len()),
        versions: Vec::with_capacity(rows.len()),
    };
    for (body, version) in rows {
        sites
            .records
            .push(serde_json::from_str(&body).map_err(json_err)?);
        sites.versions.push(version);
    }
    Ok(sites)
}

async fn exists(pool: &AnyPool, slug: &str) -> Result<bool, ApiError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM sites WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

fn json_err(e: serde_json::Error) -> ApiError {
    tracing::error!(error = %e, "sites: stored JSON does not parse");
    ApiError::internal("stored data is broken")
}

/// A site's summary for the list, in `requested` with the same fallback
/// as the page.
pub fn summary(r: &SiteRecord, requested: &str, version: &str) -> Option<SiteSummary> {
    let v = r.view(requested, version)?;
    Some(SiteSummary {
        slug: v.slug,
        category: v.category,
        lat: v.lat,
        lon: v.lon,
        lang: v.lang,
        name: v.text.name,
        summary: v.text.summary,
        photo: v.photos.into_iter().next(),
        version: v.version,
    })
}

/// A site with its nearest neighbours, in `requested`.
pub fn site_view(sites: &Sites, slug: &str, requested: &str) -> Option<Site> {
    let (record, version) = sites.find(slug)?;
    let mut site = record.view(requested, version)?;
    site.nearby = record.nearby(&sites.records, requested, NEARBY);
    Some(site)
}

// ---- languages ----

/// Is `tag` shaped like a language tag: 2–8 ASCII letters, then subtags of
/// 1–8 letters or digits, each after a `-` (or the `_` of POSIX locales)?
pub fn is_lang_tag(tag: &str) -> bool {
    if tag.len() > 64 {
        return false;
    }
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The language a tag asks for (its primary subtag, lowercase), supported
/// or not; `None` when it is not a language tag.
pub fn requested_lang(tag: &str) -> Option<String> {
    if !is_lang_tag(tag) {
        return None;
    }
    Some(match normalize_lang(tag) {
        Some(l) => l.to_string(),
        None => tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase(),
    })
}

fn query_lang(raw: Option<&str>) -> Option<String> {
    form_urlencoded::parse(raw?.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

/// `?lang=` of an API request: `vi` when absent, 400 when not a tag.
fn api_lang(raw: Option<&str>) -> Result<String, ApiError> {
    match query_lang(raw) {
        None => Ok("vi".into()),
        Some(tag) => requested_lang(&tag).ok_or_else(|| {
            ApiError::bad_request(ApiErrorBody::for_field(
                ErrorCode::InvalidParameter,
                "lang",
                "lang must be a language tag such as vi, en, ko-KR or zh-Hans",
            ))
        }),
    }
}

/// The site language `Accept-Language` prefers, if any (see
/// [`negotiate`]).
pub fn accept_language(headers: &HeaderMap) -> Option<&'static str> {
    negotiate(headers, &SITE_LANGS)
}

/// A page's language: `?lang=` when it is a language tag, else the first
/// supported language of `Accept-Language`, else `vi`.
pub fn page_lang(query: Option<&str>, headers: &HeaderMap) -> String {
    query_lang(query)
        .and_then(|t| requested_lang(&t))
        .or_else(|| accept_language(headers).map(str::to_string))
        .unwrap_or_else(|| "vi".into())
}

// ---- slugs and errors ----

/// A slug as the seed check allows it: 1–60 of `[a-z0-9-]`.
pub fn is_slug(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn bad_slug() -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidCode,
        "slug",
        "a site slug is lowercase letters, digits and dashes, such as vinh-moc",
    ))
}

pub fn site_not_found(slug: &str) -> ApiError {
    ApiError::not_found(ErrorCode::SiteNotFound, format!("no site {slug}"))
}

fn path_slug(slug: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match slug {
        Ok(Path(s)) if is_slug(&s) => Ok(s),
        _ => Err(bad_slug()),
    }
}

// ---- conditional answers ----

/// Does `If-None-Match` name `etag` (weak comparison) or `*`?
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |t: &str| t.strip_prefix("W/").unwrap_or(t).to_string();
    let etag = opaque(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || opaque(t) == etag)
}

/// JSON with its `ETag`, `Content-Language` and `Cache-Control: no-cache`,
/// or a bodiless 304 when the client has it already. The ETags are weak:
/// the compression layer may send the same JSON in other bytes.
fn revalidated<T: Serialize>(req: &HeaderMap, etag: &str, lang: &str, body: &T) -> Response {
    let mut res = if etag_matches(req, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(body).into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(lang) {
        h.insert(header::CONTENT_LANGUAGE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

// ---- API handlers ----

/// Every tourism site, in the province's order, in one language (with
/// English-then-Vietnamese fallback; each summary says its `lang`).
#[utoipa::path(get, path = "/api/v1/sites", tag = "tourism",
    params(("lang" = Option<String>, Query,
        description = "Language tag: vi (default), en, ko, zh or a regional form (ko-KR); others fall back to English")),
    responses(
        (status = 200, body = SiteList, headers(
            ("ETag" = String, description = "Changes when any site or the language changes"),
            ("Content-Language" = String, description = "The languages served"))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, body = ApiErrorBody)))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let requested = api_lang(raw.as_deref())?;
    let sites = load_all(&s.pool).await?;
    let summaries: Vec<SiteSummary> = sites
        .records
        .iter()
        .zip(&sites.versions)
        .filter_map(|(r, v)| summary(r, &requested, v))
        .collect();
    let mut langs: Vec<String> = Vec::new();
    for x in &summaries {
        if !langs.contains(&x.lang) {
            langs.push(x.lang.clone());
        }
    }
    if langs.is_empty() {
        langs.push(normalize_lang(&requested).unwrap_or("en").to_string());
    }
    // In the order of the fallback.
    langs.sort_by_key(|l| {
        [requested.as_str(), "en", "vi"]
            .iter()
            .position(|x| x == l)
            .unwrap_or(3)
    });
    let mut all = String::new();
    for (slug, version) in sites.records.iter().map(|r| &r.slug).zip(&sites.versions) {
        let _ = write!(all, "{slug}={version};");
    }
    let etag = format!("W/\"{}-{requested}\"", short_hash(all.as_bytes()));
    let body = SiteList {
        requested_lang: requested,
        sites: summaries,
    };
    Ok(revalidated(&headers, &etag, &langs.join(", "), &body))
}

/// One site in one language, with its opening hours, tickets, photos,
/// audio guide and the nearest other sites.
#[utoipa::path(get, path = "/api/v1/sites/{slug}", tag = "tourism",
    params(("slug" = String, Path, description = "e.g. vinh-moc"),
        ("lang" = Option<String>, Query,
        description = "Language tag: vi (default), en, ko, zh or a regional form (ko-KR); others fall back to English")),
    responses(
        (status = 200, body = Site, headers(
            ("ETag" = String, description = "The site's version and the language"),
            ("Content-Language" = String, description = "The language of the words"))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn site(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let slug = path_slug(slug)?;
    let requested = api_lang(raw.as_deref())?;
    let sites = load_all(&s.pool).await?;
    if sites.find(&slug).is_none() {
        return Err(site_not_found(&slug));
    }
    let site = site_view(&sites, &slug, &requested)
        .ok_or_else(|| ApiError::internal("a site without text"))?;
    // The neighbours' names and distances are part of the answer too.
    let nearby = serde_json::to_string(&site.nearby).unwrap_or_default();
    let etag = format!(
        "W/\"{}-{requested}-{}\"",
        site.version,
        &short_hash(nearby.as_bytes())[..8]
    );
    Ok(revalidated(&headers, &etag, &site.lang, &site))
}

/// The QR code for the site's plate: `{public base URL}/s/{slug}`, error
/// correction Q, a 4-module quiet zone, 100 mm wide.
#[utoipa::path(get, path = "/api/v1/sites/{slug}/qr.svg", tag = "tourism",
    params(("slug" = String, Path, description = "e.g. vinh-moc")),
    responses(
        (status = 200, description = "SVG, black on white, one path for the dark modules",
            content_type = "image/svg+xml"),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn qr(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let slug = path_slug(slug)?;
    if !exists(&s.pool, &slug).await? {
        return Err(site_not_found(&slug));
    }
    let url = format!("{}/s/{slug}", base_url(&s, &headers, &uri));
    let svg =
        qr_svg(&url).ok_or_else(|| ApiError::internal("the link is too long for a QR code"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"qr-{slug}.svg\""),
            ),
        ],
        svg,
    )
        .into_response())
}

/// `text` as a QR code in SVG: error correction Q (not raised, so every
/// plate is alike), a quiet zone of [`QR_QUIET_ZONE`] modules, the
/// `viewBox` in modules, black on white, one `<path>` of
/// `M{x} {y}h{run}v1h-{run}z` rectangles (one per run of dark modules in a
/// row). `None` if `text` does not fit.
pub fn qr_svg(text: &str) -> Option<String> {
    let segs = QrSegment::make_segments(text);
    let qr = QrCode::encode_segments_advanced(
        &segs,
        QrCodeEcc::Quartile,
        Version::MIN,
        Version::MAX,
        None,
        false,
    )
    .ok()?;
    let n = qr.size();
    let dim = n + 2 * QR_QUIET_ZONE;
    let mut d = String::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && qr.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(
                d,
                "M{} {}h{run}v1h-{run}z",
                start + QR_QUIET_ZONE,
                y + QR_QUIET_ZONE
            );
        }
    }
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {dim} {dim}\" \
         width=\"{QR_PRINT_SIZE}\" height=\"{QR_PRINT_SIZE}\" shape-rendering=\"crispEdges\">\
         <title>{}</title>\
         <rect x=\"0\" y=\"0\" width=\"{dim}\" height=\"{dim}\" fill=\"#ffffff\"/>\
         <path d=\"{d}\" fill=\"#000000\"/></svg>\n",
        escape(text)
    ))
}

// ---- link previews ----

/// `/s/{slug}` (the plate's link) and `/sites/{slug}`: the app shell with
/// the site's title and OpenGraph tags.
pub fn pages(r: Arc<Pages>) -> Router {
    Router::new()
        .route("/s/{slug}", get(page))
        .route("/sites/{slug}", get(page))
        .with_state(r)
}

fn html(status: StatusCode, body: String) -> Response {
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
async fn page(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in [
            "vi",
            "ko-KR",
            "zh-Hans-CN",
            "en_US",
            "fr",
            "FR-ca",
            "gsw-u-sd-chzh",
        ] {
            assert!(is_lang_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "v",
            "<script>",
            "vi-",
            "-vi",
            "vi--x",
            "abcdefghi",
            "en-abcdefghi",
            "e1",
            "vi;q=1",
            "ko KR",
        ] {
            assert!(!is_lang_tag(bad), "{bad}");
        }
        assert_eq!(requested_lang("ko-KR").as_deref(), Some("ko"));
        assert_eq!(requested_lang("FR-ca").as_deref(), Some("fr"));
        assert_eq!(requested_lang("x<y"), None);
    }

    #[test]
    fn accept_language_by_preference() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(accept_language(&h("fr-FR,ko;q=0.8,en;q=0.9")), Some("en"));
        assert_eq!(accept_language(&h("fr, de;q=0.5")), None);
        assert_eq!(accept_language(&h("zh-Hans-CN, en")), Some("zh"));
        assert_eq!(accept_language(&h("en;q=0, ko")), Some("ko"));
        assert_eq!(page_lang(Some("lang=en"), &h("ko")), "en");
        assert_eq!(page_lang(Some("lang=%3Cx%3E"), &h("ko")), "ko");
        assert_eq!(page_lang(None, &HeaderMap::new()), "vi");
    }

    #[test]
    fn etags_weak_and_lists() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            m
        };
        assert!(etag_matches(&h("\"a\""), "\"a\""));
        assert!(etag_matches(&h("W/\"a\""), "\"a\""));
        assert!(etag_matches(&h("\"a\""), "W/\"a\""));
        assert!(etag_matches(&h("W/\"a\""), "W/\"a\""));
        assert!(etag_matches(&h("\"b\", \"a\""), "\"a\""));
        assert!(etag_matches(&h("*"), "\"a\""));
        assert!(!etag_matches(&h("\"b\""), "\"a\""));
        assert!(!etag_matches(&HeaderMap::new(), "\"a\""));
    }

    #[test]
    fn qr_svg_shape() {
        let svg = qr_svg("https://example.vn/s/vinh-moc").unwrap();
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert!(svg.contains("width=\"100mm\""));
        assert!(qr_svg(&"x".repeat(5000)).is_none());
    }
}
