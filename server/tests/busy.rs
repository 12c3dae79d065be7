//! A busy database answers 503 with `Retry-After` and the typed body, on
//! every route that writes (`From<sqlx::Error> for ApiError`, the one
//! busy rule): another connection holds the write lock while a citizen
//! submits a dossier, a report and an upload, a producer saves a proposal
//! and signs in, and an officer moves a dossier and reviews a listing.
//! Before, only the dossier and feedback writes answered 503 (without
//! `Retry-After`); the others answered 500.
//!
//! SQLite: a second connection in `BEGIN IMMEDIATE`, the server's busy
//! timeout made short. PostgreSQL (`scripts/pg.sh test`): the tables
//! locked `IN EXCLUSIVE MODE` (reads go on, writes wait) by a second
//! connection, the database's `lock_timeout` made short, so a write that
//! waits fails with `lock_not_available`.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use cuaso_domain::form::DossierReceipt;
use cuaso_domain::producer::{Proposal, Session};
use cuaso_domain::product::Product;
use cuaso_domain::ErrorCode;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};

const TIEUCUA_GTIN: &str = "08930000000019";

/// Another connection holding the write lock until [`Holder::release`].
enum Holder {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

/// The tables the routes below write.
const TABLES: &str = "uploads, dossiers, dossier_counters, dossier_events, idempotency, \
    feedback, feedback_events, feedback_idempotency, listings, listing_reviews, products, \
    sessions, login_failures, media";

/// A server whose writes give up quickly when another holds the lock.
async fn impatient_server() -> TestServer {
    let s = server_with(friday(), |st| st.busy_timeout = Duration::from_millis(100)).await;
    let Some(pg) = s.pg.clone() else {
        return s;
    };
    let mut c = sqlx::PgConnection::connect(&pg.url).await.unwrap();
    let (name,): (String,) = sqlx::query_as("SELECT current_database()")
        .fetch_one(&mut c)
        .await
        .unwrap();
    c.execute(format!("ALTER DATABASE \"{name}\" SET lock_timeout = '200ms'").as_str())
        .await
        .unwrap();
    c.close().await.unwrap();
    // New connections take the database's setting.
    s.restart().await
}

async fn hold_write_lock(s: &TestServer) -> Holder {
    match &s.pg {
        None => {
            let path = s.dir.path().join("data/cuaso.db");
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            c.execute("BEGIN IMMEDIATE").await.unwrap();
            Holder::Sqlite(c)
        }
        Some(pg) => {
            let mut c = sqlx::PgConnection::connect(&pg.url).await.unwrap();
            c.execute("BEGIN").await.unwrap();
            c.execute(format!("LOCK TABLE {TABLES} IN EXCLUSIVE MODE").as_str())
                .await
                .unwrap();
            Holder::Postgres(c)
        }
    }
}

impl Holder {
    async fn release(self) {
        match self {
            Holder::Sqlite(mut c) => {
                c.execute("ROLLBACK").await.unwrap();
                c.close().await.unwrap();
            }
            Holder::Postgres(mut c) => {
                c.execute("ROLLBACK").await.unwrap();
                c.close().await.unwrap();
            }
        }
    }
}

fn assert_busy(r: &Reply, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        r.text()
    );
    let wait = r
        .headers
        .get("retry-after")
        .unwrap_or_else(|| panic!("{what}: no Retry-After"));
    assert!(
        wait.to_str().unwrap().parse::<u64>().unwrap() >= 1,
        "{what}"
    );
    let e = r.error();
    assert_eq!(e.code, ErrorCode::Internal, "{what}");
    assert!(e.message.contains("busy"), "{what}: {}", e.message);
}

fn report() -> Value {
    json!({
        "category": "roads",
        "title": "Đèn đường hỏng trên đường Lê Lợi",
        "description": "Ba cột đèn không sáng từ tuần trước.",
        "photos": [],
        "location": {"commune": "Phường Đông Hà", "address": "Số 12 Lê Lợi"},
        "contact": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "email": ""}
    })
}

async fn post_json(s: &TestServer, uri: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
    let mut h = vec![("content-type", "application/json")];
    h.extend_from_slice(headers);
    s.send(Method::POST, uri, &h, serde_json::to_vec(body).unwrap())
        .await
}

async fn sign_in(s: &TestServer) -> (String, String) {
    let r = post_json(
        s,
        "/api/v1/auth/login",
        &[],
        &json!({"username": "tieucua", "password": "hat tieu thom cay"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let session: Session = r.json();
    (cookie, session.csrf)
}

async fn save_proposal(s: &TestServer, (cookie, csrf): &(String, String), submit: bool) -> Reply {
    let r = s.get(&format!("/api/v1/products/{TIEUCUA_GTIN}")).await;
    let mut proposal = Proposal::of(&r.json::<Product>());
    proposal.description.vi = "Hạt tiêu Cùa, phơi nắng tự nhiên.".into();
    s.send(
        Method::PUT,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}/proposal"),
        &[
            ("content-type", "application/json"),
            ("cookie", cookie),
            ("x-cuaso-csrf", csrf),
        ],
        serde_json::to_vec(&json!({"proposal": proposal, "submit": submit})).unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_busy_database_answers_503_with_retry_after_on_every_write() {
    let s = impatient_server().await;
    // What the writes need, made before the lock is taken.
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let second_up = s.upload_id("giấy chứng sinh 2.pdf", PDF).await;
    let r = s.submit(Some("busy-first-key"), "vi", &birth(&up)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let dossier: DossierReceipt = r.json();
    let producer = sign_in(&s).await;
    let r = save_proposal(&s, &producer, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let lock = hold_write_lock(&s).await;
    // Reads go on.
    let r = s.get(&format!("/api/v1/dossiers/{}", dossier.code)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let r = s
        .submit(Some("busy-second-key"), "vi", &birth(&second_up))
        .await;
    assert_busy(&r, "a dossier submission");
    let r = post_json(
        &s,
        "/api/v1/feedback",
        &[("idempotency-key", "busy-report-key")],
        &report(),
    )
    .await;
    assert_busy(&r, "a feedback report");
    let r = s.upload("ảnh.png", "image/png", PNG).await;
    assert_busy(&r, "an upload");
    let r = save_proposal(&s, &producer, false).await;
    assert_busy(&r, "a producer's proposal");
    let r = post_json(
        &s,
        "/api/v1/auth/login",
        &[],
        &json!({"username": "tieucua", "password": "hat tieu thom cay"}),
    )
    .await;
    assert_busy(&r, "a sign-in");
    let r = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/transitions", dossier.code),
            Some(&json!({"to": 2})),
        )
        .await;
    assert_busy(&r, "an officer's transition");
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/approve"),
            None,
        )
        .await;
    assert_busy(&r, "an officer's review");
    lock.release().await;

    // The same writes go through once the lock is gone.
    let r = s
        .submit(Some("busy-second-key"), "vi", &birth(&second_up))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/transitions", dossier.code),
            Some(&json!({"to": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}
