//! The producer portal's API: `/api/v1/me/...` (the signed-in producer's
//! own listings, proposals, labels and photos) and the public
//! `/api/v1/media/{name}` that serves the photos.
//!
//! Every `/me` route sits behind [`accounts::require_producer`] (401 without a
//! session, 403 without the CSRF header on anything but GET/HEAD, 403
//! `forbidden` for a helper's session) and
//! answers `Cache-Control: no-store`. Another producer's GTIN or lot
//! answers exactly as one that does not exist.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::{Extension, Router};
use cuaso_domain::gs1::{DigitalLink, Gs1Error};
use cuaso_domain::producer::{
    cert_state, BatchStats, DayCount, LabelData, Listing, ListingDetail, Listings, ProposalRequest,
};
use cuaso_domain::product::{Photo, Product, Quantity};
use cuaso_domain::{ApiErrorBody, Date, ErrorCode};
use sqlx::Row;

use super::handlers::{bad_link, path_gtin, path_lot};
use super::listings;
use super::store::{batch_exists, load_batch, load_product, product_not_found, product_parts};
use crate::accounts::{self, Signed};
use crate::http::routing;
use crate::http::{request_lang, ApiError, Json, Lang};
use crate::uploads;
use crate::AppState;

/// Where the portal's routes live.
pub const ME_PREFIX: &str = "/api/v1/me";

/// Every `/api/v1/me` operation, (method, path): the router is built from
/// this list, and the tests check it against the OpenAPI document.
pub const ME_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/me/products"),
    ("GET", "/api/v1/me/products/{gtin}"),
    ("PUT", "/api/v1/me/products/{gtin}/proposal"),
    ("DELETE", "/api/v1/me/products/{gtin}/proposal"),
    ("GET", "/api/v1/me/products/{gtin}/batches/{lot}/label"),
    ("POST", "/api/v1/me/photos"),
];

/// A proposal's body limit.
pub const PROPOSAL_BODY_LIMIT: usize = 64 * 1024;
/// Days of scan figures.
pub const SCAN_DAYS: i32 = 30;

fn handler(method: &str, path: &str) -> MethodRouter<Arc<AppState>> {
    match (method, path) {
        ("GET", "/api/v1/me/products") => get(my_products),
        ("GET", "/api/v1/me/products/{gtin}") => get(my_product),
        ("PUT", "/api/v1/me/products/{gtin}/proposal") => {
            put(save_proposal).layer(DefaultBodyLimit::max(PROPOSAL_BODY_LIMIT))
        }
        ("DELETE", "/api/v1/me/products/{gtin}/proposal") => delete(withdraw_proposal),
        ("GET", "/api/v1/me/products/{gtin}/batches/{lot}/label") => get(label),
        ("POST", "/api/v1/me/photos") => {
            post(upload_photo).layer(DefaultBodyLimit::max(uploads::PHOTO_BODY_LIMIT))
        }
        _ => panic!("ME_ROUTES lists {method} {path}, which has no handler"),
    }
}

/// The `/me` routes relative to [`ME_PREFIX`], behind the session (every
/// unknown path under it too).
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let mut r = Router::new();
    for (method, path) in ME_ROUTES {
        let rel = path
            .strip_prefix(ME_PREFIX)
            .expect("every ME_ROUTES path starts with ME_PREFIX");
        r = r.route(rel, handler(method, path));
    }
    routing::with_fallbacks(r)
        .layer(axum::middleware::from_fn_with_state(
            state,
            accounts::require_producer,
        ))
        .layer(axum::middleware::from_fn(routing::no_store))
}

// ---- ownership ----

/// The GTIN of a path (13 or 14 digits… as the public API takes them) if it
/// is one of the signed-in producer's products; 404 `product_not_found`
/// otherwise, the same answer as for a product that does not exist.
async fn own_gtin(
    s: &AppState,
    signed: &Signed,
    raw: &str,
    lang: &str,
) -> Result<String, ApiError> {
    let gtin = path_gtin(raw, lang)?;
    let mine: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM products WHERE gtin = $1 AND producer_id = $2")
            .bind(&gtin)
            .bind(&signed.producer_id)
            .fetch_optional(&s.pool)
            .await?;
    if mine.is_none() {
        return Err(not_yours_product());
    }
    Ok(gtin)
}

