//! Tracking: the public and private dossier views (redaction checked over
//! the whole JSON tree), wrong secrets answered like unknown codes, rate
//! limits, the officer API's auth and moves, supplements, payments,
//! withdrawal, rating, the result download, batch statuses, retention.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::{birth, friday, multipart, server, server_with, Reply, TestServer, OFFICER_TOKEN, PDF, PNG};
use cuaso_domain::form::{DossierReceipt, FileType};
use cuaso_domain::status::{replay, Actor, Event, Status, Timeliness};
use cuaso_domain::track::{DossierView, StatusAnswer, SECRET_HEADER};
use cuaso_domain::{Date, ErrorCode};
use cuaso_server::infra::clock::vn_time;
use serde_json::{json, Value};

const NAME: &str = "Nguyễn Văn An";
const CCCD: &str = "045090001234";
const PHONE: &str = "0912345678";


struct D {
    code: String,
    secret: String,
    /// The upload attached at submission (birth dossiers).
    upload: Option<String>,
}

async fn birth_dossier(s: &TestServer, key: &str) -> D {
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let r = s.submit(Some(key), "vi", &birth(&up)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r: DossierReceipt = r.json();
    D {
        code: r.code,
        secret: r.secret,
        upload: Some(up),
    }
}

async fn copy_dossier(s: &TestServer, key: &str, name: &str) -> D {
    let body =
        json!({"procedure": "2.000635", "answers": {"full_name": name, "phone": "0987654321"}});
    let r = s.submit(Some(key), "vi", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r: DossierReceipt = r.json();
    D {
        code: r.code,
        secret: r.secret,
        upload: None,
    }
}

async fn mv(s: &TestServer, code: &str, body: Value) -> Reply {
    s.officer(
        Method::POST,
        &format!("/dossiers/{code}/transitions"),
        Some(&body),
    )
    .await
}

async fn ok_mv(s: &TestServer, code: &str, body: Value) -> DossierView {
    let r = mv(s, code, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
    r.json()
}

/// Moves through plain statuses (no reason needed, or a stock one).
async fn walk(s: &TestServer, code: &str, statuses: &[u8]) -> DossierView {
    let mut last = None;
    for &to in statuses {
        let body = match to {
            5 => {
                json!({"to": 5, "reason": "Thiếu giấy tờ", "documents": [{"name": "Bản sao CCCD"}]})
            }
            6 => json!({"to": 6, "reason": "Lệ phí", "amount": 50000}),
            3 | 8 => json!({"to": to, "reason": "Không đủ điều kiện"}),
            _ => json!({ "to": to }),
        };
        last = Some(ok_mv(s, code, body).await);
    }
    last.unwrap()
}

async fn look(s: &TestServer, code: &str, secret: Option<&str>) -> Reply {
    look_from(s, "192.0.2.1", code, secret).await
}

async fn look_from(s: &TestServer, ip: &str, code: &str, secret: Option<&str>) -> Reply {
    let mut headers = vec![];
    if let Some(x) = secret {
        headers.push((SECRET_HEADER, x));
    }
    s.send_from(
        ip,
        Method::GET,
        &format!("/api/v1/dossiers/{code}"),
        &headers,
        Body::empty(),
    )
    .await
}

async fn private_view(s: &TestServer, d: &D) -> DossierView {
    let r = look(s, &d.code, Some(&d.secret)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

/// A citizen action (`supplements`, `withdraw`, `rating`) with the secret.
async fn act(s: &TestServer, code: &str, action: &str, secret: Option<&str>, body: Value) -> Reply {
    act_from(s, "192.0.2.1", code, action, secret, body).await
}

async fn act_from(
    s: &TestServer,
    ip: &str,
    code: &str,
    action: &str,
    secret: Option<&str>,
    body: Value,
) -> Reply {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("accept-language", "en"),
    ];
    if let Some(x) = secret {
        headers.push((SECRET_HEADER, x));
    }
    s.send_from(
        ip,
        Method::POST,
        &format!("/api/v1/dossiers/{code}/{action}"),
        &headers,
        serde_json::to_vec(&body).unwrap(),
    )
    .await
}

/// Every key of every object in the tree.
fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

const PERSONAL_KEYS: [&str; 13] = [
    "applicant_name",
    "answers",
    "files",
    "private",
    "details",
    "reason",
    "contact",
    "payments",
    "missing_documents",
    "result",
    "rating",
    "amount",
    "documents",
];

/// The public answer holds none of the personal keys, anywhere, and none
/// of `values` in its text.
fn assert_public(r: &Reply, values: &[&str]) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.value();
    let mut ks = Vec::new();
    keys(&v, &mut ks);
    for k in &ks {
        assert!(
            !PERSONAL_KEYS.contains(&k.as_str()),
            "public view has {k}: {v:#}"
        );
    }
    let text = r.text();
    for value in values {
        assert!(!text.contains(value), "public view holds {value:?}: {text}");
    }
    // And it still says what the public may know.
    for k in [
        "code",
        "procedure",
        "procedure_name",
        "status",
        "received_at",
        "promised_date",
        "deadline",
        "timeliness",
        "timeline",
    ] {
        assert!(v.get(k).is_some(), "public view lacks {k}");
    }
    for e in v["timeline"].as_array().unwrap() {
        let mut names: Vec<&String> = e.as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(names, ["at", "status"]);
    }
}

/// The stored history replays to the stored status.
async fn assert_history_replays(s: &TestServer, code: &str) -> Vec<Event> {
    type Row = (i64, i64, String, String, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, status, at, actor, reason, amount FROM dossier_events \
         WHERE dossier_code = $1 ORDER BY seq",
    )
    .bind(code)
    .fetch_all(&s.pool)
    .await
    .unwrap();
    let events: Vec<Event> = rows
        .into_iter()
        .map(|(seq, st, at, actor, reason, amount)| Event {
            seq: seq as u32,
            status: Status::from_code(st as u8).unwrap(),
            at,
            actor: if actor == "citizen" {
                Actor::Citizen
            } else {
                assert!(actor.starts_with("officer:"), "{actor}");
                Actor::Officer
            },
            reason,
            amount: amount.map(|a| a as u64),
        })
        .collect();
    let (status,): (i64,) = sqlx::query_as("SELECT status FROM dossiers WHERE code = $1")
        .bind(code)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(
        replay(&events),
        Ok(Status::from_code(status as u8).unwrap())
    );
    events
}

#[tokio::test]
async fn without_the_secret_nothing_personal_is_shown() {
    let s = server().await;
    let d = birth_dossier(&s, "redaction-0001").await;
    let reason6 = "Lệ phí trích lục cho ông Nguyễn Văn An";
    let reason5 = "Ảnh CCCD 045090001234 bị mờ";
    let why = "Không đọc được số điện thoại 0912345678";
    walk(&s, &d.code, &[2, 4]).await;
    ok_mv(
        &s,
        &d.code,
        json!({"to": 6, "reason": reason6, "amount": 75000}),
    )
    .await;
    let paid = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/payment", d.code),
            Some(&json!({"amount": 75000})),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text());
    ok_mv(
        &s,
        &d.code,
        json!({"to": 5, "reason": reason5, "documents": [{"name": "Bản sao CCCD", "why": why}]}),
    )
    .await;
    let personal = [
        NAME,
        "Nguyễn",
        CCCD,
        "045 090 001 234",
        PHONE,
        "0912 345 678",
        "an@example.com",
        "12 Lê Lợi",
        "Phường Đông Hà",
        "giấy chứng sinh",
        d.upload.as_deref().unwrap(),
        &d.secret,
        reason6,
        reason5,
        why,
        "Bản sao CCCD",
        "75000",
        "officer",
        "citizen",
    ];
    let public = look(&s, &d.code, None).await;
    assert_public(&public, &personal);
    let v: DossierView = public.json();
    assert_eq!(v.status, Status::SupplementRequested);
    assert_eq!(
        v.timeline
            .iter()
            .map(|e| e.status.code())
            .collect::<Vec<_>>(),
        [1, 2, 4, 6, 4, 5]
    );
    assert_eq!(
        public.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    // An empty secret header is no secret.
    assert_public(&look(&s, &d.code, Some("  ")).await, &personal);

    // With the secret: everything.
    let r = look(&s, &d.code, Some(&d.secret)).await;
    let v = r.value();
    let mut ks = Vec::new();
    keys(&v, &mut ks);
    for k in PERSONAL_KEYS {
        if k != "result" && k != "rating" {
            assert!(ks.iter().any(|x| x == k), "private view lacks {k}");
        }
    }
    let v: DossierView = r.json();
    let p = v.private.as_ref().unwrap();
    assert_eq!(p.applicant_name, NAME);
    assert_eq!(p.answers["cccd"], CCCD);
    assert_eq!(p.answers["phone"], PHONE);
    assert_eq!(p.files.len(), 1);
    assert_eq!(p.files[0].field, "birth_proof");
    assert_eq!(p.files[0].name, "giấy chứng sinh.pdf");
    assert_eq!(p.files[0].file_type, FileType::Pdf);
    assert_eq!(p.agency.vi, "Ủy ban nhân dân cấp xã");
    assert!(p.contact.vi.contains("0233 3852 000"));
    assert_eq!(p.payments.len(), 1);
    assert_eq!(p.payments[0].amount, 75000);
    assert_eq!(p.missing_documents.len(), 1);
    assert_eq!(p.missing_documents[0].why.as_deref(), Some(why));
    assert!(p.can_withdraw);
    assert!(!p.can_rate);
    assert!(v.timeline.iter().all(|e| e.details.is_some()));
    assert_eq!(
        v.timeline[3].details.as_ref().unwrap().reason.as_deref(),
        Some(reason6)
    );
    // The secret as typed by hand: lower case, with a space.
    let typed = format!(
        "{} {}",
        d.secret[..4].to_lowercase(),
        d.secret[4..].to_lowercase()
    );
    assert!(look(&s, &d.code.to_lowercase(), Some(&typed)).await.value()["private"].is_object());

    // At the end (result, rating), the public view is still bare.
    let sent = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": [[s.upload_id("cccd.png", PNG).await]], "note": "Gửi lại ảnh rõ của Nguyễn Văn An"}),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    let r = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/result", d.code),
            Some(&json!({"upload": s.upload_id("trích lục.pdf", PDF).await})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    walk(&s, &d.code, &[9, 10]).await;
    let rated = act(
        &s,
        &d.code,
        "rating",
        Some(&d.secret),
        json!({"stars": 4, "comment": "Cán bộ hỗ trợ Nguyễn Văn An nhanh"}),
    )
    .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.text());
    let mut more = personal.to_vec();
    more.extend(["trích lục", "Gửi lại", "hỗ trợ", "stars"]);
    assert_public(&look(&s, &d.code, None).await, &more);
    let v = private_view(&s, &d).await;
    let p = v.private.unwrap();
    assert!(p.result.is_some());
    assert_eq!(p.rating.unwrap().stars, 4);
    assert_history_replays(&s, &d.code).await;
}

#[tokio::test]
async fn the_applicant_name_falls_back_to_ho_ten_then_empty() {
    let s = server().await;
    // 1.001456: its text field has no autocomplete.
    let r = s
        .submit(
            Some("passport-name-1"),
            "vi",
            &json!({"procedure": "1.001456", "answers": {"full_name": "Phạm Thu Hà"}}),
        )
        .await;
    let rec: DossierReceipt = r.json();
    let d = D {
        code: rec.code,
        secret: rec.secret,
        upload: None,
    };
    let v = private_view(&s, &d).await;
    assert_eq!(v.private.as_ref().unwrap().applicant_name, "");
    assert_eq!(v.private.as_ref().unwrap().fee, 200_000);
    sqlx::query(&format!(
        "UPDATE dossiers SET answers = {} WHERE code = $1",
        s.json_set("answers", "ho_ten", "'Phạm Thu Hà'")
    ))
    .bind(&d.code)
    .execute(&s.pool)
    .await
    .unwrap();
    let v = private_view(&s, &d).await;
    assert_eq!(v.private.unwrap().applicant_name, "Phạm Thu Hà");
}

#[tokio::test]
async fn a_wrong_secret_looks_exactly_like_an_unknown_code() {
    let s = server_with(friday(), |st| {
        st.limits.wrong_per_code = 1000;
        st.limits.wrong_per_ip = 1000;
    })
    .await;
    let d = copy_dossier(&s, "probe-key-001", "Lê Thị Bình").await;
    let unknown = "QT.XA-250307-0999";
    let malformed = "no-such-code";
    let wrong = "ABCDEFGH";
    let mut replies: Vec<(String, Reply)> = Vec::new();
    for lang in ["vi", "en"] {
        for (code, secret) in [
            (d.code.as_str(), Some(wrong)),
            (unknown, Some(wrong)),
            (unknown, Some(d.secret.as_str())),
            (unknown, None),
            (malformed, Some(wrong)),
            (malformed, None),
            ("%E1%BA%A3", None),
        ] {
            let mut h = vec![("accept-language", lang)];
            if let Some(x) = secret {
                h.push((SECRET_HEADER, x));
            }
            let r = s
                .send(
                    Method::GET,
                    &format!("/api/v1/dossiers/{code}"),
                    &h,
                    Body::empty(),
                )
                .await;
            replies.push((format!("GET {code} {secret:?} {lang}"), r));
        }
        // The actions and the download, with a wrong secret and with none.
        for secret in [Some(wrong), None] {
            for action in ["supplements", "withdraw", "rating"] {
                for code in [d.code.as_str(), unknown] {
                    let mut h = vec![
                        ("accept-language", lang),
                        ("content-type", "application/json"),
                    ];
                    if let Some(x) = secret {
                        h.push((SECRET_HEADER, x));
                    }
                    let r = s
                        .send(
                            Method::POST,
                            &format!("/api/v1/dossiers/{code}/{action}"),
                            &h,
                            r#"{"stars": 5, "files": []}"#,
                        )
                        .await;
                    replies.push((format!("{action} {code} {secret:?}"), r));
                }
            }
            let mut h = vec![("accept-language", lang)];
            if let Some(x) = secret {
                h.push((SECRET_HEADER, x));
            }
            let r = s
                .send(
                    Method::GET,
                    &format!("/api/v1/dossiers/{}/result", d.code),
                    &h,
                    Body::empty(),
                )
                .await;
            replies.push((format!("result {secret:?}"), r));
        }
    }
    let (first_name, first) = &replies[0];
    assert_eq!(first.status, StatusCode::NOT_FOUND, "{}", first.text());
    assert_eq!(first.error().code, ErrorCode::DossierNotFound);
    for (name, r) in &replies {
        assert_eq!(r.status, first.status, "{name} vs {first_name}");
        assert_eq!(r.body, first.body, "{name}: {}", r.text());
        assert_eq!(r.headers, first.headers, "{name}");
    }
    // Nothing changed.
    assert_eq!(
        s.count("SELECT COUNT(*) FROM dossier_events").await,
        1,
        "no move was made"
    );
}

#[tokio::test]
async fn wrong_secrets_are_limited_per_code_and_per_client() {
    let s = server().await;
    let a = copy_dossier(&s, "limit-key-0001", "Lê Thị Bình").await;
    let b = copy_dossier(&s, "limit-key-0002", "Trần Văn Cường").await;
    let ip1 = "198.51.100.1";
    for i in 0..5 {
        let r = look_from(&s, ip1, &a.code, Some("WRONGWRX")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {i}");
    }
    let r = look_from(&s, ip1, &a.code, Some("WRONGWRX")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "900");
    let e = r.error();
    assert_eq!(e.code, ErrorCode::TooManyAttempts);
    assert!(e.message.contains("15 phút"), "{}", e.message);
    // Even the right secret, from another client: the limit is per code.
    s.set_time(friday() + Duration::from_secs(60));
    let r = look_from(&s, "198.51.100.2", &a.code, Some(&a.secret)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "840");
    // The actions too, and nothing happens.
    let r = act_from(
        &s,
        "198.51.100.2",
        &a.code,
        "withdraw",
        Some(&a.secret),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.error().message.contains("Try again in 14 minutes"),
        "{}",
        r.text()
    );
    // Another code, from the same client, is not affected.
    let r = look_from(&s, ip1, &b.code, Some(&b.secret)).await;
    assert_eq!(r.status, StatusCode::OK);
    // The code alone is public and not limited.
    let r = look_from(&s, ip1, &a.code, None).await;
    assert_eq!(r.status, StatusCode::OK);
    // 15 minutes after the first wrong secret, the right one works.
    s.set_time(friday() + Duration::from_secs(15 * 60));
    let r = look_from(&s, "198.51.100.2", &a.code, Some(&a.secret)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    assert_eq!(v.status, Status::New, "the refused withdrawal did nothing");

    // 20 wrong secrets from one client, over many codes (unknown ones
    // count the same), block that client only.
    let ip3 = "203.0.113.3";
    for i in 0..20 {
        let code = format!("QT.XA-250307-{:04}", 100 + i);
        let r = look_from(&s, ip3, &code, Some("WRONGWRX")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{code}");
    }
    let r = look_from(&s, ip3, &b.code, Some(&b.secret)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = look_from(&s, "203.0.113.4", &b.code, Some(&b.secret)).await;
    assert_eq!(r.status, StatusCode::OK);
    // An unknown code gets a 429 after 5 wrong secrets, like a real one.
    for _ in 0..5 {
        look_from(&s, "203.0.113.5", "QT.XA-250307-0777", Some("WRONGWRX")).await;
    }
    let r = look_from(&s, "203.0.113.6", "QT.XA-250307-0777", Some("WRONGWRX")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn many_unknown_codes_from_one_client_are_refused() {
    let s = server_with(friday(), |st| st.limits.misses_per_ip = 3).await;
    let d = copy_dossier(&s, "misses-key-01", "Lê Thị Bình").await;
    let ip = "198.51.100.9";
    for i in 0..3 {
        let r = look_from(&s, ip, &format!("QT.XA-250307-{:04}", 500 + i), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // Known codes do not count.
    assert_eq!(
        look_from(&s, "198.51.100.10", &d.code, None).await.status,
        StatusCode::OK
    );
    let r = look_from(&s, ip, &d.code, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // The holder of the secret is not affected by misses.
    assert_eq!(
        look_from(&s, ip, &d.code, Some(&d.secret)).await.status,
        StatusCode::OK
    );
    // The batch counts its unknown codes too.
    let other = "198.51.100.11";
    let q = json!({"items": [{"code": d.code}, {"code": "QT.XA-250307-0600"}, {"code": "x"}, {"code": "QT.XA-250307-0601"}]});
    let batch = |ip: &'static str| {
        let q = q.clone();
        let s = &s;
        async move {
            s.send_from(
                ip,
                Method::POST,
                "/api/v1/dossiers/statuses",
                &[("content-type", "application/json")],
                serde_json::to_vec(&q).unwrap(),
            )
            .await
        }
    };
    assert_eq!(batch(other).await.status, StatusCode::OK);
    assert_eq!(batch(other).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Every officer route, with the dossier's code filled in.
fn officer_routes(code: &str) -> Vec<(Method, String)> {
    vec![
        (Method::GET, "/api/v1/officer/dossiers".into()),
        (Method::GET, "/api/v1/officer/dossiers?status=1".into()),
        (Method::GET, format!("/api/v1/officer/dossiers/{code}")),
        (
            Method::POST,
            format!("/api/v1/officer/dossiers/{code}/transitions"),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/dossiers/{code}/payment"),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/dossiers/{code}/result"),
        ),
        (Method::GET, "/api/v1/officer/nothing-here".into()),
        (Method::DELETE, "/api/v1/officer/dossiers".into()),
    ]
}

fn assert_401(r: &Reply, what: &str) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}: {}", r.text());
    assert!(
        r.headers
            .get(header::WWW_AUTHENTICATE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("Bearer"),
        "{what}"
    );
    assert_eq!(r.error().code, ErrorCode::Unauthorized, "{what}");
}

#[tokio::test]
async fn every_officer_route_needs_the_token() {
    let s = server().await;
    let d = copy_dossier(&s, "auth-key-0001", "Lê Thị Bình").await;
    let body = serde_json::to_vec(&json!({"to": 2, "amount": 1000, "upload": "x"})).unwrap();
    let wrong = [
        None,
        Some("Bearer wrong-token".to_string()),
        Some(format!("Bearer {OFFICER_TOKEN}x")),
        Some(format!(
            "Bearer {}",
            &OFFICER_TOKEN[..OFFICER_TOKEN.len() - 1]
        )),
        Some(OFFICER_TOKEN.to_string()),
        Some(format!("Basic {OFFICER_TOKEN}")),
        Some("Bearer ".to_string()),
    ];
    for (method, path) in officer_routes(&d.code) {
        for auth in &wrong {
            let mut h = vec![("content-type", "application/json")];
            if let Some(a) = auth {
                h.push(("authorization", a.as_str()));
            }
            let r = s.send(method.clone(), &path, &h, body.clone()).await;
            assert_401(&r, &format!("{method} {path} {auth:?}"));
        }
        // With the token the route answers something else.
        let auth = format!("bearer {OFFICER_TOKEN}");
        let r = s
            .send(
                method.clone(),
                &path,
                &[
                    ("content-type", "application/json"),
                    ("authorization", auth.as_str()),
                ],
                body.clone(),
            )
            .await;
        assert_ne!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }

    // Without a configured token (or an empty one), nothing gets in.
    for token in [None, Some(String::new()), Some("   ".to_string())] {
        let s = server_with(friday(), |st| st.officer_token = token.clone()).await;
        let d = copy_dossier(&s, "auth-key-0002", "Lê Thị Bình").await;
        for (method, path) in officer_routes(&d.code) {
            for auth in [
                "Bearer ",
                "Bearer",
                "Bearer  ",
                &format!("Bearer {OFFICER_TOKEN}"),
            ] {
                let r = s
                    .send(
                        method.clone(),
                        &path,
                        &[
                            ("authorization", auth),
                            ("content-type", "application/json"),
                        ],
                        body.clone(),
                    )
                    .await;
                assert_401(&r, &format!("{token:?} {method} {path} {auth}"));
            }
        }
        assert_eq!(s.count("SELECT COUNT(*) FROM dossier_events").await, 1);
    }
    // Only the one dossier's submission: no refused request moved it.
    assert_eq!(s.count("SELECT COUNT(*) FROM dossier_events").await, 1);
}

#[tokio::test]
async fn officer_moves_follow_the_state_machine() {
    let s = server().await;
    let d = copy_dossier(&s, "moves-key-0001", "Lê Thị Bình").await;
    let refused = |r: &Reply, field: &str| {
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let e = r.error();
        assert_eq!(e.code, ErrorCode::InvalidTransition);
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
        e.message
    };
    // Not allowed: 1 → 9.
    let m = refused(
        &mv(&s, &d.code, json!({"to": 9})).await,
        "transition_not_allowed",
    );
    assert!(m.contains("Mới đăng ký"), "Vietnamese by default: {m}");
    // In English with Accept-Language.
    let r = s
        .send(
            Method::POST,
            &format!("/api/v1/officer/dossiers/{}/transitions", d.code),
            &[
                ("authorization", &format!("Bearer {OFFICER_TOKEN}")),
                ("content-type", "application/json"),
                ("accept-language", "en-US,en;q=0.9"),
            ],
            r#"{"to": 3}"#,
        )
        .await;
    let m = refused(&r, "reason_required");
    assert_eq!(m, "Give a reason to move a dossier to “Not accepted”.");
    // Reasons required into 3, 5, 6, 8 (blank is none): 3 from 1, the
    // others from 2 (1 → 5, 6, 8 are not moves at all).
    let blank =
        |to: u8| json!({"to": to, "reason": "   ", "amount": 1000, "documents": [{"name": "x"}]});
    refused(&mv(&s, &d.code, blank(3)).await, "reason_required");
    for to in [5, 6, 8] {
        refused(&mv(&s, &d.code, blank(to)).await, "transition_not_allowed");
    }
    let other = copy_dossier(&s, "moves-key-0003", "Võ Minh Đức").await;
    walk(&s, &other.code, &[2]).await;
    for to in [5, 6, 8] {
        refused(&mv(&s, &other.code, blank(to)).await, "reason_required");
        refused(
            &mv(
                &s,
                &other.code,
                json!({"to": to, "amount": 1000, "documents": [{"name": "x"}]}),
            )
            .await,
            "reason_required",
        );
    }
    // A citizen's move is not the officer's.
    refused(&mv(&s, &d.code, json!({"to": 7})).await, "wrong_actor");
    // Reason limits.
    let long = "x".repeat(1001);
    refused(
        &mv(&s, &d.code, json!({"to": 3, "reason": long})).await,
        "reason_too_long",
    );
    refused(
        &mv(&s, &d.code, json!({"to": 3, "reason": "a\u{202E}b"})).await,
        "reason_invalid",
    );
    // Unknown statuses are malformed JSON.
    for to in [0, 11] {
        let r = mv(&s, &d.code, json!({ "to": to })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{to}");
    }
    // Unknown dossier.
    let r = mv(&s, "QT.XA-250307-0999", json!({"to": 2})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::DossierNotFound);

    // Legal: 1 → 2 → 4 → 5 (documents needed) → 4 → 6 (amount needed) → 4 → 9 → 10.
    let v = ok_mv(&s, &d.code, json!({"to": 2})).await;
    assert_eq!(v.status, Status::Accepted);
    assert!(v.private.is_some(), "officers see everything");
    refused(
        &mv(&s, &d.code, json!({"to": 9})).await,
        "transition_not_allowed",
    );
    walk(&s, &d.code, &[4]).await;
    let r = mv(&s, &d.code, json!({"to": 5, "reason": "Thiếu giấy tờ"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidParameter, Some("documents"))
    );
    let r = mv(
        &s,
        &d.code,
        json!({"to": 5, "reason": "Thiếu", "documents": [{"name": "  "}]}),
    )
    .await;
    assert_eq!(r.error().field.as_deref(), Some("documents.0.name"));
    let r = mv(
        &s,
        &d.code,
        json!({"to": 5, "reason": "Thiếu", "documents": [{"name": "a"}], "amount": 5}),
    )
    .await;
    assert_eq!(r.error().field.as_deref(), Some("amount"));
    let v = ok_mv(
        &s,
        &d.code,
        json!({"to": 5, "reason": "Thiếu giấy tờ", "documents": [{"name": " Bản sao CCCD "}, {"name": "Giấy ủy quyền", "why": "Người nộp không phải chủ hồ sơ"}]}),
    )
    .await;
    let docs = &v.private.as_ref().unwrap().missing_documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].name, "Bản sao CCCD");
    assert_eq!(
        docs[0].accept,
        [FileType::Pdf, FileType::Jpeg, FileType::Png]
    );
    assert_eq!(docs[0].max_bytes, 5 * 1024 * 1024);
    assert_eq!(docs[0].max_files, 3);
    assert_eq!(
        docs[1].why.as_deref(),
        Some("Người nộp không phải chủ hồ sơ")
    );
    // The officer records the supplement (5 → 4 is allowed to both).
    walk(&s, &d.code, &[4]).await;
    for (amount, ok) in [
        (json!(null), false),
        (json!(0), false),
        (json!(-5), false),
        (json!(30000), true),
    ] {
        let r = mv(
            &s,
            &d.code,
            json!({"to": 6, "reason": "Phí", "amount": amount}),
        )
        .await;
        if ok {
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        } else {
            assert!(
                r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
                "{amount}: {}",
                r.text()
            );
        }
    }
    // 6 → 4 without confirming a payment is a plain move (e.g. waived).
    let v = walk(&s, &d.code, &[4, 9, 10]).await;
    assert_eq!(v.status, Status::Returned);
    assert!(v.private.as_ref().unwrap().payments.is_empty());
    // Final: nothing leaves 10.
    let m = refused(&mv(&s, &d.code, json!({"to": 4})).await, "status_final");
    assert!(m.contains("Đã trả kết quả"), "{m}");
    let evs = assert_history_replays(&s, &d.code).await;
    assert_eq!(
        evs.iter().map(|e| e.status.code()).collect::<Vec<_>>(),
        [1, 2, 4, 5, 4, 6, 4, 9, 10]
    );
    assert_eq!(evs[3].reason.as_deref(), Some("Thiếu giấy tờ"));
    assert_eq!(evs[5].amount, Some(30000));
    let (actor,): (String,) =
        sqlx::query_as("SELECT actor FROM dossier_events WHERE dossier_code = $1 AND seq = 2")
            .bind(&d.code)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(actor, "officer:api");

    // Refused and stopped keep their reasons.
    let r = copy_dossier(&s, "moves-key-0002", "Trần Văn Cường").await;
    let v = ok_mv(
        &s,
        &r.code,
        json!({"to": 3, "reason": "  Sai thẩm quyền  "}),
    )
    .await;
    assert_eq!(
        v.timeline[1].details.as_ref().unwrap().reason.as_deref(),
        Some("Sai thẩm quyền")
    );
    assert_eq!(v.timeliness, Timeliness::NotApplicable);
    refused(&mv(&s, &r.code, json!({"to": 2})).await, "status_final");
}

#[tokio::test]
async fn a_supplement_goes_from_5_back_to_4() {
    let s = server().await;
    let d = birth_dossier(&s, "supplement-001").await;
    // Not asked: 409.
    let r = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": []}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    walk(&s, &d.code, &[2, 4]).await;
    ok_mv(
        &s,
        &d.code,
        json!({"to": 5, "reason": "Thiếu hai giấy tờ", "documents": [{"name": "Bản sao CCCD"}, {"name": "Giấy xác nhận cư trú"}]}),
    )
    .await;
    let v = private_view(&s, &d).await;
    assert_eq!(v.private.as_ref().unwrap().missing_documents.len(), 2);

    // One list per document.
    let a = s.upload_id("cccd.pdf", PDF).await;
    let b = s.upload_id("cu tru.png", PNG).await;
    let r = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": [[a]]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidParameter, Some("files"))
    );
    // Field problems, keyed files.{i}.
    let big = s
        .upload_id("big.png", &common::png_of(5 * 1024 * 1024 + 1))
        .await;
    let used = d.upload.clone().unwrap();
    let missing = "0123456789abcdef0123456789abcdef";
    let cases = [
        (json!([[a], []]), "files.1", "required_file"),
        (
            json!([[a, b, big, missing], [b]]),
            "files.0",
            "too_many_files",
        ),
        (json!([[big], [b]]), "files.0", "file_too_large"),
        (json!([[a], [missing]]), "files.1", "upload_missing"),
        (json!([[used], [b]]), "files.0", "upload_in_use"),
        (json!([[a], [a]]), "files.1", "upload_in_use"),
        (json!([["../x"], [b]]), "files.0", "file_id_invalid"),
    ];
    for (files, field, code) in cases {
        let r = act(
            &s,
            &d.code,
            "supplements",
            Some(&d.secret),
            json!({ "files": files }),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{files}");
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.fields.len(), 1, "{files}: {:?}", e.fields);
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
            (field, code)
        );
        assert!(!e.fields[0].message.is_empty());
    }
    let r = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": [[a], [b]], "note": "x".repeat(1001)}),
    )
    .await;
    assert_eq!(r.error().fields[0].field, "note");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM uploads WHERE field = 'supplement'")
            .await,
        0
    );

    // Sent: back to 4, the files attached, the timeline says so.
    s.set_time(vn_time(2025, 3, 10, 9, 0));
    let body = json!({"files": [[a], [b]], "note": "Đã bổ sung"});
    let r = act(&s, &d.code, "supplements", Some(&d.secret), body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    assert_eq!(v.status, Status::Processing);
    let last = v.timeline.last().unwrap();
    assert_eq!(last.at, "2025-03-10T09:00:00+07:00");
    let det = last.details.as_ref().unwrap();
    assert_eq!(
        (det.actor, det.reason.as_deref()),
        (Actor::Citizen, Some("Đã bổ sung"))
    );
    let p = v.private.as_ref().unwrap();
    assert!(p.missing_documents.is_empty());
    let sup: Vec<_> = p.files.iter().filter(|f| f.field == "supplement").collect();
    assert_eq!(sup.len(), 2);
    assert_eq!(sup[1].name, "cu tru.png");

    // A retry of the same request (lost answer): 200 again, nothing new.
    let again = act(&s, &d.code, "supplements", Some(&d.secret), body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json::<DossierView>(), v);
    // Another request is refused.
    let c = s.upload_id("c.pdf", PDF).await;
    let r = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": [[c], [b]]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    assert_history_replays(&s, &d.code).await;
    assert_eq!(
        s.count("SELECT COUNT(*) FROM dossier_events WHERE actor = 'citizen' AND status = 4")
            .await,
        1
    );
}

#[tokio::test]
async fn the_first_supplement_wait_moves_the_deadline() {
    let s = server().await;
    let d = copy_dossier(&s, "deadline-key-1", "Lê Thị Bình").await;
    let v = private_view(&s, &d).await;
    let promised = Date::parse(&v.promised_date).unwrap();
    assert_eq!(v.deadline, v.promised_date);
    assert_eq!(v.timeliness.on_time(), Some(true));
    // Asked Monday 10 March, sent Wednesday 12: two working days lost.
    s.set_time(vn_time(2025, 3, 10, 9, 0));
    walk(&s, &d.code, &[2, 4, 5]).await;
    s.set_time(vn_time(2025, 3, 12, 9, 0));
    let up = s.upload_id("a.pdf", PDF).await;
    let r = act(
        &s,
        &d.code,
        "supplements",
        Some(&d.secret),
        json!({"files": [[up]]}),
    )
    .await;
    let v: DossierView = r.json();
    assert_eq!(
        v.deadline,
        cuaso_domain::date::add_working_days(promised, 2).to_string()
    );
    // A second request makes it late.
    let v = walk(&s, &d.code, &[5]).await;
    assert_eq!(v.timeliness, Timeliness::Late { days_late: 0 });
    // The public view says the same.
    let p: DossierView = look(&s, &d.code, None).await.json();
    assert_eq!(p.timeliness, v.timeliness);
    assert_eq!(p.deadline, v.deadline);
}

#[tokio::test]
async fn a_payment_request_and_its_confirmation_show_in_the_timeline() {
    let s = server().await;
    let d = copy_dossier(&s, "payment-key-01", "Lê Thị Bình").await;
    walk(&s, &d.code, &[2, 4]).await;
    let pay = |amount: Value| {
        let s = &s;
        let code = d.code.clone();
        async move {
            s.officer(
                Method::POST,
                &format!("/dossiers/{code}/payment"),
                Some(&json!({ "amount": amount })),
            )
            .await
        }
    };
    // Nothing asked yet.
    let r = pay(json!(50000)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    ok_mv(
        &s,
        &d.code,
        json!({"to": 6, "reason": "Lệ phí cấp bản sao", "amount": 50000}),
    )
    .await;
    let v = private_view(&s, &d).await;
    let due = v.private.as_ref().unwrap().payment_due.clone().unwrap();
    assert_eq!(due.amount, 50000);
    assert_eq!(due.purpose, d.code);
    assert_eq!(due.account.bank_bin, "970415");
    assert_eq!(due.account.account, "0000000000");
    assert_eq!(
        v.timeline.last().unwrap().details.as_ref().unwrap().amount,
        Some(50000)
    );
    // An amount of 0 is refused.
    let r = pay(json!(0)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().field.as_deref(), Some("amount"));

    s.set_time(vn_time(2025, 3, 10, 14, 30));
    let r = pay(json!(50000)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    assert_eq!(v.status, Status::Processing);
    let last = v.timeline.last().unwrap();
    let det = last.details.as_ref().unwrap();
    assert!(det.payment_confirmed);
    assert_eq!(det.amount, Some(50000));
    assert_eq!(det.actor, Actor::Officer);
    let p = private_view(&s, &d).await.private.unwrap();
    assert!(p.payment_due.is_none());
    assert_eq!(p.payments.len(), 1);
    assert_eq!(p.payments[0].amount, 50000);
    assert_eq!(p.payments[0].at, "2025-03-10T14:30:00+07:00");
    // Confirming again: no payment is asked for.
    assert_eq!(pay(json!(50000)).await.status, StatusCode::CONFLICT);
    let (confirmed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM dossier_events WHERE dossier_code = $1 AND payment_confirmed = 1",
    )
    .bind(&d.code)
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert_eq!(confirmed, 1);
    assert_history_replays(&s, &d.code).await;
}

#[tokio::test]
async fn withdrawal_is_allowed_before_the_dossier_is_done() {
    let s = server().await;
    let d = copy_dossier(&s, "withdraw-key-1", "Lê Thị Bình").await;
    walk(&s, &d.code, &[2]).await;
    let r = act(
        &s,
        &d.code,
        "withdraw",
        Some(&d.secret),
        json!({"reason": "Nộp nhầm thủ tục"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    assert_eq!(v.status, Status::Withdrawn);
    let p = v.private.as_ref().unwrap();
    assert!(!p.can_withdraw);
    let det = v.timeline.last().unwrap().details.as_ref().unwrap();
    assert_eq!(
        (det.actor, det.reason.as_deref()),
        (Actor::Citizen, Some("Nộp nhầm thủ tục"))
    );
    // Again: the same view, no new event.
    let again = act(&s, &d.code, "withdraw", Some(&d.secret), json!({})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<DossierView>(), v);
    // The body may be empty JSON.
    let e = copy_dossier(&s, "withdraw-key-2", "Trần Văn Cường").await;
    walk(&s, &e.code, &[2, 4, 9]).await;
    let r = act(&s, &e.code, "withdraw", Some(&e.secret), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let err = r.error();
    assert_eq!(err.code, ErrorCode::InvalidTransition);
    assert_eq!(err.field.as_deref(), Some("transition_not_allowed"));
    assert!(
        err.message.starts_with("A dossier cannot move"),
        "{}",
        err.message
    );
    walk(&s, &e.code, &[10]).await;
    let r = act(&s, &e.code, "withdraw", Some(&e.secret), json!({})).await;
    assert_eq!(r.error().field.as_deref(), Some("status_final"));
    let r = act(
        &s,
        &e.code,
        "withdraw",
        Some(&e.secret),
        json!({"reason": "a\u{0}b"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().fields[0].field, "reason");
    assert_history_replays(&s, &d.code).await;
    assert_history_replays(&s, &e.code).await;
}

#[tokio::test]
async fn a_dossier_is_rated_once_after_its_result_is_returned() {
    let s = server().await;
    let d = copy_dossier(&s, "rating-key-001", "Lê Thị Bình").await;
    let rate = |body: Value| act(&s, &d.code, "rating", Some(&d.secret), body);
    let r = rate(json!({"stars": 5})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    walk(&s, &d.code, &[2, 4, 9]).await;
    assert_eq!(rate(json!({"stars": 5})).await.status, StatusCode::CONFLICT);
    let v = walk(&s, &d.code, &[10]).await;
    assert!(v.private.unwrap().can_rate);
    for (body, field) in [
        (json!({"stars": 0}), "stars"),
        (json!({"stars": 6}), "stars"),
        (json!({"stars": 3, "comment": "x".repeat(1001)}), "comment"),
        (json!({"stars": 3, "comment": "a\u{202E}b"}), "comment"),
    ] {
        let r = rate(body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.fields[0].field, field);
    }
    let r = rate(json!({"stars": 4, "comment": " Nhanh, chu đáo \n"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    let p = v.private.as_ref().unwrap();
    let rating = p.rating.as_ref().unwrap();
    assert_eq!(
        (rating.stars, rating.comment.as_deref()),
        (4, Some("Nhanh, chu đáo"))
    );
    assert!(!p.can_rate);
    // The same again: 200. Another: already rated.
    let again = rate(json!({"stars": 4, "comment": "Nhanh, chu đáo"})).await;
    assert_eq!(again.status, StatusCode::OK);
    let r = rate(json!({"stars": 5})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::AlreadyRated);
    assert_eq!(s.count("SELECT COUNT(*) FROM ratings").await, 1);
}

#[tokio::test]
async fn the_result_is_downloadable_at_9_and_10_only() {
    let s = server().await;
    let d = copy_dossier(&s, "result-key-001", "Lê Thị Bình").await;
    let attach = |bytes: &'static [u8], name: &'static str| {
        let s = &s;
        let code = d.code.clone();
        async move {
            let (ct, body) = multipart(&[("file", Some(name), "application/octet-stream", bytes)]);
            s.send(
                Method::POST,
                &format!("/api/v1/officer/dossiers/{code}/result"),
                &[
                    ("authorization", &format!("Bearer {OFFICER_TOKEN}")),
                    ("content-type", &ct),
                ],
                body,
            )
            .await
        }
    };
    let download = |secret: &str| {
        let s = &s;
        let code = d.code.clone();
        let secret = secret.to_string();
        async move {
            s.send(
                Method::GET,
                &format!("/api/v1/dossiers/{code}/result"),
                &[(SECRET_HEADER, &secret)],
                Body::empty(),
            )
            .await
        }
    };
    // Not at 1 or 2.
    let uploads_before = s.count("SELECT COUNT(*) FROM uploads").await;
    let r = attach(PDF, "Trích lục khai sinh.pdf").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM uploads").await,
        uploads_before,
        "nothing stored when refused"
    );
    walk(&s, &d.code, &[2, 4]).await;
    // Not a PDF, JPEG or PNG.
    let r = attach(b"hello, not a pdf", "x.pdf").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = attach(PDF, "Trích lục khai sinh.pdf").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    let result = v.private.as_ref().unwrap().result.clone().unwrap();
    assert_eq!(result.field, "result");
    assert_eq!(v.status, Status::Processing, "attaching does not move it");
    // The citizen sees it only at 9/10.
    assert!(private_view(&s, &d).await.private.unwrap().result.is_none());
    let r = download(&d.secret).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    walk(&s, &d.code, &[9]).await;
    let p = private_view(&s, &d).await.private.unwrap();
    assert_eq!(p.result.as_ref().unwrap().id, result.id);
    assert!(p.files.iter().all(|f| f.field != "result"));
    let r = download(&d.secret).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, PDF);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert_eq!(
        r.headers.get(header::CONTENT_DISPOSITION).unwrap(),
        "attachment; filename=\"trich-luc-khai-sinh.pdf\"; \
         filename*=UTF-8''Tr%C3%ADch%20l%E1%BB%A5c%20khai%20sinh.pdf"
    );
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    // A wrong secret: the usual 404.
    assert_eq!(download("WRONGWRX").await.status, StatusCode::NOT_FOUND);

    // Replaced at 9 by an upload named in JSON.
    let png = s.upload_id("kết quả.png", PNG).await;
    let r = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/result", d.code),
            Some(&json!({ "upload": png })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = download(&d.secret).await;
    assert_eq!(r.body, PNG);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "image/png");
    // The same upload again is fine; one in use, or unknown, is not.
    let again = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/result", d.code),
            Some(&json!({ "upload": png })),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    for (upload, code) in [
        (result.id.as_str(), "upload_in_use"),
        ("0123456789abcdef0123456789abcdef", "upload_missing"),
        ("nope", "file_id_invalid"),
    ] {
        let r = s
            .officer(
                Method::POST,
                &format!("/dossiers/{}/result", d.code),
                Some(&json!({ "upload": upload })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = r.error();
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
            ("upload", code)
        );
    }
    // Still downloadable at 10; not attachable any more.
    walk(&s, &d.code, &[10]).await;
    assert_eq!(download(&d.secret).await.status, StatusCode::OK);
    assert_eq!(attach(PDF, "late.pdf").await.status, StatusCode::CONFLICT);

    // At 9 without a file: 404 not_found (the secret was right).
    let e = copy_dossier(&s, "result-key-002", "Trần Văn Cường").await;
    walk(&s, &e.code, &[2, 4, 9]).await;
    let r = s
        .send(
            Method::GET,
            &format!("/api/v1/dossiers/{}/result", e.code),
            &[(SECRET_HEADER, &e.secret)],
            Body::empty(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn statuses_of_many_dossiers_in_one_request() {
    let s = server().await;
    let a = birth_dossier(&s, "batch-key-0001").await;
    let b = copy_dossier(&s, "batch-key-0002", "Lê Thị Bình").await;
    s.set_time(vn_time(2025, 3, 10, 8, 15));
    walk(&s, &b.code, &[2, 4]).await;
    let q = json!({"items": [
        {"code": b.code},
        {"code": "QT.XA-250307-0999"},
        {"code": a.code.to_lowercase()},
        {"code": "garbage"},
    ]});
    let r = s
        .send(
            Method::POST,
            "/api/v1/dossiers/statuses",
            &[("content-type", "application/json")],
            serde_json::to_vec(&q).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    for personal in [NAME, CCCD, PHONE, "Lê Thị Bình", &a.secret] {
        assert!(!text.contains(personal), "{text}");
    }
    let ans: StatusAnswer = r.json();
    assert_eq!(ans.items.len(), 4);
    let first = ans.items[0].as_ref().unwrap();
    assert_eq!(first.code, b.code);
    assert_eq!(first.status, Status::Processing);
    assert_eq!(first.updated_at, "2025-03-10T08:15:00+07:00");
    assert!(ans.items[1].is_none());
    let third = ans.items[2].as_ref().unwrap();
    assert_eq!(
        (third.code.as_str(), third.status),
        (a.code.as_str(), Status::New)
    );
    assert_eq!(third.updated_at, "2025-03-07T10:00:00+07:00");
    assert!(ans.items[3].is_none());
    // At most 50.
    let many: Vec<Value> = (0..51).map(|_| json!({"code": b.code})).collect();
    let r = s
        .send(
            Method::POST,
            "/api/v1/dossiers/statuses",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({ "items": many })).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().field.as_deref(), Some("items"));
    let r = s
        .send(
            Method::POST,
            "/api/v1/dossiers/statuses",
            &[("content-type", "application/json")],
            r#"{"items": []}"#,
        )
        .await;
    assert_eq!(r.json::<StatusAnswer>().items.len(), 0);
}

#[tokio::test]
async fn officers_list_dossiers_newest_first() {
    let s = server().await;
    let a = copy_dossier(&s, "list-key-0001", "Lê Thị Bình").await;
    s.set_time(friday() + Duration::from_secs(60));
    let b = birth_dossier(&s, "list-key-0002").await;
    walk(&s, &a.code, &[2]).await;
    let r = s.officer(Method::GET, "/dossiers", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let all: Vec<DossierView> = r.json();
    assert_eq!(
        all.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
        [b.code.as_str(), a.code.as_str()]
    );
    assert_eq!(all[0].private.as_ref().unwrap().applicant_name, NAME);
    let two: Vec<DossierView> = s
        .officer(Method::GET, "/dossiers?status=2", None)
        .await
        .json();
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].code, a.code);
    for bad in ["0", "11", "x", ""] {
        let r = s
            .officer(Method::GET, &format!("/dossiers?status={bad}"), None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error().field.as_deref(), Some("status"));
    }
    let one: DossierView = s
        .officer(
            Method::GET,
            &format!("/dossiers/{}", b.code.to_lowercase()),
            None,
        )
        .await
        .json();
    assert_eq!(one.code, b.code);
    let r = s
        .officer(Method::GET, "/dossiers/QT.XA-250307-0999", None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn receipts_are_cleared_after_24_hours() {
    let s = server().await;
    let body = json!({"procedure": "2.000635", "answers": {"full_name": "Lê Thị Bình", "phone": "0987654321"}});
    let first = s.submit(Some("retention-key-1"), "vi", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    // 23 hours later a retry still gets the receipt.
    s.set_time(friday() + Duration::from_secs(23 * 3600));
    assert_eq!(
        cuaso_server::dossiers::purge_receipts(&s.pool, &clock(&s))
            .await
            .unwrap(),
        0
    );
    let again = s.submit(Some("retention-key-1"), "vi", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body);
    // After 24 hours the secret is gone from the table.
    s.set_time(friday() + Duration::from_secs(24 * 3600 + 1));
    let late = s.submit(Some("retention-key-1"), "vi", &body).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.error().code, ErrorCode::IdempotencyMismatch);
    assert_eq!(
        cuaso_server::dossiers::purge_receipts(&s.pool, &clock(&s))
            .await
            .unwrap(),
        1
    );
    let (receipt, cleared): (String, Option<String>) =
        sqlx::query_as("SELECT receipt, receipt_cleared_at FROM idempotency")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(receipt, "null");
    assert_eq!(cleared.as_deref(), Some("2025-03-08T03:00:01Z"));
    let secret: DossierReceipt = first.json();
    assert!(!receipt.contains(&secret.secret));
    // Still one dossier, and a restart clears too (nothing left to clear).
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 1);
    let s = s.restart().await;
    assert_eq!(
        s.submit(Some("retention-key-1"), "vi", &body).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

fn clock(s: &TestServer) -> cuaso_server::infra::clock::Clock {
    let now = s.now.clone();
    cuaso_server::infra::clock::Clock::from_fn(move || {
        std::time::UNIX_EPOCH
            + Duration::from_secs(now.load(std::sync::atomic::Ordering::SeqCst) as u64)
    })
}

#[tokio::test]
async fn openapi_describes_tracking_and_the_officer_api() {
    let s = server().await;
    let doc: Value = s.get("/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/statuses",
        "/api/v1/dossiers/{code}/supplements",
        "/api/v1/dossiers/{code}/withdraw",
        "/api/v1/dossiers/{code}/rating",
        "/api/v1/dossiers/{code}/result",
        "/api/v1/officer/dossiers",
        "/api/v1/officer/dossiers/{code}",
        "/api/v1/officer/dossiers/{code}/transitions",
        "/api/v1/officer/dossiers/{code}/payment",
        "/api/v1/officer/dossiers/{code}/result",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    for schema in [
        "DossierView",
        "DossierPrivate",
        "TimelineEntry",
        "OfficerMove",
        "StatusAnswer",
        "PaymentConfirmation",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["officer_token"]["scheme"],
        "bearer"
    );
}
