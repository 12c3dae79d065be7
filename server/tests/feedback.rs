//! Citizens' feedback end to end in-process: submission (idempotent,
//! validated), the state machine through the officer API and the CLI,
//! what each reader sees (public list, code alone, secret), photos and
//! ratings; and the metadata stripping of every stored photo (uploads,
//! feedback photos, producers' photos).

mod common;

use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{multipart, server_at, server_with, Reply, TestServer, PDF, PNG};
use cuaso_domain::feedback::{
    FeedbackPage, FeedbackReceipt, FeedbackStatus, FeedbackView, SECRET_HEADER,
};
use cuaso_domain::form::Upload;
use cuaso_domain::ErrorCode;
use cuaso_server::infra::clock::vn_time;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// A real 24×16 JPEG carrying Exif (camera, time, GPS), XMP with the
/// position, an IPTC block, a comment and a trailer after EOI (see
/// `fixtures/make_gps_jpg.py`).
const GPS_JPG: &[u8] = include_bytes!("fixtures/gps.jpg");

/// 2026-11-24, 09:00 in Vietnam.
fn day() -> SystemTime {
    vn_time(2026, 11, 24, 9, 0)
}

async fn srv() -> TestServer {
    server_at(day()).await
}

fn report() -> Value {
    json!({
        "category": "roads",
        "title": "Đèn đường hỏng trên đường Lê Lợi",
        "description": "Ba cột đèn không sáng từ tuần trước, buổi tối rất tối.",
        "photos": [],
        "location": {"commune": "Phường Đông Hà", "address": "Số 12 Lê Lợi, gần cầu Đông Hà"},
        "contact": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "email": "an.nguyen@example.vn"}
    })
}

async fn post_report(s: &TestServer, key: &str, lang: &str, body: &Value) -> Reply {
    s.send(
        Method::POST,
        "/api/v1/feedback",
        &[
            ("content-type", "application/json"),
            ("accept-language", lang),
            ("idempotency-key", key),
        ],
        serde_json::to_vec(body).unwrap(),
    )
    .await
}