/// The GTIN and lot of a path, if the batch is the producer's.
async fn own_batch(
    s: &AppState,
    signed: &Signed,
    raw_gtin: &str,
    lot: &str,
    lang: &str,
) -> Result<String, ApiError> {
    let gtin = path_gtin(raw_gtin, lang)?;
    path_lot(&gtin, lot, lang)?;
    let gtin = own_gtin(s, signed, &gtin, lang).await?;
    if !batch_exists(&s.pool, &gtin, lot).await? {
        return Err(not_yours_batch());
    }
    Ok(gtin)
}

/// 404 `product_not_found`, for a product that does not exist or is
/// another producer's: the same bytes, echoing nothing.
fn not_yours_product() -> ApiError {
    ApiError::not_found(
        ErrorCode::ProductNotFound,
        "you have no product with this GTIN",
    )
}

/// 404 `batch_not_found`, likewise.
fn not_yours_batch() -> ApiError {
    ApiError::not_found(
        ErrorCode::BatchNotFound,
        "your product has no batch with this lot",
    )
}

fn bad_path(lang: &str) -> ApiError {
    bad_link(&Gs1Error::BadPercentEncoding, lang)
}

// ---- figures ----

/// The 30 days ending today, oldest first.
fn days(today: Date) -> Vec<String> {
    (0..SCAN_DAYS)
        .rev()
        .map(|back| today.add_days(-back).to_string())
        .collect()
}

/// Scans per (lot, day) of a product over the last 30 days; lot `''` is
/// the product page.
async fn scan_counts(
    s: &AppState,
    gtin: &str,
    today: Date,
) -> Result<HashMap<(String, String), u32>, ApiError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT lot, day, count FROM scans WHERE gtin = $1 AND day >= $2 AND day <= $3",
    )
    .bind(gtin)
    .bind(today.add_days(1 - SCAN_DAYS).to_string())
    .bind(today.to_string())
    .fetch_all(&s.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(lot, day, n)| ((lot, day), n.max(0) as u32))
        .collect())
}

fn cert(product: &Product, today: Date) -> (cuaso_domain::producer::CertState, i32) {
    let expires = Date::parse(&product.certificate.expires).unwrap_or(today.add_days(-1));
    cert_state(expires, today)
}

async fn listing(
    s: &AppState,
    row: listings::ListingRow,
    today: Date,
) -> Result<Listing, ApiError> {
    let product = load_product(&s.pool, &row.gtin, today).await?;
    let counts = scan_counts(s, &row.gtin, today).await?;
    let scans_30d: Vec<u32> = days(today)
        .iter()
        .map(|d| {
            counts
                .iter()
                .filter(|((_, day), _)| day == d)
                .map(|(_, n)| *n)
                .sum()
        })
        .collect();
    let (state, left) = cert(&product, today);
    Ok(Listing {
        gtin: row.gtin,
        name: product.name,
        stars: product.stars,
        photo: product.photos.into_iter().next(),
        status: row.status,
        review_note: row.review_note,
        certificate: product.certificate,
        cert_state: state,
        cert_days_left: left,
        scans_30d_total: scans_30d.iter().sum(),
        scans_30d,
    })
}

