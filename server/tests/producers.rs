//! The producer portal end to end in-process: sign-in, sessions, rate
//! limits, CSRF, the authorisation matrix over every `/api/v1/me` route,
//! proposals and their review (API and CLI), labels and photos.

mod common;

use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{multipart, server_at, server_with, Reply, TestServer, PDF, PNG};
use cuaso_domain::gs1;
use cuaso_domain::producer::{
    CertState, LabelData, ListingDetail, ListingStatus, Listings, Proposal, ReviewItem, Session,
    CSRF_HEADER, SESSION_COOKIE,
};
use cuaso_domain::product::{Photo, Product};
use cuaso_domain::ErrorCode;
use cuaso_server::infra::clock::vn_time;
use cuaso_server::products::ME_ROUTES;
use serde_json::{json, Value};

/// 2026-11-23, 09:00 in Vietnam: the demo's day.
fn demo_day() -> SystemTime {
    vn_time(2026, 11, 23, 9, 0)
}

async fn demo() -> TestServer {
    server_at(demo_day()).await
}

const TIEUCUA: (&str, &str) = ("tieucua", "hat tieu thom cay");
const KHESANH: (&str, &str) = ("khesanh", "ca phe khe sanh ngon");
const TIEUCUA_GTIN: &str = "08930000000019";
const KHESANH_GTINS: [&str; 2] = ["08930000030016", "08930000030023"];

#[derive(Clone)]
struct Sess {
    cookie: String,
    csrf: String,
    session: Session,
}

