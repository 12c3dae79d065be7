//! The `/api/v1/sites…` routes. JSON answers carry `Content-Language`,
//! `Cache-Control: no-cache` and a weak `ETag`: for a site its version,
//! the requested language and a short hash of its `nearby` list (the
//! neighbours' names are part of the answer); for the list a hash of every
//! version and the language. A matching `If-None-Match` gets a 304, so the
//! app's offline copy revalidates cheaply. Unknown slug: 404
//! `site_not_found`; a slug that could not be one (not 1–60 of
//! `[a-z0-9-]`): 400 `invalid_code` (`field` = `slug`).

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cuaso_domain::site::{normalize_lang, Site, SiteList, SiteSummary};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::Serialize;

use super::lang::api_lang;
use super::qr::qr_svg;
use super::store::{exists, load_all, site_view, summary};
use crate::http::{base_url, ApiError};
use crate::infra::db::short_hash;
use crate::AppState;

/// A slug as the seed check allows it: 1–60 of `[a-z0-9-]`.
pub fn is_slug(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn bad_slug() -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidCode,
        "slug",
        "a site slug is lowercase letters, digits and dashes, such as vinh-moc",
    ))
}

pub fn site_not_found(slug: &str) -> ApiError {
    ApiError::not_found(ErrorCode::SiteNotFound, format!("no site {slug}"))
}

pub(super) fn path_slug(slug: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match slug {
        Ok(Path(s)) if is_slug(&s) => Ok(s),
        _ => Err(bad_slug()),
    }
}

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
pub(super) fn revalidated<T: Serialize>(
    req: &HeaderMap,
    etag: &str,
    lang: &str,
    body: &T,
) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
