//! The tourism sites' seed (`seed/sites.json`): every record checked by
//! the domain, slugs unique, then loaded once per version of the file.

use std::collections::HashSet;

use cuaso_domain::site::{SiteRecord, SITE_LANGS};
use sqlx::AnyPool;

use crate::infra::db::{self, short_hash};

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
    db::finish_seed_run(tx, &run).await?;
    if sites.is_empty() {
        tracing::warn!(run = %run, "the sites seed is empty: no tourism sites are served");
    } else {
        tracing::info!(sites = sites.len(), run = %run, "seeded the tourism sites");
    }
    Ok(())
}
