//! The OCOP traceability seed in `seed/ocop.json`: producers, their products
//! with OCOP stars and certificate, and 2–3 batches per product, each with its
//! journey as EPCIS 2.0 events (JSON-LD objects; the document context is the
//! file's top-level `context`, not repeated per event).
//!
//! What is real and what is not:
//! - The producers, the products, the product groups and the star ratings
//!   come from public reports (provincial and district OCOP decisions and
//!   press). Communes are named as those reports name them, that is, with the
//!   boundaries from before the 1 July 2025 reorganisation (the addresses say
//!   so); no street addresses, phone numbers, e-mails or websites are given.
//! - Certificate dates supported by a dated decision: Nước mắm Tùng Vân, Tinh
//!   dầu tràm Mộc Sương and Mật ong Rú Lịnh Vĩnh Hòa (Vĩnh Linh district,
//!   14/11/2023) and Tinh bột nghệ Hùng Dung (decision 136/QĐ-UBND of the
//!   province, 15/01/2020). Illustrative certificate dates (the rating is
//!   reported, the decision date is not): Hạt tiêu Cùa, Gạo hữu cơ Quảng Trị,
//!   Cao chè vằng Mai Thị Thủy, both Khe Sanh Coffee products, Gà Cùa Tâm Bắc
//!   (and its issuer), Cà gai leo An Xuân, Ta Lư Coffee, Nấm mộc nhĩ Tuấn
//!   Linh. Nấm mộc nhĩ Tuấn Linh's 4 stars are illustrative too: Quảng Bình's
//!   2024 provincial round scored it 90.33 and put it forward for the national
//!   5-star review, whose outcome the seed does not know.
//! - Illustrative as well: producer types of Gà Cùa Tâm Bắc and Tùng Vân
//!   (household), the chicken sold dressed and chilled, shelf lives, the
//!   points of sale other than the producer, every lot, quantity, date and
//!   place of the journeys, and the one recall (pepper lot L2510).
//!   Certificate numbers and net contents are unknown (`null`).
//! - Coordinates are approximate (commune or town level).
//!
//! GS1 identifiers are placeholders, not the producers' real barcodes. Each
//! producer has an assumed 9-digit GS1 company prefix (`893` + 6 digits, see
//! [`COMPANY_PREFIXES`]); a GTIN-13 is prefix + 3-digit item reference + check
//! digit, and an LGTIN class is `urn:epc:class:lgtin:{prefix}.0{item}.{lot}`
//! (indicator digit 0, as for the GTIN-14 `0` + GTIN-13). Item references
//! `9xx` name a producer's raw material (pepper berries, paddy, green coffee…)
//! under the lot code of the batch it goes into; they appear only before and
//! as the input of the batch's TransformationEvent. Places the producers don't
//! own (shops, markets, the fishing port) use the placeholder prefix
//! `893000099`. SGLNs are `{prefix}.{3-digit location}.{extension}`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

const OCOP: &str = include_str!("../seed/ocop.json");

/// The day the seed was written: no event after it; "expired" is relative to it.
const SEED_DATE: &str = "2026-11-23";

const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// Assumed GS1 company prefix (9 digits) per producer.
const COMPANY_PREFIXES: &[(&str, &str)] = &[
    ("htx-tieu-cua", "893000000"),
    ("qt-organic", "893000001"),
    ("dinh-son-mai-thi-thuy", "893000002"),
    ("htx-khe-sanh", "893000003"),
    ("ga-cua-tam-bac", "893000004"),
    ("an-xuan", "893000005"),
    ("ta-lu", "893000006"),
    ("nuoc-mam-tung-van", "893000007"),
    ("htx-vinh-chap", "893000008"),
    ("htx-vinh-hoa", "893000009"),
    ("tuan-linh", "893000010"),
    ("qt-hung-dung", "893000011"),
];
/// Prefix for places no producer owns.
const OTHERS_PREFIX: &str = "893000099";

const PRODUCER_KEYS: &[&str] = &[
    "id", "name", "type", "commune", "province", "address", "phone", "email", "website", "location",
];
const PRODUCT_KEYS: &[&str] = &[
    "gtin",
    "producer",
    "name",
    "group",
    "stars",
    "certificate",
    "photos",
    "description",
    "ingredients",
    "shelf_life_days",
    "net_content",
    "points_of_sale",
    "batches",
];
const BATCH_KEYS: &[&str] = &[
    "lot",
    "produced",
    "expires",
    "quantity",
    "status",
    "recall_reason",
    "events",
];
/// EPCIS 2.0 fields the seed uses, plus its one namespaced extension.
const EVENT_KEYS: &[&str] = &[
    "type",
    "eventID",
    "eventTime",
    "eventTimeZoneOffset",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "quantityList",
    "inputQuantityList",
    "outputQuantityList",
    "parentID",
    "childQuantityList",
    "cuaso:place",
];

