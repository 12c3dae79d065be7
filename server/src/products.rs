//! OCOP products and batches: the seed (`seed/ocop.json`), the reads, and
//! `/api/v1/products/…`, `/api/v1/scans`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cuaso_domain::api::Text;
use cuaso_domain::gs1::{self, DigitalLink, Gs1Error};
use cuaso_domain::product::{
    cbv_word, Batch, BatchStatus, BatchSummary, Certificate, JourneyStep, Photo, Place,
    PointOfSale, Producer, Product, ProductSummary, Quantity, ScanEvent,
};
use cuaso_domain::{ApiErrorBody, Date, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{AnyPool, Row};

use crate::http::{request_lang, ApiError, Json};
use crate::AppState;

/// The EPCIS 2.0 JSON-LD context.
pub const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// The seed file as it is laid out.
#[derive(Debug, Deserialize)]
pub struct SeedOcop {
    pub producers: Vec<Producer>,
    pub products: Vec<SeedProduct>,
    /// Names and coordinates of the readPoint / bizLocation ids.
    #[serde(default)]
    pub locations: BTreeMap<String, Place>,
    /// The JSON-LD `@context` of the events (EPCIS's and any extension
    /// namespace, e.g. `cuaso:`).
    #[serde(default)]
    pub context: Option<Value>,
}

/// A product as the database keeps it (`products.body`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ProductBody {
    pub gtin: String,
    pub name: Text,
    pub group: String,
    pub stars: u8,
    pub certificate: Certificate,
    #[serde(default)]
    pub photos: Vec<Photo>,
    pub description: Text,
    pub ingredients: Text,
    pub shelf_life_days: u32,
    #[serde(default)]
    pub net_content: Option<String>,
    #[serde(default)]
    pub points_of_sale: Vec<PointOfSale>,
}

#[derive(Debug, Deserialize)]
pub struct SeedProduct {
    /// The producer's id.
    pub producer: String,
    #[serde(flatten)]
    pub body: ProductBody,
    pub batches: Vec<SeedBatch>,
}

#[derive(Debug, Deserialize)]
pub struct SeedBatch {
    pub lot: String,
    pub produced: String,
    pub expires: String,
    pub quantity: Quantity,
    pub status: BatchStatus,
    #[serde(default)]
    pub recall_reason: Option<Text>,
    pub events: Vec<Value>,
}

const EVENT_TYPES: &[&str] = &[
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
];

/// What an EPCIS 2.0 event must hold: a known `type`, `eventTime` (RFC
/// 3339 with an offset) and `eventTimeZoneOffset`; `action` for every type
/// but TransformationEvent; a bizStep.
pub fn check_event(e: &Value) -> Result<(), String> {
    let s = |k: &str| e.get(k).and_then(Value::as_str);
    let ty = s("type").ok_or("no type")?;
    if !EVENT_TYPES.contains(&ty) {
        return Err(format!("unknown event type {ty}"));
    }
    let time = s("eventTime").ok_or("no eventTime")?;
    if time.len() < 20 || Date::parse(&time[..10]).is_none() || time.as_bytes()[10] != b'T' {
        return Err(format!("bad eventTime {time}"));
    }
    let off = s("eventTimeZoneOffset").ok_or("no eventTimeZoneOffset")?;
    let ob = off.as_bytes();
    if ob.len() != 6 || !(ob[0] == b'+' || ob[0] == b'-') || ob[3] != b':' {
        return Err(format!("bad eventTimeZoneOffset {off}"));
    }
    if ty != "TransformationEvent" && !matches!(s("action"), Some("ADD" | "OBSERVE" | "DELETE")) {
        return Err(format!("{ty} needs action ADD, OBSERVE or DELETE"));
    }
    if s("bizStep").is_none() {
        return Err("no bizStep".into());
    }
    Ok(())
}

