//! The OCOP products' seed (`seed/ocop.json`): checked (GTINs, lots a
//! Digital Link can carry, dates, producers, EPCIS 2.0 events), then
//! loaded once per version of the file.

use std::collections::BTreeMap;

use cuaso_domain::api::Text;
use cuaso_domain::gs1::{self, DigitalLink, Gs1Error};
use cuaso_domain::product::{
    BatchStatus, Certificate, Photo, Place, PointOfSale, Producer, Quantity,
};
use cuaso_domain::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyPool;

use crate::infra::db;

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
    let run = db::seed_run_name("ocop", json);
    if db::seed_run_done(pool, &run).await? {
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
    super::listings::after_reseed(&mut tx).await?;
    db::finish_seed_run(tx, &run).await?;
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
pub(super) fn place_names(e: &mut Value, locations: &BTreeMap<String, Place>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