const PRODUCER_TYPES: &[&str] = &[
    "enterprise",
    "cooperative",
    "cooperative_group",
    "household",
];
const GROUPS: &[&str] = &[
    "food",
    "drinks",
    "herbal",
    "textiles",
    "souvenirs",
    "tourism",
];
const UOMS: &[&str] = &["KGM", "H87"];

/// CBV 2.0 business steps (bare words).
const CBV_BIZ_STEPS: &[&str] = &[
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
];

/// CBV 2.0 dispositions (bare words).
const CBV_DISPOSITIONS: &[&str] = &[
    "active",
    "available",
    "completeness_inferred",
    "completeness_verified",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_instance",
    "mismatch_class",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
];

/// Quảng Trị since July 2025 (with the former Quảng Bình), generously boxed.
const LAT: (f64, f64) = (16.0, 18.2);
const LON: (f64, f64) = (105.5, 107.5);

fn doc() -> Value {
    serde_json::from_str(OCOP).expect("ocop.json parses")
}

fn producers(d: &Value) -> &Vec<Value> {
    d["producers"].as_array().expect("producers is an array")
}

fn products(d: &Value) -> &Vec<Value> {
    d["products"].as_array().expect("products is an array")
}

fn s<'a>(v: &'a Value, key: &str, at: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: `{key}` is a string"))
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn assert_keys(v: &Value, allowed: &[&str], at: &str) {
    let want: BTreeSet<&str> = allowed.iter().copied().collect();
    assert_eq!(keys(v), want, "{at}: fields");
}

fn prefix_of(producer: &str) -> &'static str {
    COMPANY_PREFIXES
        .iter()
        .find(|(p, _)| *p == producer)
        .map(|(_, cp)| *cp)
        .unwrap_or_else(|| panic!("no assumed company prefix for producer {producer}"))
}

/// GS1 mod-10: weights 3, 1, 3, 1… from the right over the digits before the
/// check digit.
fn gs1_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).expect("a digit") * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10
}

fn valid_gtin13(g: &str) -> bool {
    g.len() == 13
        && g.bytes().all(|b| b.is_ascii_digit())
        && gs1_check_digit(&g[..12]) == g[12..].parse::<u32>().unwrap()
}

/// GS1 AI 10 (batch/lot): at most 20 characters from character set 82.
fn valid_lot(lot: &str) -> bool {
    const PUNCT: &str = "!\"%&'()*+,-./:;<=>?_";
    !lot.is_empty()
        && lot.chars().count() <= 20
        && lot
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || PUNCT.contains(c))
}