/// Checks the seed: valid GTINs (stored as 14 digits), lots that a Digital
/// Link can carry, dates, known producers, and EPCIS events. Returns the
/// seed with GTINs normalized.
pub fn parse_seed(json: &str) -> Result<SeedOcop, String> {
    let mut seed: SeedOcop = serde_json::from_str(json).map_err(|e| format!("seed ocop: {e}"))?;
    let producers: Vec<&str> = seed.producers.iter().map(|p| p.id.as_str()).collect();
    let mut seen = Vec::new();
    for p in &mut seed.products {
        let g = &p.body.gtin;
        p.body.gtin = gs1::gtin14(g).map_err(|e| format!("seed ocop: GTIN {g}: {e}"))?;
        let g = p.body.gtin.clone();
        if seen.contains(&g) {
            return Err(format!("seed ocop: GTIN {g} twice"));
        }
        seen.push(g.clone());
        if !producers.contains(&p.producer.as_str()) {
            return Err(format!("seed ocop: {g}: no producer {}", p.producer));
        }
        let c = &p.body.certificate;
        for d in [&c.issued, &c.expires] {
            Date::parse(d).ok_or_else(|| format!("seed ocop: {g}: bad date {d}"))?;
        }
        let mut lots = Vec::new();
        for b in &p.batches {
            check_lot(&g, &b.lot).map_err(|e| format!("seed ocop: {g} lot {:?}: {e}", b.lot))?;
            if lots.contains(&&b.lot) {
                return Err(format!("seed ocop: {g}: lot {} twice", b.lot));
            }
            lots.push(&b.lot);
            for d in [&b.produced, &b.expires] {
                Date::parse(d).ok_or_else(|| format!("seed ocop: {g}/{}: bad date {d}", b.lot))?;
            }
            if (b.status == BatchStatus::Recalled) != b.recall_reason.is_some() {
                return Err(format!(
                    "seed ocop: {g}/{}: a recall reason goes with a recalled batch, and only there",
                    b.lot
                ));
            }
            for (i, e) in b.events.iter().enumerate() {
                check_event(e).map_err(|m| format!("seed ocop: {g}/{} event {i}: {m}", b.lot))?;
            }
        }
    }
    Ok(seed)
}

/// A lot as AI 10 allows it (character set 82, at most 20 characters).
pub fn check_lot(gtin14: &str, lot: &str) -> Result<(), Gs1Error> {
    let link = DigitalLink {
        gtin: gtin14.to_string(),
        lot: Some(lot.to_string()),
        ..DigitalLink::default()
    };
    let back = gs1::parse(&link.path())?;
    if back.lot.as_deref() != Some(lot) {
        return Err(Gs1Error::BadCharacter {
            ai: "10".into(),
            ch: '?',
        });
    }
    Ok(())
}