async fn detail(s: &AppState, gtin: &str) -> Result<ListingDetail, ApiError> {
    let today = s.clock.today();
    let product = load_product(&s.pool, gtin, today).await?;
    let row = listings::find(&s.pool, gtin)
        .await?
        .ok_or_else(|| product_not_found(gtin))?;
    let counts = scan_counts(s, gtin, today).await?;
    let quantities: HashMap<String, Quantity> =
        sqlx::query("SELECT lot, quantity_value, quantity_uom FROM batches WHERE gtin = $1")
            .bind(gtin)
            .fetch_all(&s.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("lot")?,
                    Quantity {
                        value: r.try_get("quantity_value")?,
                        uom: r.try_get("quantity_uom")?,
                    },
                ))
            })
            .collect::<Result<_, ApiError>>()?;
    let days = days(today);
    let batches = product
        .batches
        .iter()
        .map(|b| {
            let scans: Vec<DayCount> = days
                .iter()
                .map(|d| DayCount {
                    day: d.clone(),
                    count: counts
                        .get(&(b.lot.clone(), d.clone()))
                        .copied()
                        .unwrap_or(0),
                })
                .collect();
            BatchStats {
                batch: b.clone(),
                quantity: quantities.get(&b.lot).cloned().unwrap_or(Quantity {
                    value: 0.0,
                    uom: "H87".into(),
                }),
                scans_total: scans.iter().map(|d| d.count).sum(),
                scans,
            }
        })
        .collect();
    let (state, left) = cert(&product, today);
    Ok(ListingDetail {
        today: today.to_string(),
        product,
        status: row.status,
        review_note: row.review_note,
        proposal: row.proposal,
        cert_state: state,
        cert_days_left: left,
        batches,
    })
}

// ---- handlers ----

/// The signed-in producer's products: status with the reviewers, the
/// certificate's state, and scans per day over the last 30 days.
#[utoipa::path(get, path = "/api/v1/me/products", tag = "producers",
    security(("session_cookie" = [])),
    responses(
        (status = 200, body = Listings),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "forbidden: a helper's session"),
    ))]
pub async fn my_products(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
) -> Result<Json<Listings>, ApiError> {
    let today = s.clock.today();
    let mut out = Vec::new();
    for row in listings::of_producer(&s.pool, &signed.producer_id).await? {
        out.push(listing(&s, row, today).await?);
    }
    Ok(Json(Listings {
        today: today.to_string(),
        producer_name: signed.producer_name,
        listings: out,
    }))
}

/// One of the producer's products: exactly the public product (the
/// approved version), the listing's status and proposal, and every batch
/// with its scans per day over the last 30 days (`scans_total`: those 30 days).
#[utoipa::path(get, path = "/api/v1/me/products/{gtin}", tag = "producers",
    security(("session_cookie" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses(
        (status = 200, body = ListingDetail),
        (status = 400, body = ApiErrorBody, description = "bad_digital_link"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "forbidden: a helper's session"),
        (status = 404, body = ApiErrorBody, description = "product_not_found: no such product, or another producer's"),
    ))]
pub async fn my_product(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
    Lang(lang): Lang,
    gtin: Result<Path<String>, PathRejection>,
) -> Result<Json<ListingDetail>, ApiError> {
    let Ok(Path(raw)) = gtin else {
        return Err(bad_path(lang));
    };
    let gtin = own_gtin(&s, &signed, &raw, lang).await?;
    Ok(Json(detail(&s, &gtin).await?))
}

/// Saves a correction proposal (description, points of sale, photos): a
/// draft (`submit: false`), or sent for review (`submit: true`; a pending
/// proposal may be replaced). The public page keeps the approved version
/// until an officer approves.
#[utoipa::path(put, path = "/api/v1/me/products/{gtin}/proposal", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    request_body = ProposalRequest,
    responses(
        (status = 200, body = ListingDetail),
        (status = 400, body = ApiErrorBody, description = "validation (`fields`: description.vi, points_of_sale.{i}.url, photos.{i}.url…, messages in the Accept-Language), malformed JSON, bad_digital_link"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required; forbidden: a helper's session"),
        (status = 404, body = ApiErrorBody, description = "product_not_found: no such product, or another producer's"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
    ))]
pub async fn save_proposal(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
    Lang(lang): Lang,
    gtin: Result<Path<String>, PathRejection>,
    // Read once the product is known to be theirs.
    body: Result<Json<ProposalRequest>, ApiError>,
) -> Result<Json<ListingDetail>, ApiError> {
    let Ok(Path(raw)) = gtin else {
        return Err(bad_path(lang));
    };
    let gtin = own_gtin(&s, &signed, &raw, lang).await?;
    let Json(req) = body?;
    let actor = format!("producer:{}", signed.username);
    listings::save_proposal(&s, &gtin, &req.proposal, req.submit, &actor, lang).await?;
    Ok(Json(detail(&s, &gtin).await?))
}