/// `YYYY-MM-DD` → (year, month, day), checked.
fn ymd(date: &str) -> (i64, u32, u32) {
    let b = date.as_bytes();
    assert!(
        date.len() == 10 && b[4] == b'-' && b[7] == b'-',
        "{date}: YYYY-MM-DD"
    );
    let y: i64 = date[..4].parse().expect("year");
    let m: u32 = date[5..7].parse().expect("month");
    let d: u32 = date[8..].parse().expect("day");
    assert!((1..=12).contains(&m), "{date}: month");
    assert!(d >= 1 && d <= month_len(y, m), "{date}: day");
    (y, m, d)
}

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn day_number(date: &str) -> i64 {
    let (y, m, d) = ymd(date);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The same day 36 months later (29 February → 28 February).
fn plus_36_months(date: &str) -> String {
    let (y, m, d) = ymd(date);
    let d = d.min(month_len(y + 3, m));
    format!("{:04}-{m:02}-{d:02}", y + 3)
}

/// `YYYY-MM-DDTHH:MM:SS+07:00`, checked; returns the date part.
fn event_date(t: &str, at: &str) -> String {
    assert!(
        t.len() == 25 && t.ends_with("+07:00"),
        "{at}: eventTime {t} in Vietnam time"
    );
    let b = t.as_bytes();
    assert!(
        b[10] == b'T' && b[13] == b':' && b[16] == b':',
        "{at}: eventTime {t}"
    );
    let (h, mi, se): (u32, u32, u32) = (
        t[11..13].parse().unwrap(),
        t[14..16].parse().unwrap(),
        t[17..19].parse().unwrap(),
    );
    assert!(h < 24 && mi < 60 && se < 60, "{at}: eventTime {t}");
    ymd(&t[..10]);
    t[..10].to_string()
}

fn within_province(lat: f64, lon: f64) -> bool {
    (LAT.0..=LAT.1).contains(&lat) && (LON.0..=LON.1).contains(&lon)
}

/// `urn:epc:id:sgln:{prefix}.{location}.{extension}` with 12 digits before the extension.
fn valid_sgln(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("urn:epc:id:sgln:") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('.').collect();
    parts.len() == 3
        && parts[..2]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() + parts[1].len() == 12
        && !parts[2].is_empty()
        && (parts[0] == OTHERS_PREFIX || COMPANY_PREFIXES.iter().any(|(_, cp)| *cp == parts[0]))
}

/// `urn:uuid:` + UUID version 4 (lower-case hex, RFC 4122 variant).
fn valid_uuid_v4_urn(id: &str) -> bool {
    let Some(u) = id.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = u.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && u.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && groups[2].starts_with('4')
        && matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b')
}

/// An LGTIN class split into (company prefix, indicator + item reference, lot).
fn lgtin(class: &str, at: &str) -> (String, String, String) {
    let rest = class
        .strip_prefix("urn:epc:class:lgtin:")
        .unwrap_or_else(|| panic!("{at}: {class} is an LGTIN class"));
    let mut it = rest.splitn(3, '.');
    let (cp, ir, lot) = (
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
    );
    assert!(
        cp.len() + ir.len() == 13
            && (6..=12).contains(&cp.len())
            && cp.bytes().chain(ir.bytes()).all(|b| b.is_ascii_digit()),
        "{at}: {class}: prefix and item reference make 13 digits"
    );
    (cp.to_string(), ir.to_string(), lot.to_string())
}

/// The quantity lists of an event: (list name, entries).
fn quantity_lists(ev: &Value) -> Vec<(&'static str, &Vec<Value>)> {
    [
        "quantityList",
        "inputQuantityList",
        "outputQuantityList",
        "childQuantityList",
    ]
    .into_iter()
    .filter_map(|k| ev.get(k).map(|v| (k, v.as_array().expect("a list"))))
    .collect()
}

#[test]
fn top_level_and_context() {
    let d = doc();
    assert_keys(&d, &["context", "producers", "products"], "ocop.json");
    let ctx = d["context"].as_array().expect("context is a list");
    assert_eq!(
        ctx.len(),
        2,
        "context: the EPCIS context and the cuaso namespace"
    );
    assert_eq!(ctx[0], EPCIS_CONTEXT);
    assert_eq!(
        ctx[1]["cuaso"]
            .as_str()
            .map(|s| s.ends_with('#') || s.ends_with('/')),
        Some(true),
        "context declares the cuaso namespace"
    );
}

#[test]
fn producers_are_real_places_without_invented_contacts() {
    let d = doc();
    let list = producers(&d);
    assert!(list.len() >= 6, "at least 6 producers, got {}", list.len());
    let mut ids = BTreeSet::new();
    for p in list {
        let id = s(p, "id", "producer");
        assert!(ids.insert(id), "producer id {id} is unique");
        assert_keys(p, PRODUCER_KEYS, id);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{id}: a slug"
        );
        assert!(PRODUCER_TYPES.contains(&s(p, "type", id)), "{id}: type");
        assert!(!s(p, "commune", id).trim().is_empty(), "{id}: commune");
        assert_eq!(s(p, "province", id), "Quảng Trị", "{id}: province");
        assert!(
            p["address"].is_null() || p["address"].is_object(),
            "{id}: address"
        );
        // The seed knows no phone numbers, e-mails or websites: none are made up.
        for k in ["phone", "email", "website"] {
            assert!(p[k].is_null(), "{id}: {k} is null");
        }
        let (lat, lon) = (
            p["location"]["lat"].as_f64().expect("lat"),
            p["location"]["lon"].as_f64().expect("lon"),
        );
        assert!(
            within_province(lat, lon),
            "{id}: location {lat},{lon} in Quảng Trị"
        );
        prefix_of(id);
    }
    // Every producer has at least one product.
    let used: BTreeSet<&str> = products(&d)
        .iter()
        .map(|p| s(p, "producer", "product"))
        .collect();
    assert_eq!(
        used, ids,
        "every producer has products and only known producers are used"
    );
}