fn set_cookie(r: &Reply) -> String {
    r.headers
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn login_from(s: &TestServer, ip: &str, user: &str, pw: &str) -> Reply {
    s.send_from(
        ip,
        Method::POST,
        "/api/v1/auth/login",
        &[("content-type", "application/json")],
        serde_json::to_vec(&json!({"username": user, "password": pw})).unwrap(),
    )
    .await
}

async fn sign_in(s: &TestServer, (user, pw): (&str, &str)) -> Sess {
    let r = login_from(s, "10.0.0.1", user, pw).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = set_cookie(&r);
    let token = c
        .strip_prefix(&format!("{SESSION_COOKIE}="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string();
    let session: Session = r.json();
    Sess {
        cookie: format!("{SESSION_COOKIE}={token}"),
        csrf: session.csrf.clone(),
        session,
    }
}

/// A request with the session cookie and (`csrf`) the CSRF header.
async fn call(
    s: &TestServer,
    sess: Option<&Sess>,
    csrf: bool,
    method: Method,
    uri: &str,
    body: Option<&Value>,
) -> Reply {
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(x) = sess {
        headers.push(("cookie", &x.cookie));
        if csrf {
            headers.push((CSRF_HEADER, &x.csrf));
        }
    }
    let body = match body {
        Some(b) => {
            headers.push(("content-type", "application/json"));
            Body::from(serde_json::to_vec(b).unwrap())
        }
        None => Body::empty(),
    };
    s.send(method, uri, &headers, body).await
}

async fn me(s: &TestServer, sess: &Sess, method: Method, uri: &str, body: Option<&Value>) -> Reply {
    call(s, Some(sess), true, method, uri, body).await
}

fn code(r: &Reply) -> ErrorCode {
    r.error().code
}

async fn public_product(s: &TestServer, gtin: &str) -> Product {
    let r = s.get(&format!("/api/v1/products/{gtin}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

fn proposal_with(p: &Product, description: &str) -> Proposal {
    let mut prop = Proposal::of(p);
    prop.description.vi = description.to_string();
    prop
}

#[tokio::test]
async fn login_sets_an_httponly_cookie_and_the_session_answers() {
    let s = demo().await;
    let r = login_from(&s, "10.0.0.1", "tieucua", "hat tieu thom cay").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = set_cookie(&r);
    assert!(c.starts_with("cuaso_session="), "{c}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/api", "Max-Age=43200"] {
        assert!(c.contains(attr), "{attr}: {c}");
    }
    assert!(!c.contains("Secure"), "plain http: {c}");
    assert_eq!(r.headers["cache-control"], "no-store");
    let session: Session = r.json();
    assert_eq!(session.username, "tieucua");
    assert_eq!(session.producer_id, "htx-tieu-cua");
    assert!(session.producer_name.vi.contains("tiêu Cùa"));
    assert_eq!(session.idle_minutes, 30);
    assert!(!session.must_change_password);
    assert!(session.csrf.len() >= 32);
    // Only the hash of the token is stored.
    let token = c.split(';').next().unwrap().split_once('=').unwrap().1;
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE '%{token}%' OR csrf = '{token}'"
        ))
        .await,
        0
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM sessions WHERE length(token_hash) = 64")
            .await,
        1
    );

    let sess = sign_in(&s, TIEUCUA).await;
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/auth/session",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["cache-control"], "no-store");
    assert_eq!(r.json::<Session>().username, "tieucua");
    for uri in ["/api/v1/auth/session", "/api/v1/me/products"] {
        let r = s.get(uri).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(code(&r), ErrorCode::SessionRequired);
        assert_eq!(r.headers["cache-control"], "no-store", "{uri}");
    }
    // A made-up token is no session.
    let fake = Sess {
        cookie: format!("{SESSION_COOKIE}={}", "A".repeat(43)),
        ..sess.clone()
    };
    let r = call(
        &s,
        Some(&fake),
        false,
        Method::GET,
        "/api/v1/auth/session",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookies_are_secure_over_https() {
    let s = server_with(demo_day(), |st| {
        st.public_base_url = Some("https://id.quangtri.gov.vn".into())
    })
    .await;
    let r = login_from(&s, "10.0.0.1", "tieucua", "hat tieu thom cay").await;
    assert!(set_cookie(&r).ends_with("; Secure"), "{}", set_cookie(&r));

    let s = server_with(demo_day(), |st| st.behind_proxy = true).await;
    let body = serde_json::to_vec(&json!({"username": "tieucua", "password": "hat tieu thom cay"}))
        .unwrap();
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[
                ("content-type", "application/json"),
                ("x-forwarded-proto", "https"),
            ],
            body.clone(),
        )
        .await;
    assert!(set_cookie(&r).contains("; Secure"), "{}", set_cookie(&r));
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json")],
            body,
        )
        .await;
    assert!(!set_cookie(&r).contains("Secure"));
}

#[tokio::test]
async fn a_wrong_name_and_a_wrong_password_answer_alike() {
    let s = demo().await;
    let a = login_from(&s, "10.0.0.1", "tieucua", "not the password").await;
    let b = login_from(&s, "10.0.0.1", "nobody-here", "not the password").await;
    let c = login_from(&s, "10.0.0.1", "NOT A NAME!", "x").await;
    for r in [&a, &b, &c] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(code(r), ErrorCode::LoginFailed);
        assert!(set_cookie(r).is_empty());
    }
    assert_eq!(a.body, b.body);
    assert_eq!(a.body, c.body);
    // Malformed bodies are typed 4xx.
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json")],
            "{",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r), ErrorCode::InvalidParameter);
    let big = json!({"username": "tieucua", "password": "x".repeat(20_000)});
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json")],
            serde_json::to_vec(&big).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&r), ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn sessions_end_when_idle_and_after_twelve_hours() {
    let s = demo().await;
    let sess = sign_in(&s, TIEUCUA).await;
    let at = |mins: u64| demo_day() + Duration::from_secs(mins * 60);
    let alive = |r: &Reply| r.status == StatusCode::OK;
    // Each request starts the idle time again.
    s.set_time(at(29));
    assert!(alive(
        &call(
            &s,
            Some(&sess),
            false,
            Method::GET,
            "/api/v1/auth/session",
            None
        )
        .await
    ));
    s.set_time(at(58));
    assert!(alive(
        &call(
            &s,
            Some(&sess),
            false,
            Method::GET,
            "/api/v1/me/products",
            None
        )
        .await
    ));
    s.set_time(at(58 + 31));
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/auth/session",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r), ErrorCode::SessionRequired);
    // Gone for good, even if the clock went back.
    s.set_time(at(60));
    assert_eq!(
        call(
            &s,
            Some(&sess),
            false,
            Method::GET,
            "/api/v1/auth/session",
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );

    // Active all day: ends 12 hours after login.
    s.set_time(at(100));
    let sess = sign_in(&s, TIEUCUA).await;
    let mut m = 100;
    while m + 25 <= 100 + 12 * 60 {
        m += 25;
        s.set_time(at(m));
        assert!(
            alive(
                &call(
                    &s,
                    Some(&sess),
                    false,
                    Method::GET,
                    "/api/v1/auth/session",
                    None
                )
                .await
            ),
            "minute {m}"
        );
    }
    s.set_time(at(100 + 12 * 60 + 1));
    assert_eq!(
        call(
            &s,
            Some(&sess),
            false,
            Method::GET,
            "/api/v1/auth/session",
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let s = demo().await;
    for i in 1..=4 {
        let r = login_from(&s, &format!("10.0.1.{i}"), "tieucua", "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "try {i}");
    }
    // The fifth wrong try already answers 429.
    let r = login_from(&s, "10.0.1.5", "tieucua", "wrong password").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "900");
    let e = r.error();
    assert_eq!(e.code, ErrorCode::TooManyAttempts);
    assert!(e.message.contains("15 minutes"), "{}", e.message);
    // While locked even the right password is refused, from anywhere; the
    // name's case does not matter.
    for user in ["tieucua", "TieuCua"] {
        let r = login_from(&s, "10.0.9.9", user, "hat tieu thom cay").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{user}");
    }
    // Other accounts are not affected.
    sign_in(&s, KHESANH).await;
    // 10 minutes later: 5 minutes left.
    s.set_time(demo_day() + Duration::from_secs(600));
    let r = login_from(&s, "10.0.9.9", "tieucua", "hat tieu thom cay").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "300");
    assert!(r.error().message.contains("5 minutes"));
    // After the window: the right password works and clears the failures.
    s.set_time(demo_day() + Duration::from_secs(901));
    sign_in(&s, TIEUCUA).await;
    for i in 1..=4 {
        let r = login_from(&s, "10.0.2.1", "tieucua", "wrong password").await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "try {i} after a success"
        );
    }
    // Failures live in the database (shared by several servers).
    assert!(
        s.count("SELECT COUNT(*) FROM login_failures WHERE key = 'account:tieucua'")
            .await
            >= 4
    );
}

#[tokio::test]
async fn twenty_failures_from_one_client_lock_that_client() {
    let s = demo().await;
    for i in 0..19 {
        let r = login_from(
            &s,
            "192.0.2.7",
            &format!("nobody{}", i % 5),
            "wrong password",
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "try {i}");
    }
    let r = login_from(&s, "192.0.2.7", "someone-else", "wrong password").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));
    // The right password from that client is refused; from another it works.
    let r = login_from(&s, "192.0.2.7", "tieucua", "hat tieu thom cay").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = login_from(&s, "192.0.2.8", "tieucua", "hat tieu thom cay").await;
    assert_eq!(r.status, StatusCode::OK);
    s.set_time(demo_day() + Duration::from_secs(15 * 60));
    let r = login_from(&s, "192.0.2.7", "khesanh", "ca phe khe sanh ngon").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn state_changes_need_the_csrf_header() {
    let s = demo().await;
    let sess = sign_in(&s, TIEUCUA).await;
    let product = public_product(&s, TIEUCUA_GTIN).await;
    let body = json!({"proposal": proposal_with(&product, "Mô tả mới"), "submit": false});
    let put = format!("/api/v1/me/products/{TIEUCUA_GTIN}/proposal");
    let wrong = Sess {
        csrf: "not-the-token".into(),
        ..sess.clone()
    };
    let other = sign_in(&s, TIEUCUA).await;
    let cross = Sess {
        csrf: other.csrf.clone(),
        ..sess.clone()
    };
    for (method, uri, b) in [
        (Method::PUT, put.as_str(), Some(&body)),
        (Method::DELETE, put.as_str(), None),
        (Method::POST, "/api/v1/auth/logout", None),
        (Method::POST, "/api/v1/auth/logout-all", None),
        (
            Method::POST,
            "/api/v1/auth/password",
            Some(&json!({"current": "a", "new": "b"})),
        ),
    ] {
        let r = call(&s, Some(&sess), false, method.clone(), uri, b).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri}");
        assert_eq!(code(&r), ErrorCode::CsrfRequired);
        assert_eq!(r.headers["cache-control"], "no-store");
        for bad in [&wrong, &cross] {
            let r = call(&s, Some(bad), true, method.clone(), uri, b).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri}");
        }
        // No session: 401 comes first.
        let r = call(&s, None, false, method.clone(), uri, b).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM listings WHERE status != 'published'")
            .await,
        0,
        "nothing changed"
    );
    // GET needs no token; with the token the change goes through.
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/me/products",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = me(&s, &sess, Method::PUT, &put, Some(&body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json::<ListingDetail>().status, ListingStatus::Draft);
}