async fn submit(s: &TestServer, body: &Value) -> FeedbackReceipt {
    let key = format!("key-{}", cuaso_server::infra::random::hex_id());
    let r = post_report(s, &key, "vi", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

async fn get_with(s: &TestServer, uri: &str, secret: Option<&str>) -> Reply {
    let mut h = vec![];
    if let Some(x) = secret {
        h.push((SECRET_HEADER, x));
    }
    s.send(Method::GET, uri, &h, Body::empty()).await
}

async fn view(s: &TestServer, code: &str, secret: Option<&str>) -> FeedbackView {
    let r = get_with(s, &format!("/api/v1/feedback/{code}"), secret).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

async fn act(s: &TestServer, code: &str, action: &str, body: Value) -> Reply {
    s.officer(
        Method::POST,
        &format!("/feedback/{code}/{action}"),
        Some(&body),
    )
    .await
}

async fn ok(s: &TestServer, code: &str, action: &str, body: Value) -> FeedbackView {
    let r = act(s, code, action, body).await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.text());
    r.json()
}

async fn rate(s: &TestServer, code: &str, secret: &str, body: Value) -> Reply {
    s.send(
        Method::POST,
        &format!("/api/v1/feedback/{code}/rating"),
        &[
            (SECRET_HEADER, secret),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&body).unwrap(),
    )
    .await
}

fn statuses(v: &FeedbackView) -> Vec<FeedbackStatus> {
    v.timeline.iter().map(|e| e.status).collect()
}

#[tokio::test]
async fn a_report_is_followed_answered_and_rated() {
    let s = srv().await;
    let photo = s.upload_id("đèn.jpg", GPS_JPG).await;
    let mut body = report();
    body["photos"] = json!([photo]);
    let receipt = submit(&s, &body).await;
    assert!(receipt.code.starts_with("PA-261124-"), "{}", receipt.code);
    assert_eq!(
        cuaso_domain::feedback::normalize_code(&receipt.code).as_deref(),
        Some(receipt.code.as_str())
    );
    assert_eq!(receipt.received_at, "2026-11-24T09:00:00+07:00");
    let (code, secret) = (receipt.code.as_str(), receipt.secret.as_str());

    // The code alone: status and dates, no content, nothing private.
    let public = view(&s, code, None).await;
    assert_eq!(public.status, FeedbackStatus::Received);
    assert_eq!(public.commune, "Phường Đông Hà");
    assert_eq!(statuses(&public), [FeedbackStatus::Received]);
    assert!(public.content.is_none() && public.private.is_none());
    // The secret (any case, with spaces): everything.
    let full = view(
        &s,
        &code.to_lowercase(),
        Some(&format!(" {} ", secret.to_lowercase())),
    )
    .await;
    let content = full.content.as_ref().unwrap();
    assert_eq!(content.title, "Đèn đường hỏng trên đường Lê Lợi");
    assert_eq!(
        content.photos,
        [format!("/api/v1/feedback/{code}/photos/0")]
    );
    let private = full.private.as_ref().unwrap();
    assert_eq!(private.contact.name, "Nguyễn Văn An");
    assert_eq!(private.contact.phone, "0912345678");
    assert_eq!(private.location.address, "Số 12 Lê Lợi, gần cầu Đông Hà");
    assert!(!private.can_rate);

    // Rating before the answer.
    let r = rate(&s, code, secret, json!({"stars": 5})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);

    s.set_time(day() + Duration::from_secs(3600));
    let v = ok(&s, code, "assign", json!({"agency": "UBND phường Đông Hà"})).await;
    assert_eq!(v.status, FeedbackStatus::Assigned);
    s.set_time(day() + Duration::from_secs(2 * 86400));
    let v = ok(
        &s,
        code,
        "answer",
        json!({"text": "Đã thay bóng đèn cho ba cột đèn vào ngày 25/11.\nCảm ơn ông/bà đã phản ánh."}),
    )
    .await;
    assert_eq!(v.status, FeedbackStatus::Answered);
    let answer = v.content.as_ref().unwrap().answer.as_ref().unwrap();
    assert_eq!(answer.agency, "UBND phường Đông Hà");
    assert_eq!(answer.at, "2026-11-26T09:00:00+07:00");
    assert!(answer.text.contains("Cảm ơn"));

    // The timeline, public: statuses, dates and the agency.
    let public = view(&s, code, None).await;
    assert_eq!(
        statuses(&public),
        [
            FeedbackStatus::Received,
            FeedbackStatus::Assigned,
            FeedbackStatus::Answered
        ]
    );
    assert_eq!(
        public.timeline[1].agency.as_deref(),
        Some("UBND phường Đông Hà")
    );
    assert_eq!(public.timeline[1].at, "2026-11-24T10:00:00+07:00");
    assert!(public.content.is_none(), "not published");

    // Rating: checked, once.
    let full = view(&s, code, Some(secret)).await;
    assert!(full.private.as_ref().unwrap().can_rate);
    let r = rate(&s, code, secret, json!({"stars": 0})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert_eq!(
        (e.code, e.fields[0].field.as_str()),
        (ErrorCode::Validation, "stars")
    );
    let r = rate(
        &s,
        code,
        secret,
        json!({"stars": 4, "comment": "x".repeat(1001)}),
    )
    .await;
    assert_eq!(r.error().fields[0].field, "comment");
    let r = rate(&s, code, "WRONGSEC", json!({"stars": 4})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::FeedbackNotFound);
    let r = rate(
        &s,
        code,
        secret,
        json!({"stars": 4, "comment": " Nhanh, chu đáo "}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: FeedbackView = r.json();
    let p = v.private.unwrap();
    assert!(!p.can_rate);
    assert_eq!(
        p.rating.as_ref().unwrap().comment.as_deref(),
        Some("Nhanh, chu đáo")
    );
    // The same again is a retry; another rating is refused.
    let r = rate(
        &s,
        code,
        secret,
        json!({"stars": 4, "comment": "Nhanh, chu đáo"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = rate(&s, code, secret, json!({"stars": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::AlreadyRated);
    // The rating is the reporter's: not in the public view.
    let text = get_with(&s, &format!("/api/v1/feedback/{code}"), None)
        .await
        .text();
    assert!(!text.contains("Nhanh") && !text.contains("stars"), "{text}");
}

#[tokio::test]
async fn every_move_of_the_state_machine_through_the_api() {
    let s = srv().await;
    let transition = |r: &Reply, why: &str| {
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let e = r.error();
        assert_eq!(e.code, ErrorCode::InvalidTransition);
        assert_eq!(e.field.as_deref(), Some(why));
    };
    // received → answer: not assigned yet (message in the request's language).
    let a = submit(&s, &report()).await.code;
    transition(
        &act(&s, &a, "answer", json!({"text": "Đã xử lý"})).await,
        "not_assigned",
    );
    let r = s
        .send(
            Method::POST,
            &format!("/api/v1/officer/feedback/{a}/answer"),
            &[
                (
                    "authorization",
                    &format!("Bearer {}", common::OFFICER_TOKEN),
                ),
                ("content-type", "application/json"),
                ("accept-language", "en"),
            ],
            r#"{"text": "Done"}"#,
        )
        .await;
    assert_eq!(
        r.error().message,
        "Assign the report to an agency before answering"
    );
    // received → publish: only answered reports.
    let r = act(&s, &a, "publish", json!({"published": true})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    // received → assigned → assigned (re-assigned) → answered.
    ok(&s, &a, "assign", json!({"agency": "UBND phường Đông Hà"})).await;
    let v = ok(
        &s,
        &a,
        "assign",
        json!({"agency": "Công ty Điện lực Quảng Trị"}),
    )
    .await;
    assert_eq!(
        v.timeline
            .iter()
            .map(|e| e.agency.clone())
            .collect::<Vec<_>>(),
        [
            None,
            Some("UBND phường Đông Hà".into()),
            Some("Công ty Điện lực Quảng Trị".into())
        ]
    );
    let v = ok(&s, &a, "answer", json!({"text": "Đã thay bóng đèn."})).await;
    assert_eq!(
        v.content.unwrap().answer.unwrap().agency,
        "Công ty Điện lực Quảng Trị"
    );
    // answered is final.
    transition(
        &act(&s, &a, "assign", json!({"agency": "X"})).await,
        "final",
    );
    transition(&act(&s, &a, "answer", json!({"text": "X"})).await, "final");
    transition(
        &act(&s, &a, "reject", json!({"reason": "X"})).await,
        "final",
    );
    // answered → published → unpublished → published; the same again changes nothing.
    assert!(
        ok(&s, &a, "publish", json!({"published": true}))
            .await
            .published
    );
    assert!(
        !ok(&s, &a, "publish", json!({"published": false}))
            .await
            .published
    );
    assert!(
        ok(&s, &a, "publish", json!({"published": true}))
            .await
            .published
    );
    assert!(
        ok(&s, &a, "publish", json!({"published": true}))
            .await
            .published
    );
    let (events,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM feedback_events WHERE feedback_code = $1 AND action LIKE '%publish'",
    )
    .bind(&a)
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert_eq!(events, 3);
    assert_eq!(
        ok(&s, &a, "publish", json!({"published": true}))
            .await
            .timeline
            .len(),
        4
    );

    // received → rejected, final; the reason is the reporter's to read.
    let b = submit(&s, &report()).await;
    let v = ok(
        &s,
        &b.code,
        "reject",
        json!({"reason": "Trùng với phản ánh PA-261124-K7M2Q"}),
    )
    .await;
    assert_eq!(v.status, FeedbackStatus::Rejected);
    for (action, body) in [
        ("assign", json!({"agency": "X"})),
        ("answer", json!({"text": "X"})),
        ("reject", json!({"reason": "X"})),
    ] {
        transition(&act(&s, &b.code, action, body).await, "final");
    }
    let r = act(&s, &b.code, "publish", json!({"published": true})).await;
    assert_eq!(r.error().code, ErrorCode::WrongStatus);
    let mine = view(&s, &b.code, Some(&b.secret)).await;
    assert_eq!(
        mine.content.unwrap().rejection.as_deref(),
        Some("Trùng với phản ánh PA-261124-K7M2Q")
    );
    assert!(view(&s, &b.code, None).await.content.is_none());
    let r = rate(&s, &b.code, &b.secret, json!({"stars": 3})).await;
    assert_eq!(r.error().code, ErrorCode::WrongStatus);

    // assigned → rejected.
    let c = submit(&s, &report()).await.code;
    ok(&s, &c, "assign", json!({"agency": "UBND phường Đông Hà"})).await;
    let v = ok(
        &s,
        &c,
        "reject",
        json!({"reason": "Không thuộc thẩm quyền"}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        [
            FeedbackStatus::Received,
            FeedbackStatus::Assigned,
            FeedbackStatus::Rejected
        ]
    );

    // Texts are required and bounded; the report does not move.
    let d = submit(&s, &report()).await.code;
    for (action, body, field, problem) in [
        ("assign", json!({"agency": "  "}), "agency", "required"),
        (
            "assign",
            json!({"agency": "x".repeat(201)}),
            "agency",
            "too_long",
        ),
        (
            "answer",
            json!({"text": "x".repeat(8001)}),
            "text",
            "too_long",
        ),
        ("reject", json!({"reason": ""}), "reason", "required"),
        (
            "reject",
            json!({"reason": "a\u{202E}b"}),
            "reason",
            "invalid_chars",
        ),
    ] {
        let r = act(&s, &d, action, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
            (field, problem)
        );
    }
    assert_eq!(view(&s, &d, None).await.status, FeedbackStatus::Received);
    // Unknown or malformed codes.
    for code in ["PA-261124-ZZZZZ", "nope", "..%2F..%2Fetc"] {
        let r = act(&s, code, "assign", json!({"agency": "X"})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{code}");
        assert_eq!(r.error().code, ErrorCode::FeedbackNotFound);
    }

    // The officer list: everything, by status.
    let r = s.officer(Method::GET, "/feedback", None).await;
    let all: Vec<FeedbackView> = r.json();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|v| v.private.is_some()));
    let r = s
        .officer(Method::GET, "/feedback?status=rejected", None)
        .await;
    let rejected: Vec<FeedbackView> = r.json();
    assert_eq!(rejected.len(), 2);
    let r = s.officer(Method::GET, "/feedback?status=done", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().field.as_deref(), Some("status"));
}

#[tokio::test]
async fn officer_routes_need_the_token() {
    let s = srv().await;
    let code = submit(&s, &report()).await.code;
    for (method, path) in [
        (Method::GET, "/api/v1/officer/feedback".to_string()),
        (
            Method::GET,
            "/api/v1/officer/feedback?status=received".into(),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/feedback/{code}/assign"),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/feedback/{code}/answer"),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/feedback/{code}/reject"),
        ),
        (
            Method::POST,
            format!("/api/v1/officer/feedback/{code}/publish"),
        ),
    ] {
        for auth in [None, Some("Bearer wrong-token"), Some("Basic abc")] {
            let mut h = vec![("content-type", "application/json")];
            if let Some(a) = auth {
                h.push(("authorization", a));
            }
            let r = s
                .send(
                    method.clone(),
                    &path,
                    &h,
                    r#"{"agency":"X","text":"X","reason":"X","published":true}"#,
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} {auth:?}"
            );
            assert_eq!(r.error().code, ErrorCode::Unauthorized);
        }
    }
    assert_eq!(view(&s, &code, None).await.status, FeedbackStatus::Received);
    // No token configured: 401 too.
    let s = server_with(day(), |st| st.officer_token = None).await;
    let r = s.officer(Method::GET, "/feedback", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Strings of the report that identify the reporter or say exactly where.
const PERSONAL: [&str; 9] = [
    "Nguyễn Văn An",
    "0912",
    "345",
    "an.nguyen",
    "Số 12 Lê Lợi",
    "16.8",
    "107.0",
    "accuracy",
    "private",
];

#[tokio::test]
async fn the_public_sees_nothing_that_identifies_the_reporter() {
    let s = srv().await;
    let photo = s.upload_id("a.png", PNG).await;
    let mut body = report();
    body["photos"] = json!([photo]);
    body["location"]["position"] = json!({"lat": 16.8163, "lon": 107.0999, "accuracy_m": 12});
    let pub_r = submit(&s, &body).await;
    body["photos"] = json!([s.upload_id("b.png", PNG).await]);
    let hidden = submit(&s, &body).await;
    let other = submit(
        &s,
        &json!({
            "category": "environment",
            "title": "Rác thải ven sông",
            "description": "Rác đổ bừa bãi.",
            "location": {"position": {"lat": 16.75, "lon": 107.18}}
        }),
    )
    .await;
    for code in [&pub_r.code, &hidden.code, &other.code] {
        ok(&s, code, "assign", json!({"agency": "UBND phường Đông Hà"})).await;
        ok(&s, code, "answer", json!({"text": "Đã xử lý xong."})).await;
    }
    rate(
        &s,
        &pub_r.code,
        &pub_r.secret,
        json!({"stars": 5, "comment": "Rất hài lòng"}),
    )
    .await;
    ok(&s, &pub_r.code, "publish", json!({"published": true})).await;
    ok(&s, &other.code, "publish", json!({"published": true})).await;

    let list = s.get("/api/v1/feedback").await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.text();
    for p in PERSONAL
        .iter()
        .chain(&["Rất hài lòng", "can_rate", &pub_r.secret])
    {
        assert!(!text.contains(p), "{p} in the public list: {text}");
    }
    let page: FeedbackPage = list.json();
    assert_eq!((page.total, page.page, page.page_size), (2, 1, 20));
    let codes: Vec<&str> = page.items.iter().map(|v| v.code.as_str()).collect();
    assert!(codes.contains(&pub_r.code.as_str()) && codes.contains(&other.code.as_str()));
    assert!(
        !codes.contains(&hidden.code.as_str()),
        "unpublished stays off the list"
    );
    let item = page.items.iter().find(|v| v.code == pub_r.code).unwrap();
    let content = item.content.as_ref().unwrap();
    assert_eq!(content.title, "Đèn đường hỏng trên đường Lê Lợi");
    assert_eq!(content.answer.as_ref().unwrap().text, "Đã xử lý xong.");
    assert_eq!(content.photos.len(), 1);
    assert!(item.private.is_none());
    // By category, and paging.
    let p: FeedbackPage = s.get("/api/v1/feedback?category=environment").await.json();
    assert_eq!(
        p.items.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
        [other.code.as_str()]
    );
    let p: FeedbackPage = s.get("/api/v1/feedback?page=2").await.json();
    assert!(p.items.is_empty() && p.total == 2);
    for bad in ["page=0", "page=x", "page=1001", "category=weather"] {
        let r = s.get(&format!("/api/v1/feedback?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error().code, ErrorCode::InvalidParameter);
    }

    // By code alone: published content, never the private part.
    for code in [&pub_r.code, &hidden.code] {
        let r = get_with(&s, &format!("/api/v1/feedback/{code}"), None).await;
        let text = r.text();
        for p in PERSONAL.iter().chain(&["Rất hài lòng"]) {
            assert!(!text.contains(p), "{p} in {code}: {text}");
        }
    }
    assert!(view(&s, &hidden.code, None).await.content.is_none());
    assert!(
        !get_with(&s, &format!("/api/v1/feedback/{}", hidden.code), None)
            .await
            .text()
            .contains("Đèn đường")
    );

    // A wrong secret is an unknown code, byte for byte.
    let unknown = get_with(&s, "/api/v1/feedback/PA-261124-ZZZZZ", Some("ABCDEFGH")).await;
    let wrong = get_with(
        &s,
        &format!("/api/v1/feedback/{}", hidden.code),
        Some("ABCDEFGH"),
    )
    .await;
    let unknown_plain = get_with(&s, "/api/v1/feedback/PA-261124-ZZZZZ", None).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.error().code, ErrorCode::FeedbackNotFound);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, unknown_plain.body);

    // Photos: public once published; otherwise secret only, never cached.
    let url = |c: &str, n: u32| format!("/api/v1/feedback/{c}/photos/{n}");
    let r = get_with(&s, &url(&pub_r.code, 0), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/png");
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.body, PNG);
    let r = get_with(&s, &url(&hidden.code, 0), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, unknown_plain.body, "as if it did not exist");
    let r = get_with(&s, &url(&hidden.code, 0), Some("WRONGONE")).await;
    assert_eq!(r.body, unknown_plain.body);
    let r = get_with(&s, &url(&hidden.code, 0), Some(&hidden.secret)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["cache-control"], "private, no-store");
    assert_eq!(r.headers["content-type"], "image/png");
    for n in ["1", "99", "x", "-1", "99999999999"] {
        let r = get_with(
            &s,
            &format!("/api/v1/feedback/{}/photos/{n}", pub_r.code),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{n}");
        assert_eq!(r.error().code, ErrorCode::NotFound);
    }
    // Taken off the list: the photo and the content go private again.
    ok(&s, &pub_r.code, "publish", json!({"published": false})).await;
    assert_eq!(
        get_with(&s, &url(&pub_r.code, 0), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(view(&s, &pub_r.code, None).await.content.is_none());
}

#[tokio::test]
async fn wrong_secrets_are_limited_like_dossier_secrets() {
    let s = srv().await;
    let r = submit(&s, &report()).await;
    let uri = format!("/api/v1/feedback/{}", r.code);
    for _ in 0..5 {
        let w = s
            .send_from(
                "10.1.1.1",
                Method::GET,
                &uri,
                &[(SECRET_HEADER, "WRONG123")],
                Body::empty(),
            )
            .await;
        assert_eq!(w.status, StatusCode::NOT_FOUND);
    }
    // Now even the right secret waits, from anywhere.
    let w = s
        .send_from(
            "10.2.2.2",
            Method::GET,
            &uri,
            &[(SECRET_HEADER, &r.secret)],
            Body::empty(),
        )
        .await;
    assert_eq!(w.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(w.error().code, ErrorCode::TooManyAttempts);
    assert!(w.headers.contains_key("retry-after"));
    s.set_time(day() + Duration::from_secs(16 * 60));
    let w = s
        .send_from(
            "10.2.2.2",
            Method::GET,
            &uri,
            &[(SECRET_HEADER, &r.secret)],
            Body::empty(),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK);
}

#[tokio::test]
async fn submission_is_idempotent() {
    let s = srv().await;
    let first = post_report(&s, "retry-key-0001", "vi", &report()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = post_report(&s, "retry-key-0001", "vi", &report()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "the same receipt, secret included");
    assert_eq!(s.count("SELECT COUNT(*) FROM feedback").await, 1);
    let mut other = report();
    other["title"] = json!("Một tiêu đề khác");
    let r = post_report(&s, "retry-key-0001", "vi", &other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert_eq!(e.code, ErrorCode::IdempotencyMismatch);
    assert_eq!(e.field.as_deref(), Some("Idempotency-Key"));
    for key in [
        None,
        Some("short"),
        Some("has space in it"),
        Some(&*"k".repeat(65)),
    ] {
        let mut h = vec![("content-type", "application/json")];
        if let Some(k) = key {
            h.push(("idempotency-key", k));
        }
        let r = s
            .send(
                Method::POST,
                "/api/v1/feedback",
                &h,
                serde_json::to_vec(&report()).unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{key:?}");
        assert_eq!(r.error().code, ErrorCode::MissingIdempotencyKey);
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM feedback").await, 1);
    // A day later the receipt (with the secret) is gone; the key still
    // cannot make a second report.
    s.set_time(day() + Duration::from_secs(25 * 3600));
    let r = post_report(&s, "retry-key-0001", "vi", &report()).await;
    assert_eq!(r.error().code, ErrorCode::IdempotencyMismatch);
    let s = s.restart().await;
    let (receipt,): (String,) =
        sqlx::query_as("SELECT receipt FROM feedback_idempotency WHERE key = 'retry-key-0001'")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(receipt, "null");
    assert_eq!(s.count("SELECT COUNT(*) FROM feedback").await, 1);
}

#[tokio::test]
async fn problems_are_answered_at_their_fields_in_the_request_language() {
    let s = srv().await;
    let bad = json!({
        "category": "roads",
        "title": "",
        "description": "x".repeat(4001),
        "location": {"commune": "", "address": ""},
        "contact": {"phone": "12345", "email": "khong-phai-email"}
    });
    let fields = |r: &Reply| -> Vec<(String, String)> {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        e.fields.into_iter().map(|f| (f.field, f.code)).collect()
    };
    let r = post_report(&s, "key-invalid-1", "en", &bad).await;
    assert_eq!(
        fields(&r),
        [
            ("title".to_string(), "required".to_string()),
            ("description".into(), "too_long".into()),
            ("location.commune".into(), "required".into()),
            ("location.address".into(), "required".into()),
            ("contact.phone".into(), "phone_shape".into()),
            ("contact.email".into(), "email".into()),
        ]
    );
    let en = r.error().fields[0].message.clone();
    let vi = post_report(&s, "key-invalid-2", "vi", &bad)
        .await
        .error()
        .fields[0]
        .message
        .clone();
    assert_ne!(en, vi);
    assert!(!vi.is_ascii(), "Vietnamese: {vi}");
    // A position outside Việt Nam.
    let mut b = report();
    b["location"]["position"] = json!({"lat": 48.85, "lon": 2.35});
    let r = post_report(&s, "key-invalid-3", "vi", &b).await;
    assert_eq!(
        fields(&r),
        [("location.position".to_string(), "out_of_area".to_string())]
    );
    // Photos: missing, not a photo, already used, too many, twice the same.
    let photo_problem = |ids: Vec<String>, key: &'static str| {
        let s = &s;
        async move {
            let mut b = report();
            b["photos"] = json!(ids);
            let r = post_report(s, key, "vi", &b).await;
            let f = fields(&r);
            assert_eq!(f.len(), 1, "{f:?}");
            assert_eq!(f[0].0, "photos");
            f[0].1.clone()
        }
    };
    let pdf = s.upload_id("a.pdf", PDF).await;
    assert_eq!(
        photo_problem(vec!["0".repeat(32)], "key-photo-1").await,
        "upload_missing"
    );
    assert_eq!(photo_problem(vec![pdf], "key-photo-2").await, "file_type");
    let png = s.upload_id("a.png", PNG).await;
    assert_eq!(
        photo_problem(vec!["nope".into()], "key-photo-3").await,
        "file_id_invalid"
    );
    assert_eq!(
        photo_problem(vec![png.clone(); 4], "key-photo-4").await,
        "too_many_files"
    );
    assert_eq!(
        photo_problem(vec![png.clone(), png.clone()], "key-photo-5").await,
        "file_id_invalid"
    );
    let mut b = report();
    b["photos"] = json!([png.clone()]);
    submit(&s, &b).await;
    assert_eq!(
        photo_problem(vec![png.clone()], "key-photo-6").await,
        "upload_in_use"
    );
    // A photo over 5 MiB (uploads take up to 10).
    let big = s
        .upload_id("big.png", &common::png_of(5 * 1024 * 1024 + 1))
        .await;
    assert_eq!(
        photo_problem(vec![big], "key-photo-7").await,
        "file_too_large"
    );
    // Nothing was kept of the refused reports.
    assert_eq!(s.count("SELECT COUNT(*) FROM feedback").await, 1);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM uploads WHERE feedback_code IS NOT NULL")
            .await,
        1
    );
    // An anonymous report with only a position is fine.
    let r = submit(
        &s,
        &json!({
            "category": "other",
            "title": "Cây đổ",
            "description": "Cây đổ chắn đường.",
            "location": {"position": {"lat": 16.8, "lon": 107.1}}
        }),
    )
    .await;
    let v = view(&s, &r.code, Some(&r.secret)).await;
    assert_eq!(v.commune, "");
    assert!(v.private.unwrap().contact.name.is_empty());
}

#[tokio::test]
async fn garbage_gets_4xx_never_5xx() {
    let s = srv().await;
    let r = submit(&s, &report()).await;
    let bodies: [&[u8]; 8] = [
        b"",
        b"null",
        b"[]",
        b"{",
        b"{\"category\":\"weather\",\"title\":\"x\",\"description\":\"y\",\"location\":{}}",
        b"{\"stars\": 300}",
        b"{\"published\": \"yes\"}",
        b"\xff\xfe garbage",
    ];
    let paths = [
        ("/api/v1/feedback".to_string(), false),
        (format!("/api/v1/feedback/{}/rating", r.code), false),
        (format!("/api/v1/officer/feedback/{}/assign", r.code), true),
        (format!("/api/v1/officer/feedback/{}/answer", r.code), true),
        (format!("/api/v1/officer/feedback/{}/reject", r.code), true),
        (format!("/api/v1/officer/feedback/{}/publish", r.code), true),
    ];
    let auth = format!("Bearer {}", common::OFFICER_TOKEN);
    for (path, officer) in &paths {
        for body in bodies {
            for ct in ["application/json", "text/plain"] {
                let mut h = vec![
                    ("content-type", ct),
                    ("idempotency-key", "garbage-key-1"),
                    (SECRET_HEADER, r.secret.as_str()),
                ];
                if *officer {
                    h.push(("authorization", &auth));
                }
                let res = s.send(Method::POST, path, &h, body.to_vec()).await;
                assert!(
                    res.status.is_client_error(),
                    "{path} {body:?} {ct}: {}",
                    res.status
                );
                res.error();
            }
        }
    }
    // Over the body limit.
    let mut huge = report();
    huge["description"] = json!("x".repeat(70 * 1024));
    let res = post_report(&s, "garbage-key-2", "vi", &huge).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.error().message, "the body may be at most 65536 bytes");
    let res = rate(
        &s,
        &r.code,
        &r.secret,
        json!({"stars": 5, "comment": "x".repeat(20_000)}),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.error().code, ErrorCode::PayloadTooLarge);
    for uri in [
        "/api/v1/feedback/%FF",
        "/api/v1/feedback/PA-261124-ZZZZZ/photos/0",
        "/api/v1/feedback/x/photos/%00",
        "/api/v1/feedback/../../etc/passwd",
    ] {
        let res = s.get(uri).await;
        assert!(res.status.is_client_error(), "{uri}: {}", res.status);
    }
    assert_eq!(
        view(&s, &r.code, None).await.status,
        FeedbackStatus::Received
    );
}

fn cli(s: &TestServer, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cuaso-server"))
        .arg("--db")
        .arg(s.dir.path().join("data/cuaso.db"))
        .args(s.db_url_args())
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn the_cli_assigns_answers_and_publishes() {
    let s = srv().await;
    let r = submit(&s, &report()).await;
    let code = r.code.as_str();
    let text = out(&cli(&s, &["feedback", "list"]));
    assert!(text.starts_with("CODE"), "{text}");
    assert!(text.contains(code) && text.contains("received"), "{text}");
    assert!(out(&cli(&s, &["feedback", "list", "--status", "answered"])).contains("(no reports)"));
    for (args, want) in [
        (
            vec!["feedback", "answer", code, "--text", "Xong"],
            "error: invalid_transition: ",
        ),
        (vec!["feedback", "publish", code], "error: wrong_status: "),
        (
            vec!["feedback", "assign", code, "--agency", " "],
            "error: validation: ",
        ),
        (
            vec!["feedback", "show", "PA-261124-ZZZZZ"],
            "error: feedback_not_found: ",
        ),
        (
            vec!["feedback", "list", "--status", "done"],
            "error: invalid_parameter: ",
        ),
    ] {
        let o = cli(&s, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", out(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with(want), "{args:?}: {err}");
    }
    let o = cli(
        &s,
        &["feedback", "answer", code, "--text", "Xong", "--lang", "en"],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("Assign the report to an agency"));

    let o = cli(
        &s,
        &[
            "feedback",
            "assign",
            &code.to_lowercase(),
            "--agency",
            "UBND phường Đông Hà",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: FeedbackView = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.status, FeedbackStatus::Assigned);
    let o = cli(
        &s,
        &[
            "feedback",
            "answer",
            code,
            "--text",
            "Đã sửa xong đèn đường.",
        ],
    );
    assert!(o.status.success());
    let v: FeedbackView = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.status, FeedbackStatus::Answered);
    let o = cli(&s, &["feedback", "reject", code, "--reason", "X"]);
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: invalid_transition: "));
    let o = cli(&s, &["feedback", "publish", code]);
    assert!(
        serde_json::from_slice::<FeedbackView>(&o.stdout)
            .unwrap()
            .published
    );
    let o = cli(&s, &["feedback", "show", code]);
    let v: FeedbackView = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.private.unwrap().contact.email, "an.nguyen@example.vn");
    let o = cli(&s, &["feedback", "list", "--status", "answered", "--json"]);
    let all: Vec<FeedbackView> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(all.len(), 1);
    // The citizen sees what the CLI did, and the actor is recorded.
    let public = view(&s, code, None).await;
    assert_eq!(
        public.content.unwrap().answer.unwrap().text,
        "Đã sửa xong đèn đường."
    );
    let actors: Vec<(String,)> =
        sqlx::query_as("SELECT actor FROM feedback_events WHERE feedback_code = $1 ORDER BY seq")
            .bind(code)
            .fetch_all(&s.pool)
            .await
            .unwrap();
    assert_eq!(
        actors.into_iter().map(|a| a.0).collect::<Vec<_>>(),
        ["citizen", "officer:cli", "officer:cli", "officer:cli"]
    );
    let o = cli(&s, &["feedback", "publish", code, "--unpublish"]);
    assert!(
        !serde_json::from_slice::<FeedbackView>(&o.stdout)
            .unwrap()
            .published
    );
}

#[tokio::test]
async fn openapi_documents_the_feedback_routes() {
    let s = srv().await;
    let doc = s.get("/api/v1/openapi.json").await.value();
    for (path, method) in [
        ("/api/v1/feedback", "post"),
        ("/api/v1/feedback", "get"),
        ("/api/v1/feedback/{code}", "get"),
        ("/api/v1/feedback/{code}/photos/{n}", "get"),
        ("/api/v1/feedback/{code}/rating", "post"),
        ("/api/v1/officer/feedback", "get"),
        ("/api/v1/officer/feedback/{code}/assign", "post"),
        ("/api/v1/officer/feedback/{code}/answer", "post"),
        ("/api/v1/officer/feedback/{code}/reject", "post"),
        ("/api/v1/officer/feedback/{code}/publish", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path}");
        assert!(
            op["responses"]["404"].is_object() || path.ends_with("feedback"),
            "{method} {path}"
        );
        if path.contains("/officer/") {
            assert!(op["responses"]["401"].is_object(), "{method} {path}");
            assert!(op["security"].is_array(), "{method} {path}");
        }
    }
    for schema in [
        "NewFeedback",
        "FeedbackView",
        "FeedbackPage",
        "FeedbackReceipt",
        "FeedbackRating",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

// ---------------------------------------------------------------------------
// Metadata stripping

/// The marker segments before the first scan, (marker, bytes with header),
/// and everything from the first SOS on (scans and EOI).
fn jpeg_parts(b: &[u8]) -> (Vec<(u8, Vec<u8>)>, Vec<u8>) {
    assert_eq!(&b[..2], [0xFF, 0xD8], "SOI");
    let mut i = 2;
    let mut segs = Vec::new();
    loop {
        assert_eq!(b[i], 0xFF, "a marker at {i}");
        let m = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if m == 0xDA {
            return (segs, b[i..].to_vec());
        }
        segs.push((m, b[i..i + 2 + len].to_vec()));
        i += 2 + len;
    }
}

fn assert_clean_jpeg(stored: &[u8]) {
    let text = String::from_utf8_lossy(stored);
    for gone in [
        "Exif",
        "GPS",
        "CuaSoTestCam",
        "Phone X1",
        "2026:11:23",
        "xmpmeta",
        "ns.adobe.com",
        "Photoshop",
        "8BIM",
        "Dong Ha",
        "Nha so",
    ] {
        assert!(!text.contains(gone), "{gone} is still in the stored photo");
    }
    // The same picture: the same tables and frame, the same scan bytes, one EOI at the end.
    let (orig_segs, orig_scan) = jpeg_parts(GPS_JPG);
    let (segs, scan) = jpeg_parts(stored);
    let kept: Vec<&(u8, Vec<u8>)> = orig_segs
        .iter()
        .filter(|(m, body)| {
            // APP0 JFIF is kept; every other APPn and COM goes.
            let app_or_com = (0xE0..=0xEF).contains(m) || *m == 0xFE;
            !app_or_com || (*m == 0xE0 && body[4..].starts_with(b"JFIF"))
        })
        .collect();
    assert_eq!(segs.iter().collect::<Vec<_>>(), kept);
    assert!(segs.iter().any(|(m, _)| *m == 0xC0), "the frame is kept");
    assert!(segs.iter().any(|(m, _)| *m == 0xDB), "the tables are kept");
    let eoi = orig_scan
        .windows(2)
        .position(|w| w == [0xFF, 0xD9])
        .unwrap()
        + 2;
    assert_eq!(scan, orig_scan[..eoi], "scan data copied, trailer dropped");
    assert!(stored.ends_with(&[0xFF, 0xD9]));
}

#[tokio::test]
async fn an_uploaded_jpeg_is_stored_without_its_gps_and_camera_data() {
    let s = srv().await;
    // The fixture really carries them.
    let raw = String::from_utf8_lossy(GPS_JPG);
    assert!(raw.contains("Exif") && raw.contains("CuaSoTestCam") && raw.contains("GPS-TRAILER"));
    let r = s.upload("ảnh.jpg", "image/jpeg", GPS_JPG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let up: Upload = r.json();
    let stored = std::fs::read(s.uploads_dir().join(&up.id)).unwrap();
    assert_clean_jpeg(&stored);
    assert!(stored.len() < GPS_JPG.len());
    // Size and hash describe the stored bytes.
    assert_eq!(up.size, stored.len() as u64);
    let (size, sha): (i64, String) =
        sqlx::query_as("SELECT size, sha256 FROM uploads WHERE id = $1")
            .bind(&up.id)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(size as usize, stored.len());
    assert_eq!(sha, format!("{:x}", Sha256::digest(&stored)));
    // As a feedback photo, the same clean bytes are served.
    let mut b = report();
    b["photos"] = json!([up.id]);
    let rc = submit(&s, &b).await;
    let r = get_with(
        &s,
        &format!("/api/v1/feedback/{}/photos/0", rc.code),
        Some(&rc.secret),
    )
    .await;
    assert_eq!(r.headers["content-type"], "image/jpeg");
    assert_eq!(r.body, stored);
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let mut v = (data.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(data);
    let mut crc_in = kind.to_vec();
    crc_in.extend_from_slice(data);
    v.extend_from_slice(&crc32(&crc_in).to_be_bytes());
    v
}

#[tokio::test]
async fn an_uploaded_png_loses_its_exif_text_and_time() {
    let s = srv().await;
    // tiny.png with metadata chunks inserted after IHDR (8 + 25 bytes).
    let mut png = PNG[..33].to_vec();
    png.extend(png_chunk(b"eXIf", b"MM\0*\0\0\0\x08GPSLatitude"));
    png.extend(png_chunk(b"tEXt", b"Comment\0Nha so 12 Le Loi"));
    png.extend(png_chunk(
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>",
    ));
    png.extend(png_chunk(b"tIME", &[7, 234, 11, 23, 8, 15, 0]));
    png.extend_from_slice(&PNG[33..]);
    let r = s.upload("a.png", "image/png", &png).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let up: Upload = r.json();
    let stored = std::fs::read(s.uploads_dir().join(&up.id)).unwrap();
    assert_eq!(
        stored, PNG,
        "exactly the picture without the metadata chunks"
    );
    assert_eq!(up.size, PNG.len() as u64);
    // A clean PNG is stored as sent.
    let up2: Upload = s.upload("b.png", "image/png", PNG).await.json();
    assert_eq!(std::fs::read(s.uploads_dir().join(&up2.id)).unwrap(), PNG);
}

/// 2026-11-23: the demo producers' accounts exist.
async fn producer_session(s: &TestServer) -> (String, String) {
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({"username": "tieucua", "password": "hat tieu thom cay"}))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let cookie = r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = r.value()["csrf"].as_str().unwrap().to_string();
    (cookie, csrf)
}

#[tokio::test]
async fn producer_photos_are_stored_without_metadata() {
    let s = server_at(vn_time(2026, 11, 23, 9, 0)).await;
    let (cookie, csrf) = producer_session(&s).await;
    let upload = |bytes: Vec<u8>| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let s = &s;
        async move {
            let (ct, body) = multipart(&[("file", Some("p"), "application/octet-stream", &bytes)]);
            let r = s
                .send(
                    Method::POST,
                    "/api/v1/me/photos",
                    &[
                        ("content-type", &ct),
                        ("cookie", &cookie),
                        (cuaso_domain::producer::CSRF_HEADER, &csrf),
                    ],
                    body,
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let url = r.value()["url"].as_str().unwrap().to_string();
            s.get(&url).await.body
        }
    };
    assert_clean_jpeg(&upload(GPS_JPG.to_vec()).await);
    // A WebP with EXIF and XMP chunks flagged in VP8X.
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut v = kind.to_vec();
        v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
        v
    };
    let riff = |chunks: &[Vec<u8>]| {
        let body = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend_from_slice(&body);
        v
    };
    let vp8x = |flags: u8| chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let frame = chunk(b"VP8L", b"\x2f\0\0\0\0lossless");
    let webp = riff(&[
        vp8x(0x08 | 0x04),
        frame.clone(),
        chunk(b"EXIF", b"MM\0*GPSLatitude"),
        chunk(b"XMP ", b"<x:xmpmeta/>"),
    ]);
    assert_eq!(upload(webp).await, riff(&[vp8x(0), frame]));
    // PNG too.
    let mut png = PNG[..33].to_vec();
    png.extend(png_chunk(b"tEXt", b"GPS\0here"));
    png.extend_from_slice(&PNG[33..]);
    assert_eq!(upload(png).await, PNG);
}