#[test]
fn products_gtins_stars_and_certificates() {
    let d = doc();
    let list = products(&d);
    assert!(list.len() >= 12, "at least 12 products, got {}", list.len());
    let producer_ids: BTreeSet<&str> = producers(&d)
        .iter()
        .map(|p| s(p, "id", "producer"))
        .collect();
    let mut gtins = BTreeSet::new();
    for p in list {
        let g = s(p, "gtin", "product");
        assert_keys(p, PRODUCT_KEYS, g);
        assert!(valid_gtin13(g), "{g}: a GTIN-13 with a valid check digit");
        assert!(g.starts_with("893"), "{g}: Vietnam's GS1 prefix 893");
        assert!(gtins.insert(g), "{g}: unique");
        let producer = s(p, "producer", g);
        assert!(
            producer_ids.contains(producer),
            "{g}: producer {producer} exists"
        );
        assert!(
            g.starts_with(prefix_of(producer)),
            "{g}: starts with {producer}'s company prefix"
        );
        assert!(GROUPS.contains(&s(p, "group", g)), "{g}: OCOP group");
        let stars = p["stars"].as_u64().expect("stars");
        assert!((3..=5).contains(&stars), "{g}: 3–5 stars");

        let c = &p["certificate"];
        assert_keys(c, &["number", "issued", "expires", "issuer"], g);
        assert!(
            c["number"].is_null() || c["number"].is_string(),
            "{g}: certificate number"
        );
        let issued = s(c, "issued", g);
        assert_eq!(
            s(c, "expires", g),
            plus_36_months(issued),
            "{g}: a certificate is valid for 36 months"
        );
        assert!(
            issued <= SEED_DATE,
            "{g}: certificate issued before the seed date"
        );
        if stars == 5 {
            assert!(
                c["issuer"]["vi"].as_str().unwrap().starts_with("Bộ "),
                "{g}: 5 stars are awarded nationally"
            );
        }

        let photos = p["photos"].as_array().expect("photos");
        assert!(!photos.is_empty(), "{g}: a photo");
        assert_eq!(
            photos[0]["url"],
            format!("/public/products/{g}.svg"),
            "{g}: photo url"
        );
        for ph in photos {
            assert_keys(ph, &["url", "alt"], g);
        }
        assert!(
            p["shelf_life_days"].as_u64().is_some_and(|n| n > 0),
            "{g}: shelf life"
        );
        assert!(
            p["net_content"].is_null() || p["net_content"].is_string(),
            "{g}: net content"
        );
        let pos = p["points_of_sale"].as_array().expect("points of sale");
        assert!(!pos.is_empty(), "{g}: somewhere to buy it");
        for x in pos {
            assert_keys(x, &["name", "address", "url"], g);
            assert!(
                x["address"].is_null() || x["address"].is_object(),
                "{g}: address"
            );
            assert!(x["url"].is_null() || x["url"].is_string(), "{g}: url");
        }
    }
    assert!(
        list.iter()
            .map(|p| s(p, "group", ""))
            .collect::<BTreeSet<_>>()
            .len()
            >= 3,
        "products from several OCOP groups"
    );
}

#[test]
fn batches_lots_dates_and_quantities() {
    let d = doc();
    for p in products(&d) {
        let g = s(p, "gtin", "product");
        let shelf = p["shelf_life_days"].as_i64().unwrap();
        let batches = p["batches"].as_array().expect("batches");
        assert!((2..=3).contains(&batches.len()), "{g}: 2–3 batches");
        let mut lots = BTreeSet::new();
        for b in batches {
            let lot = s(b, "lot", g);
            let at = format!("{g}/{lot}");
            assert_keys(b, BATCH_KEYS, &at);
            assert!(
                valid_lot(lot),
                "{at}: lot is GS1 AI 10 (≤ 20 chars, set 82)"
            );
            assert!(lots.insert(lot), "{at}: lot unique within the product");
            let (produced, expires) = (s(b, "produced", &at), s(b, "expires", &at));
            assert!(produced <= SEED_DATE, "{at}: produced before the seed date");
            assert_eq!(
                day_number(expires) - day_number(produced),
                shelf,
                "{at}: expires = produced + shelf life"
            );
            assert_keys(&b["quantity"], &["value", "uom"], &at);
            assert!(
                b["quantity"]["value"].as_f64().is_some_and(|v| v > 0.0),
                "{at}: quantity"
            );
            assert!(UOMS.contains(&s(&b["quantity"], "uom", &at)), "{at}: unit");
            match s(b, "status", &at) {
                "active" => assert!(b["recall_reason"].is_null(), "{at}: no recall reason"),
                "recalled" => assert!(b["recall_reason"].is_object(), "{at}: a recall reason"),
                other => panic!("{at}: status {other}"),
            }
        }
    }
}