/// Loads the OCOP seed once per version of the file (the run is named by
/// its hash), replacing the products, batches and events an earlier
/// version loaded. Scan counts stay.
pub async fn seed(pool: &AnyPool, json: &str) -> Result<(), sqlx::Error> {
    let cfg = |m: String| sqlx::Error::Configuration(m.into());
    let seed = parse_seed(json).map_err(cfg)?;
    let run = crate::infra::db::seed_run_name("ocop", json);
    if crate::infra::db::seed_run_done(pool, &run).await? {
        return Ok(());
    }
    let enc = |v: &dyn erased::Ser| v.json();
    let mut tx = pool.begin().await?;
    for t in ["epcis_events", "batches", "products", "producers"] {
        sqlx::query(&format!("DELETE FROM {t}"))
            .execute(&mut *tx)
            .await?;
    }
    for p in &seed.producers {
        sqlx::query("INSERT INTO producers (id, body) VALUES ($1, $2)")
            .bind(&p.id)
            .bind(enc(p))
            .execute(&mut *tx)
            .await?;
    }
    let (mut batches, mut events) = (0, 0);
    for (i, p) in seed.products.iter().enumerate() {
        let g = &p.body.gtin;
        sqlx::query(
            "INSERT INTO products (gtin, producer_id, position, body) VALUES ($1, $2, $3, $4)",
        )
        .bind(g)
        .bind(&p.producer)
        .bind(i as i64)
        .bind(enc(&p.body))
        .execute(&mut *tx)
        .await?;
        for b in &p.batches {
            batches += 1;
            sqlx::query(
                "INSERT INTO batches (gtin, lot, produced, expires, quantity_value, quantity_uom, \
                 status, recall_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(g)
            .bind(&b.lot)
            .bind(&b.produced)
            .bind(&b.expires)
            .bind(b.quantity.value)
            .bind(&b.quantity.uom)
            .bind(match b.status {
                BatchStatus::Active => "active",
                BatchStatus::Recalled => "recalled",
            })
            .bind(b.recall_reason.as_ref().map(|r| enc(r)))
            .execute(&mut *tx)
            .await?;
            for (seq, e) in b.events.iter().enumerate() {
                events += 1;
                let mut e = e.clone();
                place_names(&mut e, &seed.locations);
                sqlx::query(
                    "INSERT INTO epcis_events (gtin, lot, seq, event_type, event_time, body) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(g)
                .bind(&b.lot)
                .bind(seq as i64)
                .bind(e["type"].as_str().unwrap_or_default())
                .bind(e["eventTime"].as_str().unwrap_or_default())
                .bind(e.to_string())
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let context = match &seed.context {
        Some(Value::Array(a)) => Value::Array(a.clone()),
        Some(v) => Value::Array(vec![v.clone()]),
        None => Value::Array(vec![EPCIS_CONTEXT.into()]),
    };
    sqlx::query(
        "INSERT INTO epcis_context (id, body) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET body = excluded.body",
    )
    .bind(context.to_string())
    .execute(&mut *tx)
    .await?;
    crate::listings::after_reseed(&mut tx).await?;
    sqlx::query("INSERT INTO seed_runs (name) VALUES ($1)")
        .bind(&run)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        products = seed.products.len(),
        batches,
        events,
        run = %run,
        "seeded the OCOP products"
    );
    Ok(())
}

mod erased {
    /// Serializes any seed value (they always serialize).
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// Copies a location's name and coordinates from the seed's `locations`
/// into the event's `readPoint` / `bizLocation` (as `name`, `latitude`,
/// `longitude`), where the event does not carry them itself.
fn place_names(e: &mut Value, locations: &BTreeMap<String, Place>) {
    for k in ["readPoint", "bizLocation"] {
        let Some(obj) = e.get_mut(k).and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(place) = obj
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| locations.get(id))
        else {
            continue;
        };
        obj.entry("name")
            .or_insert_with(|| serde_json::to_value(&place.name).unwrap_or_default());
        obj.entry("latitude").or_insert(place.lat.into());
        obj.entry("longitude").or_insert(place.lon.into());
    }
}

/// A place from an event's bizLocation (else readPoint): a `name` (a
/// `{vi, en}` object or a string; any key ending in `name`) and
/// coordinates (`latitude`/`lat`, `longitude`/`lon`/`lng`, any prefix).
pub fn event_place(e: &Value) -> Option<Place> {
    // An extension object on the event (`cuaso:place`: {name, lat, lon}).
    if let Some(p) = e.as_object().and_then(|o| {
        o.iter()
            .find(|(k, _)| k.rsplit(':').next() == Some("place"))
            .and_then(|(_, v)| serde_json::from_value::<Place>(v.clone()).ok())
    }) {
        return Some(p);
    }
    ["bizLocation", "readPoint"].iter().find_map(|k| {
        let obj = e.get(*k)?.as_object()?;
        let find = |ends: &[&str]| {
            obj.iter().find_map(|(key, v)| {
                let key = key.rsplit(':').next().unwrap_or(key).to_ascii_lowercase();
                ends.iter().any(|end| key == *end).then_some(v)
            })
        };
        let num = |v: &Value| v.as_f64().or_else(|| v.as_str()?.parse().ok());
        let name = match find(&["name"])? {
            Value::String(s) => Text {
                vi: s.clone(),
                en: s.clone(),
            },
            v => serde_json::from_value(v.clone()).ok()?,
        };
        Some(Place {
            name,
            lat: num(find(&["latitude", "lat"])?)?,
            lon: num(find(&["longitude", "lon", "lng"])?)?,
        })
    })
}

/// The event in plain terms for the batch page.
pub fn journey_step(e: &Value) -> JourneyStep {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
    let quantity = ["quantityList", "outputQuantityList", "childQuantityList"]
        .iter()
        .find_map(|k| e.get(*k)?.as_array()?.first())
        .and_then(|q| {
            Some(Quantity {
                value: q.get("quantity")?.as_f64()?,
                uom: q
                    .get("uom")
                    .and_then(Value::as_str)
                    .unwrap_or("H87")
                    .to_string(),
            })
        });
    JourneyStep {
        time: s("eventTime").to_string(),
        biz_step: cbv_word(s("bizStep")).to_string(),
        disposition: cbv_word(s("disposition")).to_string(),
        place: event_place(e),
        quantity,
        event_type: s("type").to_string(),
    }
}

// ---- reads ----

/// The product's body and its producer, if the GTIN (14 digits) is known.
pub async fn product_parts(
    pool: &AnyPool,
    gtin: &str,
) -> Result<Option<(ProductBody, Producer)>, ApiError> {
    let row = sqlx::query(
        "SELECT p.body, r.body AS producer FROM products p JOIN producers r ON r.id = p.producer_id \
         WHERE p.gtin = $1",
    )
    .bind(gtin)
    .fetch_optional(pool)
    .await
    ?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.try_get("body")?;
    let producer: String = row.try_get("producer")?;
    Ok(Some((
        serde_json::from_str(&body).map_err(json_err)?,
        serde_json::from_str(&producer).map_err(json_err)?,
    )))
}

struct BatchRow {
    lot: String,
    produced: String,
    expires: String,
    quantity: Quantity,
    status: BatchStatus,
    recall_reason: Option<Text>,
}

fn batch_row(r: &sqlx::any::AnyRow) -> Result<BatchRow, ApiError> {
    let status: String = r.try_get("status")?;
    let reason: Option<String> = r.try_get("recall_reason")?;
    Ok(BatchRow {
        lot: r.try_get("lot")?,
        produced: r.try_get("produced")?,
        expires: r.try_get("expires")?,
        quantity: Quantity {
            value: r.try_get("quantity_value")?,
            uom: r.try_get("quantity_uom")?,
        },
        status: if status == "recalled" {
            BatchStatus::Recalled
        } else {
            BatchStatus::Active
        },
        recall_reason: reason
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(json_err)?,
    })
}

const BATCH_COLUMNS: &str =
    "lot, produced, expires, quantity_value, quantity_uom, status, recall_reason";

/// The whole product, or 404 `product_not_found`.
pub async fn load_product(pool: &AnyPool, gtin: &str, today: Date) -> Result<Product, ApiError> {
    let (body, producer) = product_parts(pool, gtin)
        .await?
        .ok_or_else(|| product_not_found(gtin))?;
    let rows = sqlx::query(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches WHERE gtin = $1 ORDER BY produced DESC, lot"
    ))
    .bind(gtin)
    .fetch_all(pool)
    .await?;
    let mut batches = Vec::with_capacity(rows.len());
    for r in &rows {
        let b = batch_row(r)?;
        batches.push(BatchSummary {
            lot: b.lot,
            produced: b.produced,
            expires: b.expires,
            status: b.status,
            recall_reason: b.recall_reason,
        });
    }
    let mut certificate = body.certificate;
    certificate.valid = matches!(
        (Date::parse(&certificate.issued), Date::parse(&certificate.expires)),
        (Some(i), Some(e)) if i <= today && today < e
    );
    Ok(Product {
        gtin: body.gtin,
        name: body.name,
        group: body.group,
        stars: body.stars,
        certificate,
        photos: body.photos,
        description: body.description,
        ingredients: body.ingredients,
        shelf_life_days: body.shelf_life_days,
        net_content: body.net_content,
        points_of_sale: body.points_of_sale,
        producer,
        batches,
    })
}

/// The EPCIS events of a batch, in order (none if it does not exist).
pub async fn batch_events(pool: &AnyPool, gtin: &str, lot: &str) -> Result<Vec<Value>, ApiError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM epcis_events WHERE gtin = $1 AND lot = $2 ORDER BY seq")
            .bind(gtin)
            .bind(lot)
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(b,)| serde_json::from_str(&b).map_err(json_err))
        .collect()
}

pub async fn batch_exists(pool: &AnyPool, gtin: &str, lot: &str) -> Result<bool, ApiError> {
    let n: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM batches WHERE gtin = $1 AND lot = $2")
        .bind(gtin)
        .bind(lot)
        .fetch_optional(pool)
        .await?;
    Ok(n.is_some())
}

/// The batch with its journey, or 404 `product_not_found` / `batch_not_found`.
pub async fn load_batch(
    pool: &AnyPool,
    gtin: &str,
    lot: &str,
    today: Date,
) -> Result<Batch, ApiError> {
    let (body, producer) = product_parts(pool, gtin)
        .await?
        .ok_or_else(|| product_not_found(gtin))?;
    let row = sqlx::query(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches WHERE gtin = $1 AND lot = $2"
    ))
    .bind(gtin)
    .bind(lot)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| batch_not_found(gtin, lot))?;
    let b = batch_row(&row)?;
    let mut journey: Vec<JourneyStep> = batch_events(pool, gtin, lot)
        .await?
        .iter()
        .map(journey_step)
        .collect();
    journey.sort_by(|a, b| a.time.cmp(&b.time));
    let expired = Date::parse(&b.expires).is_some_and(|e| e < today);
    Ok(Batch {
        gtin: gtin.to_string(),
        lot: b.lot,
        produced: b.produced,
        expires: b.expires,
        quantity: b.quantity,
        status: b.status,
        recall_reason: b.recall_reason,
        expired,
        journey,
        product: ProductSummary {
            gtin: body.gtin,
            name: body.name,
            stars: body.stars,
            producer_name: producer.name,
            photo: body.photos.into_iter().next(),
        },
    })
}

