//! OCOP products and their batches (`/api/v1/products...`), and scan
//! counts (`/api/v1/scans`).

use std::future::Future;

use cuaso_domain::query::encode;

use super::{from_shell, get_json_with, post_text, shell_or, ApiError, API_BASE};

/// A product, by its GTIN (14 digits).
pub fn product(
    gtin: &str,
    lang: &str,
) -> impl Future<Output = Result<cuaso_domain::product::Product, ApiError>> {
    let path = format!("/products/{}", encode(gtin));
    let headers = vec![("Accept-Language", lang.to_string())];
    let ok = |p: &cuaso_domain::product::Product| p.gtin == gtin;
    let shell = from_shell("product", ok, &path, &headers);
    let fetch = shell.is_none().then(|| get_json_with(path, headers));
    shell_or(shell, fetch)
}

/// One batch of a product, with its journey.
pub fn batch(
    gtin: &str,
    lot: &str,
    lang: &str,
) -> impl Future<Output = Result<cuaso_domain::product::Batch, ApiError>> {
    let path = format!("/products/{}/batches/{}", encode(gtin), encode(lot));
    let headers = vec![("Accept-Language", lang.to_string())];
    let ok = |b: &cuaso_domain::product::Batch| b.gtin == gtin && b.lot == lot;
    let shell = from_shell("batch", ok, &path, &headers);
    let fetch = shell.is_none().then(|| get_json_with(path, headers));
    shell_or(shell, fetch)
}

/// Where a batch's EPCIS events are published (JSON-LD).
pub fn epcis_url(gtin: &str, lot: &str) -> String {
    format!(
        "{API_BASE}/api/v1/products/{}/batches/{}/epcis",
        encode(gtin),
        encode(lot)
    )
}

/// Counts a view that came from scanning a code; no personal data is sent.
pub async fn count_scan(scan: &cuaso_domain::product::ScanEvent) {
    if let Ok(body) = serde_json::to_string(scan) {
        let _ = post_text("/scans".into(), body, Vec::new()).await;
    }
}