#[test]
fn epcis_events_are_complete_ordered_and_about_their_batch() {
    let d = doc();
    let mut event_ids = BTreeSet::new();
    for p in products(&d) {
        let g = s(p, "gtin", "product");
        let cp = prefix_of(s(p, "producer", g));
        for b in p["batches"].as_array().unwrap() {
            let lot = s(b, "lot", g);
            let batch_qty = b["quantity"]["value"].as_f64().unwrap();
            let events = b["events"].as_array().expect("events");
            assert!((4..=8).contains(&events.len()), "{g}/{lot}: 4–8 events");
            let mut last_time = String::new();
            let mut transformed = false;
            let mut product_seen = false;
            for (i, ev) in events.iter().enumerate() {
                let at = format!("{g}/{lot} event {i}");
                for k in keys(ev) {
                    assert!(EVENT_KEYS.contains(&k), "{at}: unexpected field {k}");
                }
                let ty = s(ev, "type", &at);
                let id = s(ev, "eventID", &at);
                assert!(valid_uuid_v4_urn(id), "{at}: eventID {id}");
                assert!(event_ids.insert(id.to_string()), "{at}: eventID unique");

                let t = s(ev, "eventTime", &at);
                let day = event_date(t, &at);
                assert_eq!(s(ev, "eventTimeZoneOffset", &at), "+07:00", "{at}: offset");
                assert!(t > last_time.as_str(), "{at}: events in time order");
                last_time = t.to_string();
                assert!(day.as_str() <= SEED_DATE, "{at}: not after the seed date");

                let step = s(ev, "bizStep", &at);
                assert!(
                    CBV_BIZ_STEPS.contains(&step),
                    "{at}: bizStep {step} is CBV 2.0"
                );
                let disp = s(ev, "disposition", &at);
                assert!(
                    CBV_DISPOSITIONS.contains(&disp),
                    "{at}: disposition {disp} is CBV 2.0"
                );
                for k in ["readPoint", "bizLocation"] {
                    assert_keys(&ev[k], &["id"], &at);
                    let id = s(&ev[k], "id", &at);
                    assert!(valid_sgln(id), "{at}: {k} {id} is an SGLN");
                }
                let place = &ev["cuaso:place"];
                assert_keys(place, &["name", "lat", "lon"], &at);
                let (lat, lon) = (
                    place["lat"].as_f64().unwrap(),
                    place["lon"].as_f64().unwrap(),
                );
                assert!(
                    within_province(lat, lon),
                    "{at}: place {lat},{lon} in Quảng Trị"
                );

                match ty {
                    "ObjectEvent" => {
                        assert!(ev["quantityList"].is_array(), "{at}: quantityList");
                        for k in [
                            "inputQuantityList",
                            "outputQuantityList",
                            "childQuantityList",
                            "parentID",
                        ] {
                            assert!(ev.get(k).is_none(), "{at}: no {k} on an ObjectEvent");
                        }
                    }
                    "AggregationEvent" => {
                        let parent = s(ev, "parentID", &at);
                        let sscc = parent
                            .strip_prefix("urn:epc:id:sscc:")
                            .unwrap_or_else(|| panic!("{at}: parentID {parent} is an SSCC"));
                        let digits: String = sscc.chars().filter(|c| *c != '.').collect();
                        assert!(
                            digits.len() == 17 && digits.bytes().all(|b| b.is_ascii_digit()),
                            "{at}: SSCC {parent}"
                        );
                        assert!(
                            ev["childQuantityList"].is_array(),
                            "{at}: childQuantityList"
                        );
                        assert!(ev.get("quantityList").is_none(), "{at}: no quantityList");
                    }
                    "TransformationEvent" => {
                        assert!(
                            ev["inputQuantityList"].is_array(),
                            "{at}: inputQuantityList"
                        );
                        assert!(
                            ev["outputQuantityList"].is_array(),
                            "{at}: outputQuantityList"
                        );
                        assert!(ev.get("quantityList").is_none(), "{at}: no quantityList");
                        assert_eq!(
                            &day[..],
                            s(b, "produced", &at),
                            "{at}: the batch is produced the day of its transformation"
                        );
                    }
                    other => panic!("{at}: event type {other}"),
                }
                let has_action = ev.get("action").is_some();
                match ty {
                    "ObjectEvent" | "AggregationEvent" => {
                        assert!(
                            matches!(s(ev, "action", &at), "ADD" | "OBSERVE" | "DELETE"),
                            "{at}: action"
                        );
                    }
                    _ => assert!(!has_action, "{at}: no action on a {ty}"),
                }

                for (list, entries) in quantity_lists(ev) {
                    assert!(!entries.is_empty(), "{at}: {list} not empty");
                    for q in entries {
                        assert_keys(q, &["epcClass", "quantity", "uom"], &at);
                        assert!(
                            q["quantity"].as_f64().is_some_and(|v| v > 0.0),
                            "{at}: quantity"
                        );
                        assert!(UOMS.contains(&s(q, "uom", &at)), "{at}: unit");
                        let (qcp, ir, qlot) = lgtin(s(q, "epcClass", &at), &at);
                        assert_eq!(qcp, cp, "{at}: {list} class under the producer's prefix");
                        assert_eq!(qlot, lot, "{at}: {list} class carries the batch lot");
                        let is_product =
                            ir.starts_with('0') && format!("{qcp}{}", &ir[1..]) == g[..12];
                        if is_product {
                            product_seen = true;
                            assert!(
                                q["quantity"].as_f64().unwrap() <= batch_qty,
                                "{at}: no more than the batch"
                            );
                            assert!(
                                list != "inputQuantityList",
                                "{at}: the product is not its own input"
                            );
                        } else {
                            assert!(
                                ir.starts_with("09"),
                                "{at}: {list} class is the product ({g}) or a raw material (09xx)"
                            );
                            assert!(
                                !transformed
                                    && matches!(list, "quantityList" | "inputQuantityList"),
                                "{at}: raw material only before and into the transformation"
                            );
                        }
                        if list == "outputQuantityList" {
                            assert!(is_product, "{at}: the transformation makes the product");
                            assert_eq!(
                                q["quantity"].as_f64().unwrap(),
                                batch_qty,
                                "{at}: the transformation makes the whole batch"
                            );
                        }
                    }
                }
                if ty == "TransformationEvent" {
                    transformed = true;
                }
            }
            assert!(
                product_seen,
                "{g}/{lot}: the journey shows the product itself"
            );
        }
    }
}

