//! Traceability: the product, batch and EPCIS endpoints, the GS1 resolver,
//! link previews and scan counts, on the fixture `tests/fixtures/ocop.json`
//! (Hạt tiêu Cùa 8930000000019 with lots L2408 and recalled L2311; Cà phê
//! Khe Sanh 8930000000026 with KS-01 and an expired certificate).

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::{friday, server_with, Reply, TestServer};
use cuaso_domain::product::{Batch, BatchStatus, ProducerKind, Product};
use cuaso_domain::ErrorCode;
use serde_json::Value;

const OCOP: &str = include_str!("fixtures/ocop.json");
const SHELL: &str = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
<title>Cửa Số</title></head><body></body></html>";
const PEPPER: &str = "08930000000019";
const COFFEE: &str = "08930000000026";
const VOC: &str = "https://gs1.org/voc/";

async fn server() -> TestServer {
    server_with(friday(), |s| {
        s.ocop_json = Some(OCOP.to_string());
        std::fs::write(s.dist.join("index.html"), SHELL).unwrap();
    })
    .await
}

async fn req(t: &TestServer, method: Method, uri: &str, headers: &[(&str, &str)]) -> Reply {
    t.send(method, uri, headers, Body::empty()).await
}

fn ct(r: &Reply) -> &str {
    r.headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn product_by_any_gtin_length() {
    let t = server().await;
    for g in ["8930000000019", PEPPER] {
        let r = t.get(&format!("/api/v1/products/{g}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let p: Product = r.json();
        assert_eq!(p.gtin, PEPPER);
        assert_eq!(p.name.vi, "Hạt tiêu Cùa");
        assert_eq!(p.stars, 4);
        assert!(p.certificate.valid);
        assert_eq!(p.producer.kind, ProducerKind::Cooperative);
        assert_eq!(p.producer.commune, "Xã Cùa");
        let lots: Vec<&str> = p.batches.iter().map(|b| b.lot.as_str()).collect();
        assert_eq!(lots, ["L2408", "L2311"], "newest first");
        assert_eq!(p.batches[1].status, BatchStatus::Recalled);
        assert!(p.batches[1].recall_reason.is_some());
    }
    let p: Product = t.get(&format!("/api/v1/products/{COFFEE}")).await.json();
    assert!(!p.certificate.valid, "expired in 2023");
    assert_eq!(p.producer.kind, ProducerKind::Enterprise);
}

#[tokio::test]
async fn product_errors() {
    let t = server().await;
    let r = t.get("/api/v1/products/8930000000018").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e = r.error();
    assert_eq!(e.code, ErrorCode::BadDigitalLink);
    assert_eq!(e.field.as_deref(), Some("check_digit"));
    assert!(e.message.contains("Số kiểm tra"), "{}", e.message);
    let r = req(
        &t,
        Method::GET,
        "/api/v1/products/89300",
        &[("accept-language", "en-GB,en;q=0.9")],
    )
    .await;
    let e = r.error();
    assert_eq!(e.field.as_deref(), Some("gtin_length"));
    assert!(e.message.contains("digits"), "{}", e.message);
    for uri in [
        "/api/v1/products/%FF",
        "/api/v1/products/8930000000019/batches/%C3%28",
        "/api/v1/products/8930000000019/batches/%C3%28/epcis",
    ] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(
            r.error().field.as_deref(),
            Some("bad_percent_encoding"),
            "{uri}"
        );
    }
    let r = t.get("/api/v1/products/89300000000x9").await;
    assert_eq!(r.error().field.as_deref(), Some("gtin_not_digits"));
    // Valid but unknown.
    let r = t.get("/api/v1/products/8930000000033").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::ProductNotFound);
}

#[tokio::test]
async fn batch_with_journey() {
    let t = server().await;
    let r = t.get("/api/v1/products/8930000000019/batches/L2408").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let b: Batch = r.json();
    assert_eq!((b.gtin.as_str(), b.lot.as_str()), (PEPPER, "L2408"));
    assert_eq!(b.status, BatchStatus::Active);
    assert!(!b.expired);
    assert_eq!(b.quantity.uom, "KGM");
    let steps: Vec<&str> = b.journey.iter().map(|s| s.biz_step.as_str()).collect();
    assert_eq!(
        steps,
        ["commissioning", "inspecting", "packing", "retail_selling"]
    );
    let first = &b.journey[0];
    assert_eq!(first.time, "2024-08-10T07:00:00+07:00");
    assert_eq!(first.disposition, "active");
    assert_eq!(first.event_type, "ObjectEvent");
    let place = first.place.as_ref().unwrap();
    assert_eq!(place.name.vi, "Vườn tiêu xã Cùa");
    assert!((place.lat - 16.78).abs() < 1e-9);
    assert_eq!(first.quantity.as_ref().unwrap().value, 500.0);
    assert_eq!(
        b.journey[3].place.as_ref().unwrap().name.en,
        "Đông Hà OCOP shop"
    );
    assert_eq!(b.product.name.vi, "Hạt tiêu Cùa");
    assert_eq!(b.product.producer_name.vi, "HTX Nông nghiệp Cùa");
    // The producer's contact, as the product page has it (issue 18, item 6).
    let producer = b.producer.as_ref().expect("the batch names its producer");
    assert_eq!(producer.name.vi, "HTX Nông nghiệp Cùa");
    let p: Product = t.get(&format!("/api/v1/products/{PEPPER}")).await.json();
    assert_eq!(producer, &p.producer);
    assert!(b.product.photo.is_some());

    let b: Batch = t
        .get(&format!("/api/v1/products/{PEPPER}/batches/L2311"))
        .await
        .json();
    assert_eq!(b.status, BatchStatus::Recalled);
    assert_eq!(b.recall_reason.unwrap().vi, "Độ ẩm vượt mức cho phép");
    assert!(b.expired, "expired 2024-11-02, today 2025-03-07");

    // A TransformationEvent counts its output.
    let b: Batch = t
        .get(&format!("/api/v1/products/{COFFEE}/batches/KS-01"))
        .await
        .json();
    assert_eq!(b.journey[1].event_type, "TransformationEvent");
    assert_eq!(b.journey[1].biz_step, "commissioning");
    assert_eq!(b.journey[1].quantity.as_ref().unwrap().value, 100.0);

    let r = t
        .get(&format!("/api/v1/products/{PEPPER}/batches/NOPE"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::BatchNotFound);
    let r = t
        .get(&format!(
            "/api/v1/products/{PEPPER}/batches/{}",
            "9".repeat(21)
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().field.as_deref(), Some("too_long"));
    let r = t.get("/api/v1/products/8930000000033/batches/L1").await;
    assert_eq!(r.error().code, ErrorCode::ProductNotFound);
}

#[tokio::test]
async fn epcis_document() {
    let t = server().await;
    for (g, lot, n) in [
        (PEPPER, "L2408", 4),
        (PEPPER, "L2311", 3),
        (COFFEE, "KS-01", 3),
    ] {
        let r = t
            .get(&format!("/api/v1/products/{g}/batches/{lot}/epcis"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(ct(&r), "application/ld+json");
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        let d = r.value();
        assert_eq!(d["type"], "EPCISDocument");
        assert_eq!(d["schemaVersion"], "2.0");
        assert_eq!(
            d["@context"][0],
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
        );
        assert_eq!(d["creationDate"], "2025-03-07T10:00:00+07:00");
        let events = d["epcisBody"]["eventList"].as_array().unwrap();
        assert_eq!(events.len(), n);
        for e in events {
            check_epcis_event(e);
        }
    }
    let r = t
        .get(&format!("/api/v1/products/{PEPPER}/batches/X1/epcis"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::BatchNotFound);
    assert_eq!(r.headers["access-control-allow-origin"], "*");
}

/// The fields EPCIS 2.0 requires of each event type.
fn check_epcis_event(e: &Value) {
    let has = |k: &str| !e[k].is_null();
    assert!(has("eventTime") && has("eventTimeZoneOffset"), "{e}");
    let off = e["eventTimeZoneOffset"].as_str().unwrap();
    assert!(e["eventTime"].as_str().unwrap().ends_with(off), "{e}");
    match e["type"].as_str().unwrap() {
        "ObjectEvent" => {
            assert!(["ADD", "OBSERVE", "DELETE"].contains(&e["action"].as_str().unwrap()));
            assert!(has("epcList") || has("quantityList"), "{e}");
        }
        "AggregationEvent" => assert!(has("action") && has("parentID"), "{e}"),
        "TransactionEvent" => assert!(has("action") && has("bizTransactionList"), "{e}"),
        "TransformationEvent" => {
            assert!(!has("action"), "{e}");
            assert!(
                (has("inputEPCList") || has("inputQuantityList"))
                    && (has("outputEPCList") || has("outputQuantityList")),
                "{e}"
            );
        }
        "AssociationEvent" => assert!(has("action") && has("parentID"), "{e}"),
        other => panic!("unknown event type {other}"),
    }
    if let Some(q) = e["quantityList"].as_array() {
        for q in q {
            assert!(
                q["epcClass"].is_string() && q["quantity"].is_number(),
                "{e}"
            );
        }
    }
}

fn linkset_of(r: &Reply) -> serde_json::Map<String, Value> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(ct(r), "application/linkset+json");
    let v = r.value();
    let sets = v["linkset"].as_array().unwrap();
    assert_eq!(sets.len(), 1);
    sets[0].as_object().unwrap().clone()
}

#[tokio::test]
async fn resolver_linkset() {
    let t = server().await;
    let host = [("host", "id.example.vn")];
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019/10/L2408?linkType=linkset",
        &host,
    )
    .await;
    let set = linkset_of(&r);
    assert_eq!(
        set["anchor"],
        "http://id.example.vn/01/08930000000019/10/L2408"
    );
    let pip = &set[&format!("{VOC}pip")][0];
    assert_eq!(
        pip["href"],
        "http://id.example.vn/01/08930000000019/10/L2408"
    );
    assert_eq!(pip["type"], "text/html");
    assert_eq!(pip["hreflang"], serde_json::json!(["vi", "en"]));
    assert_eq!(pip["title"], "Hạt tiêu Cùa");
    let tr = &set[&format!("{VOC}traceability")][0];
    assert_eq!(
        tr["href"],
        "http://id.example.vn/api/v1/products/08930000000019/batches/L2408/epcis"
    );
    assert_eq!(tr["type"], "application/ld+json");
    assert_eq!(
        set[&format!("{VOC}certificationInfo")][0]["href"],
        "http://id.example.vn/01/08930000000019#certificate"
    );
    assert_eq!(set[&format!("{VOC}defaultLink")][0]["href"], pip["href"]);
    assert_eq!(r.headers["access-control-allow-origin"], "*");

    // By Accept, with a GTIN-13 and no lot: no traceability link.
    let r = req(
        &t,
        Method::GET,
        "/01/8930000000019",
        &[
            ("host", "id.example.vn"),
            ("accept", "application/linkset+json"),
        ],
    )
    .await;
    let set = linkset_of(&r);
    assert_eq!(set["anchor"], "http://id.example.vn/01/08930000000019");
    assert!(!set.contains_key(&format!("{VOC}traceability")));
    assert!(set.contains_key(&format!("{VOC}pip")));

    // HEAD: the same headers, a Link header, no body.
    let r = req(
        &t,
        Method::HEAD,
        "/01/08930000000019/10/L2408",
        &[
            ("host", "id.example.vn"),
            ("accept", "application/linkset+json"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    let link = r.headers[header::LINK].to_str().unwrap();
    assert!(
        link.contains(
            "<http://id.example.vn/01/08930000000019/10/L2408>; rel=\"https://gs1.org/voc/pip\""
        ),
        "{link}"
    );
    assert!(
        link.contains("rel=\"https://gs1.org/voc/traceability\""),
        "{link}"
    );
    assert!(
        link.contains("rel=\"https://gs1.org/voc/certificationInfo\""),
        "{link}"
    );
    assert!(
        link.contains(
            "<http://id.example.vn/01/08930000000019/10/L2408?linkType=linkset>; rel=\"linkset\""
        ),
        "{link}"
    );
    assert_eq!(r.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn resolver_redirects_per_link_type() {
    let t = server().await;
    let host = ("host", "id.example.vn");
    let base = "/01/08930000000019/10/L2408?linkType=";
    for (lt, to) in [
        ("gs1:pip", "http://id.example.vn/01/08930000000019/10/L2408"),
        (
            "gs1:defaultLink",
            "http://id.example.vn/01/08930000000019/10/L2408",
        ),
        (
            "gs1:traceability",
            "http://id.example.vn/api/v1/products/08930000000019/batches/L2408/epcis",
        ),
        (
            "https%3A%2F%2Fgs1.org%2Fvoc%2Ftraceability",
            "http://id.example.vn/api/v1/products/08930000000019/batches/L2408/epcis",
        ),
        (
            "gs1:certificationInfo",
            "http://id.example.vn/01/08930000000019#certificate",
        ),
    ] {
        for m in [Method::GET, Method::HEAD] {
            let r = req(&t, m.clone(), &format!("{base}{lt}"), &[host]).await;
            assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT, "{lt} {m}");
            assert_eq!(r.headers[header::LOCATION], to, "{lt}");
            assert_eq!(r.headers["access-control-allow-origin"], "*");
        }
    }
    // A link type the item does not have.
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019?linkType=gs1:traceability",
        &[host],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let e = r.error();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.field.as_deref(), Some("linkType"));
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019?linkType=gs1:recipeInfo",
        &[host],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // --public-base-url wins over Host.
    let t = server_with(friday(), |s| {
        s.ocop_json = Some(OCOP.to_string());
        s.public_base_url = Some("https://id.quangtri.example/".into());
    })
    .await;
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019?linkType=gs1:pip",
        &[host],
    )
    .await;
    assert_eq!(
        r.headers[header::LOCATION],
        "https://id.quangtri.example/01/08930000000019"
    );
}

#[tokio::test]
async fn resolver_errors() {
    let t = server().await;
    let json = [("accept", "application/linkset+json")];
    // Bad check digit, wrong order, bad character, over-long lot.
    for (path, field) in [
        ("/01/08930000000018", "check_digit"),
        ("/01/08930000000019/21/S1/10/L1", "qualifier_order"),
        ("/01/08930000000019/10/L%20X", "bad_character"),
        ("/01/08930000000019/10/123456789012345678901", "too_long"),
    ] {
        let r = req(&t, Method::GET, path, &json).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        let e = r.error();
        assert_eq!(e.code, ErrorCode::BadDigitalLink);
        assert_eq!(e.field.as_deref(), Some(field), "{path}");
        assert_eq!(r.headers["access-control-allow-origin"], "*");
    }
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000018?linkType=gs1:pip",
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r
        .error()
        .message
        .starts_with("The GTIN's check digit is wrong"));
    let r = req(&t, Method::GET, "/01/08930000000033", &json).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::ProductNotFound);
    let r = req(&t, Method::GET, "/01/08930000000019/10/NOPE", &json).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::BatchNotFound);
    // Browsers get the app, which words the error, with the same status.
    let html = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
    let r = req(&t, Method::GET, "/01/08930000000018", &html).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(ct(&r).starts_with("text/html"));
    assert!(r.text().contains("<title>Cửa Số</title>"));
    let r = req(&t, Method::GET, "/01/08930000000033", &html).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(ct(&r).starts_with("text/html"));
    // Only GET and HEAD (and the CORS preflight).
    let r = req(&t, Method::POST, "/01/08930000000019", &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = req(&t, Method::OPTIONS, "/01/08930000000019", &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.headers["access-control-allow-methods"], "GET, HEAD");
}

#[tokio::test]
async fn resolver_serves_the_app_to_browsers_with_a_preview() {
    let t = server().await;
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019/10/L2408?src=qr",
        &[("host", "id.example.vn"), ("accept", "text/html,*/*;q=0.8")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(ct(&r).starts_with("text/html"));
    let html = r.text();
    assert!(html.contains("id=\"cuaso-config\""), "the app shell");
    assert_eq!(html.matches("<title>").count(), 1, "{html}");
    assert!(
        html.contains("<title>Hạt tiêu Cùa – lô L2408</title>"),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:type\" content=\"product\">"));
    assert!(html.contains("<meta property=\"og:title\" content=\"Hạt tiêu Cùa – lô L2408\">"));
    assert!(html.contains(
        "<meta property=\"og:image\" content=\"http://id.example.vn/public/products/tieu-cua.jpg\">"
    ), "{html}");
    assert!(html.contains("<meta name=\"description\" content=\"4 ★ OCOP · HTX Nông nghiệp Cùa."));
    assert!(html.find("og:title").unwrap() < html.find("</head>").unwrap());
    assert!(r.headers.contains_key(header::LINK));
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    // curl's */* gets the page too (the default link is this page).
    let r = req(&t, Method::GET, "/01/08930000000026", &[("accept", "*/*")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("<title>Cà phê Khe Sanh</title>"));
    assert!(!r.text().contains("og:image"), "no photo, no image tag");
}

#[tokio::test]
async fn preview_escapes_hostile_names() {
    let t = server().await;
    let body = serde_json::json!({
        "gtin": "08930000000033", "name": {"vi": "</title><script>alert(1)</script>", "en": "x"},
        "group": "food", "stars": 3,
        "certificate": {"issued": "2024-01-01", "expires": "2027-01-01", "issuer": {"vi": "A", "en": "A"}},
        "photos": [{"url": "/p.jpg\"><script>alert(2)</script>", "alt": {"vi": "'\"&", "en": ""}}],
        "description": {"vi": "\"><img src=x onerror=alert(3)> & 'q'", "en": ""},
        "ingredients": {"vi": "", "en": ""}, "shelf_life_days": 1, "net_content": "1 g",
        "points_of_sale": []
    });
    sqlx::query(
        "INSERT INTO products (gtin, producer_id, position, body) VALUES ($1, 'htx-cua', 99, $2)",
    )
    .bind("08930000000033")
    .bind(body.to_string())
    .execute(&t.pool)
    .await
    .unwrap();
    let r = req(
        &t,
        Method::GET,
        "/01/8930000000033",
        &[("accept", "text/html")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"),
        "{html}"
    );
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(3)&gt; &amp; &#39;q&#39;"),
        "{html}"
    );
    assert!(html.contains("content=\"&#39;&quot;&amp;\""), "{html}");
    assert_eq!(html.matches("<title>").count(), 1);
    assert_eq!(html.matches("</title>").count(), 1);
}

#[tokio::test]
async fn well_known_describes_the_resolver() {
    let t = server().await;
    let r = req(
        &t,
        Method::GET,
        "/.well-known/gs1resolver",
        &[("host", "id.example.vn")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let v = r.value();
    assert_eq!(v["name"], "Cửa Số");
    assert_eq!(v["resolverRoot"], "http://id.example.vn");
    assert_eq!(v["supportedPrimaryKeys"], serde_json::json!(["gtin"]));
    assert_eq!(v["linkTypeDefaultCanBeLinkset"], false);
    let types = v["supportedLinkTypes"].to_string();
    for lt in ["pip", "traceability", "certificationInfo", "defaultLink"] {
        assert!(types.contains(&format!("{VOC}{lt}")), "{types}");
    }
}

async fn scan(t: &TestServer, ip: &str, body: Value) -> Reply {
    t.send_from(
        ip,
        Method::POST,
        "/api/v1/scans",
        &[("content-type", "application/json")],
        serde_json::to_vec(&body).unwrap(),
    )
    .await
}

#[tokio::test]
async fn scans_are_counted_per_product_batch_and_day() {
    let t = server().await;
    let ip = "203.0.113.5";
    for _ in 0..3 {
        let r = scan(&t, ip, serde_json::json!({"gtin": "8930000000019"})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }
    for _ in 0..2 {
        let r = scan(&t, ip, serde_json::json!({"gtin": PEPPER, "lot": "L2408"})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    t.set_time(cuaso_server::infra::clock::vn_time(2025, 3, 8, 9, 0));
    scan(&t, ip, serde_json::json!({"gtin": PEPPER, "lot": "L2408"})).await;
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT gtin, lot, day, count FROM scans ORDER BY day, lot")
            .fetch_all(&t.pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            (PEPPER.into(), "".into(), "2025-03-07".into(), 3),
            (PEPPER.into(), "L2408".into(), "2025-03-07".into(), 2),
            (PEPPER.into(), "L2408".into(), "2025-03-08".into(), 1),
        ]
    );
    // Nothing about who scanned.
    let columns = if t.pg.is_some() {
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'scans' ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info('scans')"
    };
    let cols: Vec<(String,)> = sqlx::query_as(columns).fetch_all(&t.pool).await.unwrap();
    let cols: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(cols, ["gtin", "lot", "day", "count"]);

    // Unknown items and bad bodies are refused, not counted.
    let r = scan(&t, ip, serde_json::json!({"gtin": "8930000000033"})).await;
    assert_eq!(r.error().code, ErrorCode::ProductNotFound);
    let r = scan(&t, ip, serde_json::json!({"gtin": PEPPER, "lot": "ZZ"})).await;
    assert_eq!(r.error().code, ErrorCode::BatchNotFound);
    let r = scan(&t, ip, serde_json::json!({"gtin": "8930000000018"})).await;
    assert_eq!(r.error().field.as_deref(), Some("check_digit"));
    let r = scan(&t, ip, serde_json::json!({"lot": "L1"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        t.count("SELECT CAST(SUM(count) AS BIGINT) FROM scans")
            .await,
        6
    );
}

#[tokio::test]
async fn scans_from_one_client_are_capped_per_minute() {
    let t = server().await;
    for _ in 0..70 {
        let r = scan(&t, "198.51.100.1", serde_json::json!({"gtin": COFFEE})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    scan(&t, "198.51.100.2", serde_json::json!({"gtin": COFFEE})).await;
    assert_eq!(
        t.count("SELECT CAST(SUM(count) AS BIGINT) FROM scans")
            .await,
        61
    );
    t.set_time(cuaso_server::infra::clock::vn_time(2025, 3, 7, 10, 1));
    scan(&t, "198.51.100.1", serde_json::json!({"gtin": COFFEE})).await;
    assert_eq!(
        t.count("SELECT CAST(SUM(count) AS BIGINT) FROM scans")
            .await,
        62
    );
}

#[tokio::test]
async fn seed_is_checked_and_loaded_once() {
    let t = server().await;
    let count = |t: &TestServer| {
        let pool = t.pool.clone();
        async move {
            let (p,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products")
                .fetch_one(&pool)
                .await
                .unwrap();
            let (e,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM epcis_events")
                .fetch_one(&pool)
                .await
                .unwrap();
            (p, e)
        }
    };
    assert_eq!(count(&t).await, (2, 10));
    cuaso_server::products::seed(&t.pool, OCOP).await.unwrap();
    assert_eq!(count(&t).await, (2, 10));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM seed_runs WHERE name LIKE 'ocop-%'")
            .await,
        1
    );
    use cuaso_server::products::parse_seed;
    let broken = |from: &str, to: &str| {
        assert!(OCOP.contains(from), "{from}");
        parse_seed(&OCOP.replacen(from, to, 1)).unwrap_err()
    };
    assert!(broken("8930000000019", "8930000000018").contains("check digit"));
    assert!(broken("\"L2408\"", "\"L 2408\"").contains("L 2408"));
    assert!(
        broken("\"eventTimeZoneOffset\": \"+07:00\"", "\"x\": 1").contains("eventTimeZoneOffset")
    );
    assert!(broken("\"producer\": \"cty-ks\"", "\"producer\": \"nobody\"").contains("nobody"));
    // The compiled-in seed passes the same checks.
    parse_seed(cuaso_server::infra::db::SEED_OCOP).unwrap();
}

/// The compiled-in seed (`seed/ocop.json`) through the API: every product,
/// batch and EPCIS document.
#[tokio::test]
async fn the_real_seed_is_served() {
    let t = common::server().await;
    let seed: Value = serde_json::from_str(cuaso_server::infra::db::SEED_OCOP).unwrap();
    let mut recalled = 0;
    for p in seed["products"].as_array().unwrap() {
        let g = p["gtin"].as_str().unwrap();
        let r = t.get(&format!("/api/v1/products/{g}")).await;
        assert_eq!(r.status, StatusCode::OK, "{g}: {}", r.text());
        let product: Product = r.json();
        assert_eq!(product.gtin.len(), 14);
        assert_eq!(
            product.batches.len(),
            p["batches"].as_array().unwrap().len()
        );
        for b in &product.batches {
            let uri = format!("/api/v1/products/{g}/batches/{}", b.lot);
            let batch: Batch = t.get(&uri).await.json();
            assert!(!batch.journey.is_empty());
            for s in &batch.journey {
                assert!(s.place.is_some(), "{uri}: a place for every step");
                assert_ne!(
                    cuaso_domain::product::biz_step_label(&s.biz_step, "vi"),
                    "Bước khác",
                    "{uri}: {}",
                    s.biz_step
                );
            }
            if batch.status == BatchStatus::Recalled {
                recalled += 1;
                assert!(batch.recall_reason.is_some());
            }
            let r = t.get(&format!("{uri}/epcis")).await;
            assert_eq!(ct(&r), "application/ld+json");
            let d = r.value();
            assert_eq!(
                d["@context"][0],
                "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
            );
            let events = d["epcisBody"]["eventList"].as_array().unwrap();
            assert_eq!(events.len(), batch.journey.len());
            for e in events {
                check_epcis_event(e);
            }
        }
    }
    assert!(recalled >= 1);
    // The resolver knows the seeded items.
    let r = req(
        &t,
        Method::GET,
        "/01/08930000000019/10/L2408?linkType=gs1:traceability",
        &[("host", "localhost:8080")],
    )
    .await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        "http://localhost:8080/api/v1/products/08930000000019/batches/L2408/epcis"
    );
}

#[tokio::test]
async fn openapi_documents_the_traceability_routes() {
    let t = server().await;
    let doc = t.get("/api/v1/openapi.json").await.value();
    for path in [
        "/api/v1/products/{gtin}",
        "/api/v1/products/{gtin}/batches/{lot}",
        "/api/v1/products/{gtin}/batches/{lot}/epcis",
        "/api/v1/scans",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    for schema in ["Product", "Producer", "Batch", "JourneyStep", "ScanEvent"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    let codes = doc["components"]["schemas"]["ErrorCode"].to_string();
    for c in ["product_not_found", "batch_not_found", "bad_digital_link"] {
        assert!(codes.contains(c), "{c}");
    }
}

#[tokio::test]
async fn prefix_paths_resolve_too() {
    let t = server().await;
    let host = ("host", "id.example.vn");
    let r = req(
        &t,
        Method::GET,
        "/ocop/qt/01/8930000000019/10/L2408?linkType=gs1:traceability",
        &[host],
    )
    .await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        "http://id.example.vn/api/v1/products/08930000000019/batches/L2408/epcis"
    );
    let r = req(
        &t,
        Method::GET,
        "/ocop/01/8930000000019",
        &[host, ("accept", "application/linkset+json")],
    )
    .await;
    assert_eq!(
        linkset_of(&r)["anchor"],
        "http://id.example.vn/01/08930000000019"
    );
    // Browsers go to the root form, where the app's pages are.
    let r = req(
        &t,
        Method::GET,
        "/ocop/01/8930000000019/10/L2408?src=qr",
        &[host, ("accept", "text/html")],
    )
    .await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        "/01/08930000000019/10/L2408?src=qr"
    );
    // Other app paths are untouched.
    let r = req(&t, Method::GET, "/sites", &[("accept", "text/html")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("<title>Cửa Số</title>"));
    let r = req(&t, Method::GET, "/api/v1/01/8930000000019", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::NotFound);
}

/// The JSON data block the server inlines for the app (`web::with_data`).
fn inlined(html: &str) -> Option<(String, Value)> {
    let start = html.find(r#"<script type="application/json" id="cuaso-data" data-kind=""#)?;
    let rest = &html[start..];
    let kind = rest.split('"').nth(5)?.to_string();
    let body = &rest[rest.find('>')? + 1..rest.find("</script>")?];
    Some((kind, serde_json::from_str(body).ok()?))
}

#[tokio::test]
async fn batch_and_product_pages_carry_the_api_answer_inline() {
    let t = server().await;
    let html = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
    let r = req(&t, Method::GET, &format!("/01/{PEPPER}/10/L2408"), &html).await;
    assert_eq!(r.status, StatusCode::OK);
    let (kind, v) = inlined(&r.text()).expect("a data block");
    assert_eq!(kind, "batch");
    // Exactly what the app would have fetched.
    let api = t
        .get(&format!("/api/v1/products/{PEPPER}/batches/L2408"))
        .await
        .value();
    assert_eq!(v, api);
    // Product links carry the product; a short GTIN is answered as 14 digits.
    let r = req(&t, Method::GET, "/01/8930000000019", &html).await;
    let (kind, v) = inlined(&r.text()).expect("a data block");
    assert_eq!(kind, "product");
    assert_eq!(
        v,
        t.get(&format!("/api/v1/products/{PEPPER}")).await.value()
    );
    // An unknown lot: the shell with its 404 and nothing inlined.
    let r = req(&t, Method::GET, &format!("/01/{PEPPER}/10/NOPE"), &html).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(inlined(&r.text()).is_none());
    // The home page never carries one.
    assert!(inlined(&req(&t, Method::GET, "/", &html).await.text()).is_none());
}