pub fn product_not_found(gtin: &str) -> ApiError {
    ApiError::not_found(ErrorCode::ProductNotFound, format!("no product {gtin}"))
}

pub fn batch_not_found(gtin: &str, lot: &str) -> ApiError {
    ApiError::not_found(
        ErrorCode::BatchNotFound,
        format!("product {gtin} has no batch {lot}"),
    )
}

fn json_err(e: serde_json::Error) -> ApiError {
    tracing::error!(error = %e, "products: stored JSON does not parse");
    ApiError::internal("stored data is broken")
}

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

// ---- handlers ----

/// One OCOP product with its producer and batches.
#[utoipa::path(get, path = "/api/v1/products/{gtin}", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses((status = 200, body = Product), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn product(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    gtin: Result<Path<String>, PathRejection>,
) -> Result<Json<Product>, ApiError> {
    let l = request_lang(&headers);
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
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<Batch>, ApiError> {
    let l = request_lang(&headers);
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
    crate::resolver::cors(res.headers_mut());
    res
}

async fn epcis_document(
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

    #[test]
    fn places_from_events() {
        let e: Value = serde_json::json!({"bizLocation": {"id": "x", "cuaso:name": "Kho",
            "geo:latitude": "16.5", "geo:longitude": 107.1}});
        let p = event_place(&e).unwrap();
        assert_eq!(p.name.vi, "Kho");
        assert_eq!((p.lat, p.lon), (16.5, 107.1));
        assert!(event_place(&serde_json::json!({"bizLocation": {"id": "x"}})).is_none());
        let e: Value = serde_json::json!({"bizLocation": {"id": "x"},
            "cuaso:place": {"name": {"vi": "Vườn", "en": "Garden"}, "lat": 16.7, "lon": 106.9}});
        assert_eq!(event_place(&e).unwrap().name.en, "Garden");
    }

    #[test]
    fn events_need_their_fields() {
        let ok = serde_json::json!({"type": "ObjectEvent", "eventTime": "2024-08-10T07:00:00+07:00",
            "eventTimeZoneOffset": "+07:00", "action": "ADD", "bizStep": "commissioning"});
        assert!(check_event(&ok).is_ok());
        for k in [
            "type",
            "eventTime",
            "eventTimeZoneOffset",
            "action",
            "bizStep",
        ] {
            let mut e = ok.clone();
            e.as_object_mut().unwrap().remove(k);
            assert!(check_event(&e).is_err(), "{k}");
        }
    }

    #[test]
    fn lots() {
        let g = "08930000000019";
        assert!(check_lot(g, "L2408").is_ok());
        assert!(check_lot(g, "A/B 1").is_err());
        assert!(check_lot(g, &"9".repeat(21)).is_err());
    }
}