#[test]
fn exactly_one_recalled_batch() {
    let d = doc();
    let mut recalled = Vec::new();
    for p in products(&d) {
        let g = s(p, "gtin", "product");
        for b in p["batches"].as_array().unwrap() {
            let lot = s(b, "lot", g);
            let events = b["events"].as_array().unwrap();
            let last = events.last().unwrap();
            if b["status"] == "recalled" {
                recalled.push(format!("{g}/{lot}"));
                for lang in ["vi", "en"] {
                    assert!(
                        b["recall_reason"][lang]
                            .as_str()
                            .is_some_and(|t| t.trim().len() > 20),
                        "{g}/{lot}: recall reason in {lang}"
                    );
                }
                assert_eq!(
                    last["disposition"], "recalled",
                    "{g}/{lot}: last event recalls"
                );
            } else {
                assert!(
                    events.iter().all(|e| e["disposition"] != "recalled"),
                    "{g}/{lot}: an active batch has no recall event"
                );
            }
        }
    }
    assert_eq!(
        recalled.len(),
        1,
        "exactly one recalled batch: {recalled:?}"
    );
}

#[test]
fn mostly_active_some_expired() {
    let d = doc();
    let batches: Vec<&Value> = products(&d)
        .iter()
        .flat_map(|p| p["batches"].as_array().unwrap())
        .collect();
    let expired = batches
        .iter()
        .filter(|b| b["expires"].as_str().unwrap() < SEED_DATE)
        .count();
    let current_active = batches
        .iter()
        .filter(|b| b["status"] == "active" && b["expires"].as_str().unwrap() >= SEED_DATE)
        .count();
    assert!(expired >= 1, "at least one batch already expired");
    assert!(
        current_active * 2 > batches.len(),
        "most batches active and in date ({current_active} of {})",
        batches.len()
    );
    // A product page can show both certificate states.
    let valid_certs = products(&d)
        .iter()
        .filter(|p| p["certificate"]["expires"].as_str().unwrap() >= SEED_DATE)
        .count();
    assert!(
        valid_certs * 2 > products(&d).len(),
        "most certificates valid"
    );
}