#[tokio::test]
async fn logout_ends_this_session_and_logout_all_every_one() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let b = sign_in(&s, TIEUCUA).await;
    let r = me(&s, &a, Method::POST, "/api/v1/auth/logout", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let c = set_cookie(&r);
    assert!(
        c.starts_with("cuaso_session=;") && c.contains("Max-Age=0"),
        "{c}"
    );
    let get = |x: &Sess| {
        let x = x.clone();
        let s = &s;
        async move {
            call(s, Some(&x), false, Method::GET, "/api/v1/me/products", None)
                .await
                .status
        }
    };
    assert_eq!(get(&a).await, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&b).await, StatusCode::OK);
    let c2 = sign_in(&s, TIEUCUA).await;
    let other = sign_in(&s, KHESANH).await;
    let r = me(&s, &b, Method::POST, "/api/v1/auth/logout-all", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(get(&b).await, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&c2).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&other).await,
        StatusCode::OK,
        "another account's sessions stay"
    );
}

#[tokio::test]
async fn changing_the_password() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let b = sign_in(&s, TIEUCUA).await;
    let change = |current: &str, new: &str| json!({"current": current, "new": new});
    let problem = |r: &Reply| {
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.fields.len(), 1);
        (
            e.fields[0].field.clone(),
            e.fields[0].code.clone(),
            e.fields[0].message.clone(),
        )
    };
    let uri = "/api/v1/auth/password";
    let r = me(
        &s,
        &a,
        Method::POST,
        uri,
        Some(&change("wrong one", "mot cau rat dai")),
    )
    .await;
    assert_eq!(problem(&r).0, "current");
    assert_eq!(problem(&r).1, "wrong_password");
    for (new, want) in [
        ("ngan", "password_too_short"),
        ("1234567890", "password_too_common"),
        ("tieucua la toi", "password_contains_username"),
        ("hat tieu thom cay", "password_unchanged"),
    ] {
        let r = me(
            &s,
            &a,
            Method::POST,
            uri,
            Some(&change("hat tieu thom cay", new)),
        )
        .await;
        let (field, c, message) = problem(&r);
        assert_eq!((field.as_str(), c.as_str()), ("new", want), "{new}");
        assert!(!message.is_empty());
    }
    // Messages in the request's language.
    let r = s
        .send(
            Method::POST,
            uri,
            &[
                ("cookie", &a.cookie),
                (CSRF_HEADER, &a.csrf),
                ("content-type", "application/json"),
                ("accept-language", "en"),
            ],
            serde_json::to_vec(&change("hat tieu thom cay", "ngan")).unwrap(),
        )
        .await;
    assert!(
        problem(&r).2.starts_with("Use at least 10"),
        "{}",
        problem(&r).2
    );
    let r = s
        .send(
            Method::POST,
            uri,
            &[
                ("cookie", &a.cookie),
                (CSRF_HEADER, &a.csrf),
                ("content-type", "application/json"),
            ],
            serde_json::to_vec(&change("hat tieu thom cay", "ngan")).unwrap(),
        )
        .await;
    assert!(
        problem(&r).2.starts_with("Dùng ít nhất"),
        "{}",
        problem(&r).2
    );

    let r = me(
        &s,
        &a,
        Method::POST,
        uri,
        Some(&change("hat tieu thom cay", "tiêu Cùa cay nồng 2026")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(!r.json::<Session>().must_change_password);
    // This session stays, the other ends.
    assert_eq!(
        call(
            &s,
            Some(&a),
            false,
            Method::GET,
            "/api/v1/auth/session",
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        call(
            &s,
            Some(&b),
            false,
            Method::GET,
            "/api/v1/auth/session",
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_from(&s, "10.0.0.3", "tieucua", "hat tieu thom cay")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    sign_in(&s, ("tieucua", "tiêu Cùa cay nồng 2026")).await;
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM accounts WHERE username = 'tieucua'")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

/// Every `/me` operation from the served OpenAPI document, with the path
/// parameters filled in.
fn fill(path: &str, gtin: &str, lot: &str) -> String {
    path.replace("{gtin}", gtin).replace("{lot}", lot)
}

#[tokio::test]
async fn authorisation_matrix_over_every_me_route() {
    let s = demo().await;
    let doc: Value = s.get("/api/v1/openapi.json").await.json();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/me/") && path != "/api/v1/me" {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            if ["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let routed: BTreeSet<(String, String)> = ME_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, routed,
        "the OpenAPI document and the router list the same /me operations"
    );
    assert!(documented.len() >= 6);

    let mut cases = 0;
    cases += matrix(&s, &routed, TIEUCUA, &[TIEUCUA_GTIN], &KHESANH_GTINS).await;
    cases += matrix(&s, &routed, KHESANH, &KHESANH_GTINS, &[TIEUCUA_GTIN]).await;
    cases += matrix(
        &s,
        &routed,
        ("talu", "tho cam ta lu dep"),
        &["08930000060013"],
        &["08930000080011"],
    )
    .await;
    // Nothing of the other producers changed.
    for g in ["08930000080011"] {
        let (st, p): (String, Option<String>) =
            sqlx::query_as("SELECT status, proposal FROM listings WHERE gtin = $1")
                .bind(g)
                .fetch_one(&s.pool)
                .await
                .unwrap();
        assert_eq!((st.as_str(), p), ("published", None));
    }
    eprintln!(
        "authorisation matrix: {cases} cases over {} /me operations",
        routed.len()
    );
    assert!(cases >= 150, "only {cases} cases");
}

/// Producer `a` (owning `a_gtins`) against everything of the producer
/// owning `b_gtins`; returns the number of cases checked.
async fn matrix(
    s: &TestServer,
    routed: &BTreeSet<(String, String)>,
    a_cred: (&str, &str),
    a_gtins: &[&str],
    b_gtins: &[&str],
) -> usize {
    let a = sign_in(s, a_cred).await;
    let mut own_items: Vec<(String, Vec<String>, Product)> = Vec::new();
    for g in a_gtins {
        let p = public_product(s, g).await;
        own_items.push((
            g.to_string(),
            p.batches.iter().map(|b| b.lot.clone()).collect(),
            p,
        ));
    }
    let a_lots: Vec<String> = own_items.iter().flat_map(|(_, l, _)| l.clone()).collect();
    let mut b_items: Vec<(String, Vec<String>)> = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    for g in b_gtins {
        let p = public_product(s, g).await;
        secrets.push(p.name.vi.clone());
        secrets.push(p.description.vi.chars().take(30).collect());
        let lots: Vec<String> = p.batches.iter().map(|b| b.lot.clone()).collect();
        secrets.extend(lots.iter().filter(|l| !a_lots.contains(l)).cloned());
        b_items.push((g.to_string(), lots));
    }
    let b_only_lots: Vec<String> = b_items
        .iter()
        .flat_map(|(_, l)| l.clone())
        .filter(|l| !a_lots.contains(l))
        .collect();
    assert!(!b_only_lots.is_empty());
    // What a product that does not exist answers (valid check digit).
    let ghost = format!(
        "0893000099999{}",
        gs1::check_digit("0893000099999").unwrap()
    );
    let (a_gtin, a_first_lots, a_product) = &own_items[0];
    let valid_body =
        json!({"proposal": proposal_with(a_product, "Mô tả mới của chính mình"), "submit": false});
    let body_for = |method: &str| (method == "PUT").then_some(&valid_body);

    let mut cases = 0;
    for (method, path) in routed {
        let m: Method = method.parse().unwrap();
        let body = body_for(method);
        let has_gtin = path.contains("{gtin}");
        let has_lot = path.contains("{lot}");

        // No session: 401, whatever the ids.
        for uri in [
            fill(path, a_gtin, &a_first_lots[0]),
            fill(path, &b_items[0].0, &b_items[0].1[0]),
        ] {
            let r = call(s, None, false, m.clone(), &uri, body).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
            assert_eq!(code(&r), ErrorCode::SessionRequired);
            cases += 1;
        }

        // Another producer's ids: 404, byte for byte what a missing one answers.
        if has_gtin {
            let ghost_reply = me(
                s,
                &a,
                m.clone(),
                &fill(path, &ghost, &a_first_lots[0]),
                body,
            )
            .await;
            assert_eq!(
                ghost_reply.status,
                StatusCode::NOT_FOUND,
                "{method} {path} ghost"
            );
            let mut foreign: Vec<(String, String)> = Vec::new();
            for (g, lots) in &b_items {
                for l in lots.iter().chain(a_lots.iter().take(1)) {
                    foreign.push((g.clone(), l.clone()));
                    // The 13-digit form too.
                    foreign.push((g[1..].to_string(), l.clone()));
                }
            }
            for (g, l) in &foreign {
                let uri = fill(path, g, l);
                let r = me(s, &a, m.clone(), &uri, body).await;
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {uri}");
                assert_eq!(code(&r), ErrorCode::ProductNotFound, "{method} {uri}");
                assert_eq!(
                    r.body, ghost_reply.body,
                    "{method} {uri}: same as a missing product"
                );
                let text = r.text();
                for secret in &secrets {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{method} {uri} leaks {secret}"
                    );
                }
                cases += 1;
            }
            if has_lot {
                // Its own product with another producer's lot: like a missing lot.
                for (g, _, _) in &own_items {
                    let missing = me(s, &a, m.clone(), &fill(path, g, "NOLOT1"), body).await;
                    assert_eq!(missing.status, StatusCode::NOT_FOUND);
                    assert_eq!(code(&missing), ErrorCode::BatchNotFound);
                    for l in &b_only_lots {
                        let uri = fill(path, g, l);
                        let r = me(s, &a, m.clone(), &uri, body).await;
                        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {uri}");
                        assert_eq!(r.body, missing.body, "{method} {uri}");
                        assert!(!r.text().contains(l.as_str()));
                        cases += 1;
                    }
                }
            }
        }

        // Its own ids: the operation works.
        let mut own: Vec<String> = Vec::new();
        for (g, lots, _) in &own_items {
            if has_lot {
                own.extend(lots.iter().map(|l| fill(path, g, l)));
            } else if has_gtin {
                own.push(fill(path, g, ""));
                own.push(fill(path, &g[1..], ""));
            }
        }
        if !has_gtin {
            own.push(path.clone());
        }
        for uri in own {
            let r = if path.ends_with("/photos") {
                let (ct, body) = multipart(&[("file", Some("a.png"), "image/png", PNG)]);
                s.send(
                    m.clone(),
                    &uri,
                    &[
                        ("cookie", &a.cookie),
                        (CSRF_HEADER, &a.csrf),
                        ("content-type", &ct),
                    ],
                    body,
                )
                .await
            } else {
                let body = if method == "PUT" {
                    // The proposal of the product in the path.
                    let g = uri.split('/').nth(5).unwrap();
                    let p = public_product(s, g).await;
                    Some(
                        json!({"proposal": proposal_with(&p, "Mô tả mới của chính mình"), "submit": false}),
                    )
                } else {
                    None
                };
                me(s, &a, m.clone(), &uri, body.as_ref()).await
            };
            assert!(
                r.status.is_success(),
                "{method} {uri}: {} {}",
                r.status,
                r.text()
            );
            assert_eq!(r.headers["cache-control"], "no-store");
            let text = r.text();
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{method} {uri} shows {secret}"
                );
            }
            cases += 1;
        }
    }
    cases
}

#[tokio::test]
async fn listings_show_certificates_and_thirty_days_of_scans() {
    let s = demo().await;
    assert_eq!(
        s.count("SELECT COUNT(*) FROM listings").await,
        s.count("SELECT COUNT(*) FROM products").await
    );
    for (day, lot, n) in [
        ("2026-11-23", "", 3),
        ("2026-11-22", "L2504", 2),
        ("2026-11-22", "", 1),
        ("2026-10-25", "L2510", 4),
        ("2026-10-24", "", 50),
        ("2026-11-24", "", 50),
    ] {
        sqlx::query("INSERT INTO scans (gtin, lot, day, count) VALUES ($1, $2, $3, $4)")
            .bind(TIEUCUA_GTIN)
            .bind(lot)
            .bind(day)
            .bind(n)
            .execute(&s.pool)
            .await
            .unwrap();
    }
    let a = sign_in(&s, TIEUCUA).await;
    let l: Listings = me(&s, &a, Method::GET, "/api/v1/me/products", None)
        .await
        .json();
    assert_eq!(l.today, "2026-11-23");
    assert_eq!(l.listings.len(), 1);
    let x = &l.listings[0];
    assert_eq!(x.gtin, TIEUCUA_GTIN);
    assert_eq!(x.status, ListingStatus::Published);
    assert_eq!(x.scans_30d.len(), 30);
    assert_eq!(
        (x.scans_30d[29], x.scans_30d[28], x.scans_30d[0]),
        (3, 3, 4)
    );
    assert_eq!(x.scans_30d_total, 10);
    assert_eq!(x.cert_state, CertState::Valid);

    let d: ListingDetail = me(
        &s,
        &a,
        Method::GET,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}"),
        None,
    )
    .await
    .json();
    assert_eq!(
        d.product,
        public_product(&s, TIEUCUA_GTIN).await,
        "exactly the public product"
    );
    assert_eq!(d.batches.len(), 3);
    assert_eq!(
        d.batches
            .iter()
            .map(|b| b.batch.lot.as_str())
            .collect::<Vec<_>>(),
        d.product
            .batches
            .iter()
            .map(|b| b.lot.as_str())
            .collect::<Vec<_>>()
    );
    let b = d.batches.iter().find(|b| b.batch.lot == "L2504").unwrap();
    assert_eq!(b.scans.len(), 30);
    assert_eq!(b.scans[29].day, "2026-11-23");
    assert_eq!(
        (b.scans[28].day.as_str(), b.scans[28].count),
        ("2026-11-22", 2)
    );
    assert_eq!(b.scans_total, 2);
    assert!(b.quantity.value > 0.0);

    let talu = sign_in(&s, ("talu", "tho cam ta lu dep")).await;
    let l: Listings = me(&s, &talu, Method::GET, "/api/v1/me/products", None)
        .await
        .json();
    assert_eq!(
        (l.listings[0].cert_state, l.listings[0].cert_days_left),
        (CertState::Expiring, 35)
    );
    let v = sign_in(&s, ("vinhchap", "nuoc mam vinh chap")).await;
    let l: Listings = me(&s, &v, Method::GET, "/api/v1/me/products", None)
        .await
        .json();
    assert_eq!(
        (l.listings[0].cert_state, l.listings[0].cert_days_left),
        (CertState::Expired, -9)
    );
    let k = sign_in(&s, KHESANH).await;
    let l: Listings = me(&s, &k, Method::GET, "/api/v1/me/products", None)
        .await
        .json();
    assert_eq!(
        l.listings
            .iter()
            .map(|x| x.gtin.as_str())
            .collect::<Vec<_>>(),
        KHESANH_GTINS.to_vec()
    );
}

