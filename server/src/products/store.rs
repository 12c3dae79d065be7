//! Products and batches as stored, read for the public pages, the
//! resolver, the producers' portal and the reviews: the product with its
//! batches, a batch with its journey (from its EPCIS events).

use cuaso_domain::api::Text;
use cuaso_domain::product::{
    cbv_word, Batch, BatchStatus, BatchSummary, JourneyStep, Place, Producer, Product,
    ProductSummary, Quantity,
};
use cuaso_domain::{Date, ErrorCode};
use serde_json::Value;
use sqlx::{AnyPool, Row};

use super::seed::ProductBody;
use crate::http::ApiError;

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

pub(super) struct BatchRow {
    lot: String,
    produced: String,
    expires: String,
    quantity: Quantity,
    status: BatchStatus,
    recall_reason: Option<Text>,
}

pub(super) fn batch_row(r: &sqlx::any::AnyRow) -> Result<BatchRow, ApiError> {
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

pub(super) const BATCH_COLUMNS: &str =
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
            producer_name: producer.name.clone(),
            photo: body.photos.into_iter().next(),
        },
        producer: Some(producer),
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

pub(super) fn json_err(e: serde_json::Error) -> ApiError {
    tracing::error!(error = %e, "products: stored JSON does not parse");
    ApiError::internal("stored data is broken")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