/// Every `{vi, en}` text in the file, with where it is.
fn texts<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a Map<String, Value>)>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("vi") || m.contains_key("en") {
                out.push((at, m));
                return;
            }
            for (k, x) in m {
                texts(x, format!("{at}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                texts(x, format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Vietnamese written without its diacritics (a sign of copy-paste through
/// an ASCII-only tool); none of these may appear in a `vi` text.
const UNACCENTED: &[&str] = &[
    "quang tri",
    "dong ha",
    "cam lo",
    "huong hoa",
    "vinh linh",
    "quang binh",
    "hop tac xa",
    "cong ty",
    "ca phe",
    "hat tieu",
    "nuoc mam",
    "mat ong",
    "tinh dau",
    "san pham",
    "viet nam",
];

#[test]
fn texts_bilingual_nfc_with_diacritics() {
    let d = doc();
    let mut all = Vec::new();
    texts(&d, "ocop".into(), &mut all);
    assert!(all.len() > 100, "texts found: {}", all.len());
    for (at, m) in &all {
        let ks: BTreeSet<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(
            ks,
            BTreeSet::from(["en", "vi"]),
            "{at}: a text is exactly vi + en"
        );
        for lang in ["vi", "en"] {
            let t = m[lang]
                .as_str()
                .unwrap_or_else(|| panic!("{at}.{lang} is a string"));
            assert!(!t.trim().is_empty(), "{at}.{lang} not empty");
            assert_eq!(t, t.trim(), "{at}.{lang} has no outer spaces");
            assert!(
                !t.chars()
                    .any(|c| ('\u{300}'..='\u{36f}').contains(&c) || c == '\u{fffd}'),
                "{at}.{lang}: precomposed (NFC) letters, no combining marks"
            );
        }
        let vi = m["vi"].as_str().unwrap().to_lowercase();
        for w in UNACCENTED {
            assert!(
                !vi.contains(w),
                "{at}.vi: \"{w}\" written without diacritics"
            );
        }
    }
    // Names and descriptions in Vietnamese carry Vietnamese letters.
    for p in products(&d) {
        for k in ["name", "description", "ingredients"] {
            let vi = p[k]["vi"].as_str().unwrap();
            assert!(!vi.is_ascii(), "{}: {k}.vi has diacritics", p["gtin"]);
        }
    }
    for p in producers(&d) {
        assert!(
            !p["name"]["vi"].as_str().unwrap().is_ascii(),
            "{}: name.vi",
            p["id"]
        );
        assert!(
            !p["commune"].as_str().unwrap().is_ascii(),
            "{}: commune",
            p["id"]
        );
    }
    // Plain strings too (communes, province) are NFC.
    fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut all_strings = Vec::new();
    strings(&d, &mut all_strings);
    for s in all_strings {
        assert!(
            !s.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
            "{s}: no combining marks"
        );
    }
}

#[test]
fn check_digit_and_date_helpers() {
    // Worked examples for the helpers the checks above rely on.
    assert_eq!(gs1_check_digit("629104150021"), 3);
    assert!(valid_gtin13("8930000000019"));
    assert!(!valid_gtin13("8930000000017"));
    assert_eq!(plus_36_months("2023-11-14"), "2026-11-14");
    assert_eq!(plus_36_months("2024-02-29"), "2027-02-28");
    assert_eq!(day_number("1970-01-01"), 0);
    assert_eq!(day_number("2025-01-01") - day_number("2024-01-01"), 366);
    assert!(valid_lot("L2408") && !valid_lot("L 2408") && !valid_lot(&"X".repeat(21)));
    let by_prefix: BTreeMap<&str, &str> = COMPANY_PREFIXES.iter().map(|(a, b)| (*b, *a)).collect();
    assert_eq!(
        by_prefix.len(),
        COMPANY_PREFIXES.len(),
        "company prefixes are distinct"
    );
    assert!(COMPANY_PREFIXES
        .iter()
        .all(|(_, cp)| cp.len() == 9 && cp.starts_with("893")));
}
