//! The sites as stored, with their versions, and a site's summary and
//! page in one language (with the domain's fallback).

use cuaso_domain::site::{Site, SiteRecord, SiteSummary};
use sqlx::AnyPool;

use super::NEARBY;
use crate::http::ApiError;

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

pub(super) async fn exists(pool: &AnyPool, slug: &str) -> Result<bool, ApiError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM sites WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

pub(super) fn json_err(e: serde_json::Error) -> ApiError {
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
