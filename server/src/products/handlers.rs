//! The public product routes: `/api/v1/products/…` (a product, a batch,
//! its EPCIS document) and `/api/v1/scans` (scan counts, nothing about the
//! client).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cuaso_domain::gs1::{self, Gs1Error};
use cuaso_domain::product::{Batch, Product, ScanEvent};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde_json::Value;

use super::seed::{check_lot, EPCIS_CONTEXT};
use super::store::{
    batch_events, batch_exists, batch_not_found, json_err, load_batch, load_product,
    product_not_found, product_parts,
};
use crate::http::{request_lang, ApiError, Json, Lang};
use crate::AppState;

/// 400 `bad_digital_link`, `field` = the Gs1Error code, message in `lang`.
pub fn bad_link(e: &Gs1Error, lang: &str) -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::BadDigitalLink,
        e.code(),
        e.message(lang),
    ))
}

/// A GTIN from a path: 8, 12, 13 or 14 digits, as 14.
pub(crate) fn path_gtin(gtin: &str, lang: &str) -> Result<String, ApiError> {
    gs1::gtin14(gtin).map_err(|e| bad_link(&e, lang))
}

pub(crate) fn path_lot(gtin: &str, lot: &str, lang: &str) -> Result<(), ApiError> {
    check_lot(gtin, lot).map_err(|e| bad_link(&e, lang))
}

/// One OCOP product with its producer and batches.
#[utoipa::path(get, path = "/api/v1/products/{gtin}", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses((status = 200, body = Product), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn product(
    State(s): State<Arc<AppState>>,
    Lang(l): Lang,
    gtin: Result<Path<String>, PathRejection>,
) -> Result<Json<Product>, ApiError> {
    let Ok(Path(gtin)) = gtin else {
        return Err(bad_link(&Gs1Error::BadPercentEncoding, l));
    };
    let gtin = path_gtin(&gtin, l)?;
    Ok(Json(load_product(&s.pool, &gtin, s.clock.today()).await?))
}

/// One batch with its journey (from its EPCIS events).
#[utoipa::path(get, path = "/api/v1/products/{gtin}/batches/{lot}", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14"),
        ("lot" = String, Path, description = "Batch/lot (AI 10)")),
    responses((status = 200, body = Batch), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn batch(
    State(s): State<Arc<AppState>>,
    Lang(l): Lang,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<Batch>, ApiError> {
    let Ok(Path((gtin, lot))) = path else {
        return Err(bad_link(&Gs1Error::BadPercentEncoding, l));
    };
    let gtin = path_gtin(&gtin, l)?;
    path_lot(&gtin, &lot, l)?;
    Ok(Json(
        load_batch(&s.pool, &gtin, &lot, s.clock.today()).await?,
    ))
}

/// The batch's EPCIS 2.0 document (JSON-LD, `application/ld+json`).
#[utoipa::path(get, path = "/api/v1/products/{gtin}/batches/{lot}/epcis", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14"),
        ("lot" = String, Path, description = "Batch/lot (AI 10)")),
    responses((status = 200, description = "EPCISDocument", content_type = "application/ld+json"),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn epcis(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let doc = match path {
        Ok(Path((gtin, lot))) => epcis_document(&s, &headers, &gtin, &lot).await,
        Err(_) => Err(bad_link(
            &Gs1Error::BadPercentEncoding,
            request_lang(&headers),
        )),
    };
    let mut res = match doc {
        Ok(doc) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/ld+json"),
            )],
            doc.to_string(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    };
    super::resolver::cors(res.headers_mut());
    res
}

pub(super) async fn epcis_document(
    s: &AppState,
    headers: &HeaderMap,
    gtin: &str,
    lot: &str,
) -> Result<Value, ApiError> {
    let l = request_lang(headers);
    let gtin = path_gtin(gtin, l)?;
    path_lot(&gtin, lot, l)?;
    if product_parts(&s.pool, &gtin).await?.is_none() {
        return Err(product_not_found(&gtin));
    }
    if !batch_exists(&s.pool, &gtin, lot).await? {
        return Err(batch_not_found(&gtin, lot));
    }
    let events = batch_events(&s.pool, &gtin, lot).await?;
    let context: Option<(String,)> = sqlx::query_as("SELECT body FROM epcis_context WHERE id = 1")
        .fetch_optional(&s.pool)
        .await?;
    let context: Value = match context {
        Some((c,)) => serde_json::from_str(&c).map_err(json_err)?,
        None => serde_json::json!([EPCIS_CONTEXT]),
    };
    Ok(serde_json::json!({
        "@context": context,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": s.clock.now().rfc3339(),
        "epcisBody": { "eventList": events },
    }))
}

/// Counts a product or batch page opened from a scan: per product, batch
/// and day, nothing about the client. Always 204 once the body is well
/// formed; more than [`SCANS_PER_MINUTE`] from one client are not counted.
#[utoipa::path(post, path = "/api/v1/scans", tag = "traceability", request_body = ScanEvent,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn scan(
    State(s): State<Arc<AppState>>,
    req_headers: HeaderMap,
    ext: axum::http::Extensions,
    // Any refusal of the body is the one 400 below.
    body: Result<Json<ScanEvent>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let l = request_lang(&req_headers);
    let Ok(Json(ev)) = body else {
        return Err(ApiError::bad_request(ApiErrorBody::new(
            ErrorCode::InvalidParameter,
            "expected {\"gtin\": \"…\", \"lot\": \"…\"}",
        )));
    };
    let gtin = path_gtin(&ev.gtin, l)?;
    let lot = ev.lot.filter(|l| !l.is_empty());
    if let Some(lot) = &lot {
        path_lot(&gtin, lot, l)?;
        if product_parts(&s.pool, &gtin).await?.is_none() {
            return Err(product_not_found(&gtin));
        }
        if !batch_exists(&s.pool, &gtin, lot).await? {
            return Err(batch_not_found(&gtin, lot));
        }
    } else if product_parts(&s.pool, &gtin).await?.is_none() {
        return Err(product_not_found(&gtin));
    }
    let ip = crate::infra::limits::client_ip(&ext, &req_headers, s.behind_proxy);
    let minute = s
        .clock
        .system_time()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 60)
        .unwrap_or(0);
    if !s.scan_limiter.allow(&ip, minute) {
        return Ok(StatusCode::NO_CONTENT);
    }
    sqlx::query(
        "INSERT INTO scans (gtin, lot, day, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (gtin, lot, day) DO UPDATE SET count = scans.count + 1",
    )
    .bind(&gtin)
    .bind(lot.as_deref().unwrap_or(""))
    .bind(s.clock.today().to_string())
    .execute(&s.pool)
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Counted scans allowed per client and minute.
pub const SCANS_PER_MINUTE: u32 = 60;

/// Scans per client in the current minute, in memory.
#[derive(Default)]
pub struct ScanLimiter {
    seen: Mutex<HashMap<String, (u64, u32)>>,
}

impl ScanLimiter {
    /// Whether one more scan from `ip` in `minute` may be counted.
    pub fn allow(&self, ip: &str, minute: u64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, (m, _)| *m == minute);
        }
        let e = seen.entry(ip.to_string()).or_insert((minute, 0));
        if e.0 != minute {
            *e = (minute, 0);
        }
        e.1 += 1;
        e.1 <= SCANS_PER_MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter() {
        let l = ScanLimiter::default();
        for _ in 0..SCANS_PER_MINUTE {
            assert!(l.allow("a", 1));
        }
        assert!(!l.allow("a", 1));
        assert!(l.allow("b", 1));
        assert!(l.allow("a", 2));
    }
}