#[tokio::test]
async fn proposals_go_public_only_when_approved() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let before = public_product(&s, TIEUCUA_GTIN).await;
    let uri = format!("/api/v1/me/products/{TIEUCUA_GTIN}/proposal");
    let new = proposal_with(&before, "Hạt tiêu Cùa, phơi nắng tự nhiên.");

    // Problems are typed per field.
    let mut bad = new.clone();
    bad.description.vi = " ".into();
    bad.photos[0].url = "https://evil.example/x.jpg".into();
    let r = me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": bad, "submit": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let e = r.error();
    assert_eq!(e.code, ErrorCode::Validation);
    let fields: Vec<(&str, &str)> = e
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("description.vi", "required"),
            ("photos.0.url", "file_id_invalid")
        ]
    );
    let r = me(&s, &a, Method::PUT, &uri, Some(&json!({"proposal": 1}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for bad_gtin in ["abc", "08930000000018", "123"] {
        let r = me(
            &s,
            &a,
            Method::GET,
            &format!("/api/v1/me/products/{bad_gtin}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad_gtin}");
        assert_eq!(code(&r), ErrorCode::BadDigitalLink);
    }
    let r = me(
        &s,
        &a,
        Method::GET,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}/batches/A%20B/label"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A draft, then sent: the public page does not change.
    let r = me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": new, "submit": false})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d: ListingDetail = r.json();
    assert_eq!(
        (d.status, d.proposal.as_ref()),
        (ListingStatus::Draft, Some(&new))
    );
    assert_eq!(d.product, before);
    assert!(s
        .officer(Method::GET, "/listings", None)
        .await
        .json::<Vec<ReviewItem>>()
        .is_empty());
    let r = me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": new, "submit": true})),
    )
    .await;
    assert_eq!(r.json::<ListingDetail>().status, ListingStatus::Pending);
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, before);
    let queue: Vec<ReviewItem> = s
        .officer(Method::GET, "/listings?status=pending", None)
        .await
        .json();
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0].gtin.as_str(), queue[0].producer_id.as_str()),
        (TIEUCUA_GTIN, "htx-tieu-cua")
    );
    assert_eq!(queue[0].proposal.as_ref(), Some(&new));
    assert!(queue[0].updated.is_some());
    assert_eq!(
        s.officer(Method::GET, "/listings?status=nope", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        s.send(Method::GET, "/api/v1/officer/listings", &[], Body::empty())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Sent back with a note: public unchanged, the producer sees the note.
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/reject"),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs a note"
    );
    assert_eq!(r.error().fields[0].field, "note");
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/reject"),
            Some(&json!({"note": "Ảnh chưa rõ nét, xin gửi ảnh khác"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json::<ReviewItem>().status,
        ListingStatus::ChangesRequested
    );
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, before);
    let d: ListingDetail = me(
        &s,
        &a,
        Method::GET,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}"),
        None,
    )
    .await
    .json();
    assert_eq!(d.status, ListingStatus::ChangesRequested);
    assert_eq!(
        d.review_note.as_deref(),
        Some("Ảnh chưa rõ nét, xin gửi ảnh khác")
    );
    assert_eq!(d.proposal.as_ref(), Some(&new), "kept for editing");
    let l: Listings = me(&s, &a, Method::GET, "/api/v1/me/products", None)
        .await
        .json();
    assert_eq!(
        l.listings[0].review_note.as_deref(),
        Some("Ảnh chưa rõ nét, xin gửi ảnh khác")
    );
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/approve"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(code(&r), ErrorCode::WrongStatus);

    // Sent again and approved: now public.
    me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": new, "submit": true})),
    )
    .await;
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/approve"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json::<ReviewItem>().status, ListingStatus::Published);
    let after = public_product(&s, TIEUCUA_GTIN).await;
    assert_eq!(after.description.vi, "Hạt tiêu Cùa, phơi nắng tự nhiên.");
    assert_eq!(after, new.apply(&before));
    let d: ListingDetail = me(
        &s,
        &a,
        Method::GET,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}"),
        None,
    )
    .await
    .json();
    assert_eq!((d.status, d.proposal), (ListingStatus::Published, None));
    assert_eq!(d.product, after);
    let r = s
        .officer(
            Method::POST,
            &format!("/listings/{TIEUCUA_GTIN}/approve"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "nothing pending any more");

    // Withdrawing a draft leaves the approved version.
    let other = proposal_with(&after, "Một bản nháp khác");
    me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": other, "submit": true})),
    )
    .await;
    let r = me(&s, &a, Method::DELETE, &uri, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let d: ListingDetail = r.json();
    assert_eq!((d.status, d.proposal), (ListingStatus::Published, None));
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, after);
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT action, actor FROM listing_reviews WHERE gtin = $1 ORDER BY id")
            .bind(TIEUCUA_GTIN)
            .fetch_all(&s.pool)
            .await
            .unwrap();
    let actions: Vec<(&str, &str)> = actions
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("saved", "producer:tieucua"),
            ("submitted", "producer:tieucua"),
            ("rejected", "officer:api"),
            ("submitted", "producer:tieucua"),
            ("approved", "officer:api"),
            ("submitted", "producer:tieucua"),
            ("withdrawn", "producer:tieucua"),
        ]
    );

    // The approved version survives a restart and a reload of the seed.
    let s = s.restart().await;
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, after);
    sqlx::query("DELETE FROM seed_runs WHERE name LIKE 'ocop-%'")
        .execute(&s.pool)
        .await
        .unwrap();
    let s = s.restart().await;
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, after);
    sign_in(&s, TIEUCUA).await;
}