/// Withdraws the proposal (draft, pending or sent back): the listing is
/// published as it was approved.
#[utoipa::path(delete, path = "/api/v1/me/products/{gtin}/proposal", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses(
        (status = 200, body = ListingDetail, description = "status published, no proposal"),
        (status = 400, body = ApiErrorBody, description = "bad_digital_link"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required; forbidden: a helper's session"),
        (status = 404, body = ApiErrorBody, description = "product_not_found: no such product, or another producer's"),
    ))]
pub async fn withdraw_proposal(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
    Lang(lang): Lang,
    gtin: Result<Path<String>, PathRejection>,
) -> Result<Json<ListingDetail>, ApiError> {
    let Ok(Path(raw)) = gtin else {
        return Err(bad_path(lang));
    };
    let gtin = own_gtin(&s, &signed, &raw, lang).await?;
    listings::withdraw(&s, &gtin, &format!("producer:{}", signed.username)).await?;
    Ok(Json(detail(&s, &gtin).await?))
}

/// What a batch's label carries: the canonical GS1 Digital Link
/// (`…/01/{gtin}/10/{lot}?17={YYMMDD}`) on the resolver (`--public-base-url`,
/// else the request's host), the product's name and net content.
#[utoipa::path(get, path = "/api/v1/me/products/{gtin}/batches/{lot}/label", tag = "producers",
    security(("session_cookie" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14"),
        ("lot" = String, Path, description = "Batch/lot (AI 10)")),
    responses(
        (status = 200, body = LabelData),
        (status = 400, body = ApiErrorBody, description = "bad_digital_link"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "forbidden: a helper's session"),
        (status = 404, body = ApiErrorBody, description = "product_not_found, batch_not_found: no such item, or another producer's"),
    ))]
pub async fn label(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
    headers: HeaderMap,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<LabelData>, ApiError> {
    let lang = request_lang(&headers);
    let Ok(Path((raw, lot))) = path else {
        return Err(bad_path(lang));
    };
    let gtin = own_batch(&s, &signed, &raw, &lot, lang).await?;
    let today = s.clock.today();
    let batch = load_batch(&s.pool, &gtin, &lot, today).await?;
    let (body, _) = product_parts(&s.pool, &gtin)
        .await?
        .ok_or_else(|| product_not_found(&gtin))?;
    let link = DigitalLink {
        gtin: gtin.clone(),
        lot: Some(lot.clone()),
        expiry: Date::parse(&batch.expires),
        ..DigitalLink::default()
    };
    let base = crate::http::base_url(&s, &headers, &uri);
    Ok(Json(LabelData {
        uri: link.uri(&base),
        gtin,
        lot,
        expires: batch.expires,
        name: body.name,
        net_content: body.net_content,
        status: batch.status,
    }))
}

/// A multipart form with one part, `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PhotoForm {
    /// The photo: JPEG, PNG or WebP, at most 2 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads a photo for a proposal (JPEG, PNG or WebP by its bytes, at most
/// 2 MiB). Put the answer's `url` into the proposal's photos, with alt text.
#[utoipa::path(post, path = "/api/v1/me/photos", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    request_body(content = PhotoForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Photo, description = "`url` is /api/v1/media/{name}; `alt` is empty"),
        (status = 400, body = ApiErrorBody, description = "malformed multipart, no `file` part"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required; forbidden: a helper's session"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large: over 2 MiB"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not multipart, or not a JPEG, PNG or WebP"),
    ))]
pub async fn upload_photo(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Photo>), ApiError> {
    let photo = uploads::store_photo(
        &s,
        &headers,
        multipart,
        &signed.producer_id,
        &signed.username,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(photo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_end_today() {
        let d = days(Date::parse("2026-11-23").unwrap());
        assert_eq!(d.len(), 30);
        assert_eq!(d[0], "2026-10-25");
        assert_eq!(d[29], "2026-11-23");
    }
}