#[tokio::test]
async fn labels_carry_the_canonical_digital_link() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let p = public_product(&s, TIEUCUA_GTIN).await;
    for b in &p.batches {
        let r = me(
            &s,
            &a,
            Method::GET,
            &format!("/api/v1/me/products/{TIEUCUA_GTIN}/batches/{}/label", b.lot),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let l: LabelData = r.json();
        assert!(l.uri.starts_with("http://localhost/01/"), "{}", l.uri);
        let link = gs1::parse(&l.uri).unwrap();
        assert_eq!(link.gtin, TIEUCUA_GTIN);
        assert_eq!(link.lot.as_deref(), Some(b.lot.as_str()));
        assert_eq!(link.expiry.unwrap().to_string(), b.expires);
        assert_eq!(
            (l.gtin.as_str(), l.lot.as_str(), l.expires.as_str()),
            (TIEUCUA_GTIN, b.lot.as_str(), b.expires.as_str())
        );
        assert_eq!(l.name, p.name);
        assert_eq!(l.status, b.status);
    }
    // The request's host, or the configured base.
    let r = s
        .send(
            Method::GET,
            &format!("/api/v1/me/products/{TIEUCUA_GTIN}/batches/L2504/label"),
            &[("cookie", &a.cookie), ("host", "cuaso.test:8080")],
            Body::empty(),
        )
        .await;
    assert_eq!(
        r.json::<LabelData>().uri,
        "http://cuaso.test:8080/01/08930000000019/10/L2504?17=270409"
    );
    let s = server_with(demo_day(), |st| {
        st.public_base_url = Some("https://id.quangtri.gov.vn/".into())
    })
    .await;
    let a = sign_in(&s, TIEUCUA).await;
    let l: LabelData = me(
        &s,
        &a,
        Method::GET,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}/batches/L2504/label"),
        None,
    )
    .await
    .json();
    assert_eq!(
        l.uri,
        "https://id.quangtri.gov.vn/01/08930000000019/10/L2504?17=270409"
    );
}

#[tokio::test]
async fn photos_are_checked_stored_and_served() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let upload = |bytes: Vec<u8>, ct: Option<&'static str>| {
        let a = a.clone();
        let s = &s;
        async move {
            let (mct, body) =
                multipart(&[("file", Some("photo"), "application/octet-stream", &bytes)]);
            let ct = ct.map(str::to_string).unwrap_or(mct);
            s.send(
                Method::POST,
                "/api/v1/me/photos",
                &[
                    ("cookie", &a.cookie),
                    (CSRF_HEADER, &a.csrf),
                    ("content-type", &ct),
                ],
                body,
            )
            .await
        }
    };
    let r = upload(PNG.to_vec(), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let photo: Photo = r.json();
    assert!(
        photo.url.starts_with("/api/v1/media/") && photo.url.ends_with(".png"),
        "{}",
        photo.url
    );
    assert_eq!((photo.alt.vi.as_str(), photo.alt.en.as_str()), ("", ""));
    let r = s.get(&photo.url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/png");
    assert_eq!(
        r.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.body, PNG);

    let mut webp = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
    webp.extend_from_slice(&[0u8; 32]);
    let r = upload(webp.clone(), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let w: Photo = r.json();
    assert!(w.url.ends_with(".webp"));
    assert_eq!(s.get(&w.url).await.headers["content-type"], "image/webp");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(&[0u8; 2 * 1024 * 1024 - 4]);
    assert_eq!(
        upload(jpeg.clone(), None).await.status,
        StatusCode::CREATED,
        "exactly 2 MiB"
    );
    jpeg.push(0);
    let r = upload(jpeg, None).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&r), ErrorCode::PayloadTooLarge);
    let r = upload(PDF.to_vec(), None).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&r), ErrorCode::UnsupportedType);
    let r = upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(), None).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = upload(PNG.to_vec(), Some("application/json")).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = upload(PNG.to_vec(), Some("multipart/form-data; boundary=x")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(&s, Some(&a), false, Method::POST, "/api/v1/me/photos", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(s.count("SELECT COUNT(*) FROM media").await, 3);

    for bad in [
        "/api/v1/media/0123456789abcdef0123456789abcdef.png",
        "/api/v1/media/..%2F..%2Fcuaso.db",
        "/api/v1/media/x.png",
        &photo.url.replace(".png", ".jpg"),
        &format!("{}.part", photo.url),
    ] {
        let r = s.get(bad).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(code(&r), ErrorCode::NotFound, "{bad}");
    }

    // The photo goes into a proposal.
    let mut prop = Proposal::of(&public_product(&s, TIEUCUA_GTIN).await);
    prop.photos.push(Photo {
        url: photo.url.clone(),
        alt: cuaso_domain::api::Text {
            vi: "Hạt tiêu phơi nắng".into(),
            en: String::new(),
        },
    });
    let r = me(
        &s,
        &a,
        Method::PUT,
        &format!("/api/v1/me/products/{TIEUCUA_GTIN}/proposal"),
        Some(&json!({"proposal": prop, "submit": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
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

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn the_cli_adds_producers_and_reviews_listings() {
    let s = demo().await;
    // producer add: a one-time password that must be changed.
    let o = cli(
        &s,
        &[
            "producer",
            "add",
            "--username",
            "qtorganic",
            "--producer",
            "qt-organic",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let password = text
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("{text}"))
        .trim()
        .to_string();
    assert_eq!(
        cuaso_domain::producer::check_password("qtorganic", &password),
        Ok(())
    );
    let sess = sign_in(&s, ("qtorganic", &password)).await;
    assert!(sess.session.must_change_password);
    assert_eq!(sess.session.producer_id, "qt-organic");
    for (args, want) in [
        (
            vec![
                "producer",
                "add",
                "--username",
                "qtorganic",
                "--producer",
                "qt-organic",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "producer",
                "add",
                "--username",
                "Bad Name",
                "--producer",
                "qt-organic",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "producer",
                "add",
                "--username",
                "someone",
                "--producer",
                "no-such",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec!["listing", "approve", "08930000000019"],
            "error: wrong_status: ",
        ),
        (
            vec!["listing", "approve", "12345"],
            "error: bad_digital_link: ",
        ),
        (
            vec!["listing", "approve", "08930000999993"],
            "error: product_not_found: ",
        ),
        (
            vec!["listing", "list", "--status", "nope"],
            "error: invalid_parameter: ",
        ),
    ] {
        let o = cli(&s, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", out(&o));
        assert!(err(&o).starts_with(want), "{args:?}: {}", err(&o));
    }
    let o = cli(&s, &["listing", "reject", "08930000000019"]);
    assert!(!o.status.success(), "--note is required");
    let o = cli(&s, &["producer", "list"]);
    let text = out(&o);
    assert!(text.starts_with("USERNAME"), "{text}");
    for u in ["tieucua", "talu", "khesanh", "vinhchap", "qtorganic"] {
        assert!(text.contains(u), "{u}: {text}");
    }
    assert!(out(&cli(&s, &["listing", "list"])).contains("(no listings)"));

    // Review from the command line.
    let a = sign_in(&s, TIEUCUA).await;
    let before = public_product(&s, TIEUCUA_GTIN).await;
    let uri = format!("/api/v1/me/products/{TIEUCUA_GTIN}/proposal");
    let new = proposal_with(&before, "Mô tả duyệt qua dòng lệnh");
    me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": new, "submit": true})),
    )
    .await;
    let text = out(&cli(&s, &["listing", "list"]));
    assert!(
        text.contains(TIEUCUA_GTIN) && text.contains("pending"),
        "{text}"
    );
    let o = cli(
        &s,
        &[
            "listing",
            "reject",
            "8930000000019",
            "--note",
            "Thiếu địa chỉ điểm bán",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let item: ReviewItem = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(item.status, ListingStatus::ChangesRequested);
    assert_eq!(item.review_note.as_deref(), Some("Thiếu địa chỉ điểm bán"));
    assert_eq!(public_product(&s, TIEUCUA_GTIN).await, before);
    me(
        &s,
        &a,
        Method::PUT,
        &uri,
        Some(&json!({"proposal": new, "submit": true})),
    )
    .await;
    let o = cli(
        &s,
        &["listing", "approve", TIEUCUA_GTIN, "--note", "Đã duyệt"],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        serde_json::from_slice::<ReviewItem>(&o.stdout)
            .unwrap()
            .status,
        ListingStatus::Published
    );
    assert_eq!(
        public_product(&s, TIEUCUA_GTIN).await.description.vi,
        "Mô tả duyệt qua dòng lệnh"
    );
    let (by,): (String,) = sqlx::query_as("SELECT reviewed_by FROM listings WHERE gtin = $1")
        .bind(TIEUCUA_GTIN)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(by, "officer:cli");
}

#[tokio::test]
async fn unknown_me_paths_and_methods_are_typed() {
    let s = demo().await;
    let a = sign_in(&s, TIEUCUA).await;
    let r = me(&s, &a, Method::GET, "/api/v1/me/nothing", None).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    let r = s.get("/api/v1/me/nothing").await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "no session: nothing to learn about the routes"
    );
    let r = me(&s, &a, Method::PATCH, "/api/v1/me/products", None).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
    );
    let r = call(&s, None, false, Method::GET, "/api/v1/auth/nothing", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn no_demo_accounts_in_production() {
    // A database that has the demo accounts, started again without them.
    let s = demo().await;
    sign_in(&s, TIEUCUA).await;
    let mut s = s.restart_with(|st| st.demo_accounts = false).await;
    assert_eq!(s.count("SELECT count(*) FROM accounts").await, 0);
    assert_eq!(s.count("SELECT count(*) FROM sessions").await, 0);
    let r = login_from(&s, "10.0.0.2", TIEUCUA.0, TIEUCUA.1).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error().code, ErrorCode::LoginFailed);
    // A fresh database without them never has them.
    let fresh = server_with(demo_day(), |st| st.demo_accounts = false).await;
    assert_eq!(fresh.count("SELECT count(*) FROM accounts").await, 0);
    s = s.restart_with(|st| st.demo_accounts = true).await;
    sign_in(&s, TIEUCUA).await;
}
