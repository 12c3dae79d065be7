//! Assisted applications end to end in-process: community helpers sign in
//! with the producers' session machinery, the authorisation matrix over
//! every `/api/v1/helper` and `/api/v1/me` route for both roles, consent
//! required (nothing stored otherwise), "nộp hộ bởi" for officers and the
//! secret holder only, a status-only list without personal data,
//! idempotent retries, the `helper` CLI, `--no-demo-accounts`, and the
//! migration that rebuilt `accounts` keeping accounts and sessions.

mod common;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{friday, server, server_with, Reply, TestServer, PDF};
use cuaso_domain::form::DossierReceipt;
use cuaso_domain::helper::{AssistedBy, AssistedList};
use cuaso_domain::producer::{Role, Session, CSRF_HEADER, SESSION_COOKIE};
use cuaso_domain::status::{replay, Actor, Status};
use cuaso_domain::track::{DossierView, SECRET_HEADER};
use cuaso_domain::ErrorCode;
use cuaso_server::helpers::HELPER_ROUTES;
use cuaso_server::products::ME_ROUTES;
use serde_json::{json, Value};

const GIOLINH: (&str, &str) = ("tocns.giolinh", "giup ba con nop ho so");
const CAMLO: (&str, &str) = ("tocns.camlo", "ho tro dan cam lo");
const TIEUCUA: (&str, &str) = ("tieucua", "hat tieu thom cay");

// The citizen of the birth registration.
const NAME: &str = "Nguyễn Văn An";
const CCCD: &str = "045090001234";
const CCCD_TYPED: &str = "045 090 001 234";
const PHONE: &str = "0912345678";
const PHONE_TYPED: &str = "0912 345 678";
const EMAIL: &str = "an@example.com";
const STREET: &str = "12 Lê Lợi";
// Who consented (the father registering the birth).
const CONSENT_NAME: &str = "Nguyễn Văn Bảy";
const CONSENT_PHONE: &str = "0987 654 321";
const CONSENT_PHONE_NORMAL: &str = "0987654321";

fn birth(upload: &str) -> Value {
    json!({
        "procedure": "1.001193",
        "answers": {
            "full_name": NAME,
            "birth_date": "1990-05-12",
            "cccd": CCCD_TYPED,
            "phone": PHONE_TYPED,
            "email": EMAIL,
            "address.province": "quang-tri",
            "address.commune": "Phường Đông Hà",
            "address.street": STREET,
            "relation": "father",
            "late": "no",
            "birth_proof": upload,
        }
    })
}

fn copy(name: &str) -> Value {
    json!({"procedure": "2.000635", "answers": {"full_name": name, "phone": "0987654321"}})
}

fn consent() -> Value {
    json!({"given": true, "name": CONSENT_NAME, "phone": CONSENT_PHONE})
}

fn assisted(dossier: Value, consent: Value) -> Value {
    json!({"dossier": dossier, "consent": consent})
}

#[derive(Clone)]
struct Sess {
    cookie: String,
    csrf: String,
    session: Session,
}

async fn login(s: &TestServer, user: &str, pw: &str) -> Reply {
    s.send_from(
        "10.0.0.1",
        Method::POST,
        "/api/v1/auth/login",
        &[("content-type", "application/json")],
        serde_json::to_vec(&json!({"username": user, "password": pw})).unwrap(),
    )
    .await
}

async fn sign_in(s: &TestServer, (user, pw): (&str, &str)) -> Sess {
    let r = login(s, user, pw).await;
    assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text());
    let c = r.headers["set-cookie"].to_str().unwrap().to_string();
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

/// A request with the session cookie (if any), the CSRF header (`csrf`),
/// extra headers and a JSON body.
async fn call(
    s: &TestServer,
    sess: Option<&Sess>,
    csrf: bool,
    method: Method,
    uri: &str,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let mut headers: Vec<(&str, &str)> = extra.to_vec();
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

/// `POST /api/v1/helper/dossiers` as `sess`, with the CSRF header.
async fn submit_for(s: &TestServer, sess: &Sess, key: &str, body: &Value) -> Reply {
    call(
        s,
        Some(sess),
        true,
        Method::POST,
        "/api/v1/helper/dossiers",
        &[("idempotency-key", key)],
        Some(body),
    )
    .await
}

async fn submit_ok(s: &TestServer, sess: &Sess, key: &str, body: &Value) -> DossierReceipt {
    let r = submit_for(s, sess, key, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.headers["cache-control"], "no-store");
    r.json()
}

async fn list_of(s: &TestServer, sess: &Sess) -> Reply {
    let r = call(
        s,
        Some(sess),
        false,
        Method::GET,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["cache-control"], "no-store");
    r
}

async fn codes_of(s: &TestServer, sess: &Sess) -> Vec<String> {
    list_of(s, sess)
        .await
        .json::<AssistedList>()
        .items
        .into_iter()
        .map(|i| i.code)
        .collect()
}

async fn look(s: &TestServer, code: &str, secret: Option<&str>) -> Reply {
    let mut headers = vec![];
    if let Some(x) = secret {
        headers.push((SECRET_HEADER, x));
    }
    s.send_from(
        "192.0.2.1",
        Method::GET,
        &format!("/api/v1/dossiers/{code}"),
        &headers,
        Body::empty(),
    )
    .await
}

fn code(r: &Reply) -> ErrorCode {
    r.error().code
}

/// Counts of every table a submission writes.
async fn stored(s: &TestServer) -> [i64; 5] {
    [
        s.count("SELECT COUNT(*) FROM dossiers").await,
        s.count("SELECT COUNT(*) FROM dossier_events").await,
        s.count("SELECT COUNT(*) FROM assisted_dossiers").await,
        s.count("SELECT COUNT(*) FROM idempotency").await,
        s.count("SELECT COUNT(*) FROM uploads WHERE dossier_code IS NOT NULL")
            .await,
    ]
}

fn giolinh_assist() -> AssistedBy {
    AssistedBy {
        helper: "tocns.giolinh".into(),
        helper_name: "Nguyễn Thị Hoa".into(),
        team: "Tổ công nghệ số cộng đồng xã Gio Linh".into(),
        consent_at: String::new(),
        citizen_name: CONSENT_NAME.into(),
        citizen_phone: CONSENT_PHONE_NORMAL.into(),
    }
}

#[tokio::test]
async fn helpers_sign_in_with_the_same_session_machinery() {
    let s = server().await;
    let r = login(&s, GIOLINH.0, GIOLINH.1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = r.headers["set-cookie"].to_str().unwrap();
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/api"] {
        assert!(c.contains(attr), "{attr}: {c}");
    }
    let session: Session = r.json();
    assert_eq!(session.role, Role::Helper);
    assert_eq!(session.username, "tocns.giolinh");
    assert_eq!(session.producer_id, "");
    assert_eq!(session.producer_name.vi, "");
    let h = session
        .helper
        .clone()
        .expect("a helper's session names the helper");
    assert_eq!(h.name, "Nguyễn Thị Hoa");
    assert_eq!(h.commune, "Xã Gio Linh");
    assert_eq!(h.team, "Tổ công nghệ số cộng đồng xã Gio Linh");
    let json = r.value();
    assert_eq!(json["role"], "helper");

    // A producer's session says so, with no helper.
    let p = sign_in(&s, TIEUCUA).await;
    assert_eq!(p.session.role, Role::Producer);
    assert!(p.session.helper.is_none());
    assert_eq!(p.session.producer_id, "htx-tieu-cua");

    let a = sign_in(&s, GIOLINH).await;
    let r = call(
        &s,
        Some(&a),
        false,
        Method::GET,
        "/api/v1/auth/session",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json::<Session>().helper, Some(h));

    // Idle expiry: the same 30 minutes.
    s.set_time(friday() + Duration::from_secs(31 * 60));
    let r = call(
        &s,
        Some(&a),
        false,
        Method::GET,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r), ErrorCode::SessionRequired);

    // Logout and logout-all are the producers' routes.
    let a = sign_in(&s, GIOLINH).await;
    let b = sign_in(&s, GIOLINH).await;
    let r = call(
        &s,
        Some(&a),
        true,
        Method::POST,
        "/api/v1/auth/logout",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(
        &s,
        Some(&a),
        false,
        Method::GET,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    list_of(&s, &b).await;
    let c = sign_in(&s, GIOLINH).await;
    let r = call(
        &s,
        Some(&c),
        true,
        Method::POST,
        "/api/v1/auth/logout-all",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for x in [&b, &c] {
        let r = call(
            &s,
            Some(x),
            false,
            Method::GET,
            "/api/v1/helper/dossiers",
            &[],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }

    // Five wrong passwords lock a helper's account too.
    for i in 1..=5 {
        let r = login(&s, CAMLO.0, "not the password").await;
        let want = if i < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(r.status, want, "attempt {i}");
    }
    let r = login(&s, CAMLO.0, CAMLO.1).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn authorisation_matrix_over_every_helper_and_me_route() {
    let s = server().await;
    let doc: Value = s.get("/api/v1/openapi.json").await.json();
    let documented = |prefix: &str| {
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            if !path.starts_with(prefix) {
                continue;
            }
            for method in item.as_object().unwrap().keys() {
                if ["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        out
    };
    let helper_routes: BTreeSet<(String, String)> = HELPER_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented("/api/v1/helper/"),
        helper_routes,
        "the OpenAPI document and the router list the same /helper operations"
    );
    let me_routes: BTreeSet<(String, String)> = ME_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented("/api/v1/me/"), me_routes);
    // Every /helper operation documents what the matrix checks.
    for (m, p) in &helper_routes {
        let op = &doc["paths"][p][m.to_lowercase()];
        for status in ["401", "403"] {
            assert!(
                op["responses"][status].is_object(),
                "{m} {p} documents {status}"
            );
        }
    }
    let post_op = &doc["paths"]["/api/v1/helper/dossiers"]["post"];
    assert!(post_op["responses"]["422"]["description"]
        .as_str()
        .unwrap()
        .contains("consent.given"));
    for schema in [
        "AssistedDossier",
        "Consent",
        "AssistedList",
        "AssistedItem",
        "AssistedBy",
        "HelperInfo",
        "Role",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }

    let a = sign_in(&s, GIOLINH).await;
    let b = sign_in(&s, CAMLO).await;
    let p = sign_in(&s, TIEUCUA).await;
    let body = assisted(copy("Trần Thị Cúc"), consent());
    let key = "matrix-key-0001";
    let extra = [("idempotency-key", key)];
    let mut cases = 0;
    let body_for = |m: &str| (m == "POST" || m == "PUT").then_some(&body);

    for (m, path) in &helper_routes {
        let method: Method = m.parse().unwrap();
        // No session: 401, with or without a CSRF header.
        let r = call(&s, None, false, method.clone(), path, &extra, body_for(m)).await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::UNAUTHORIZED, ErrorCode::SessionRequired),
            "{m} {path}"
        );
        assert_eq!(r.headers["cache-control"], "no-store");
        let r = s
            .send(
                method.clone(),
                path,
                &[(CSRF_HEADER, a.csrf.as_str())],
                Body::empty(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {path}");
        // A producer's session: 403 forbidden, with its CSRF header.
        let r = call(
            &s,
            Some(&p),
            true,
            method.clone(),
            path,
            &extra,
            body_for(m),
        )
        .await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{m} {path}"
        );
        assert_eq!(r.headers["cache-control"], "no-store");
        cases += 3;
        if m != "GET" {
            // Without the CSRF header: 403 csrf_required, for either role.
            for x in [&a, &p] {
                let r = call(
                    &s,
                    Some(x),
                    false,
                    method.clone(),
                    path,
                    &extra,
                    body_for(m),
                )
                .await;
                assert_eq!(
                    (r.status, code(&r)),
                    (StatusCode::FORBIDDEN, ErrorCode::CsrfRequired),
                    "{m} {path}"
                );
                // Another session's token is no token.
                let other = Sess {
                    csrf: b.csrf.clone(),
                    ..x.clone()
                };
                let r = call(
                    &s,
                    Some(&other),
                    true,
                    method.clone(),
                    path,
                    &extra,
                    body_for(m),
                )
                .await;
                assert_eq!(code(&r), ErrorCode::CsrfRequired, "{m} {path}");
                cases += 2;
            }
        }
    }
    // Nothing went through.
    assert_eq!(stored(&s).await, [0; 5]);

    // A helper's session on every /me route: 403 forbidden.
    for (m, path) in &me_routes {
        let uri = path
            .replace("{gtin}", "08930000000019")
            .replace("{lot}", "TC2501");
        let method: Method = m.parse().unwrap();
        let r = call(&s, Some(&a), true, method.clone(), &uri, &[], body_for(m)).await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{m} {uri}"
        );
        assert_eq!(r.headers["cache-control"], "no-store");
        assert!(
            !r.text().contains("tiêu"),
            "{m} {uri} shows nothing of the product"
        );
        if m != "GET" {
            // The CSRF check comes before the role.
            let r = call(&s, Some(&a), false, method.clone(), &uri, &[], body_for(m)).await;
            assert_eq!(code(&r), ErrorCode::CsrfRequired, "{m} {uri}");
            cases += 1;
        }
        let r = call(&s, None, false, method, &uri, &[], body_for(m)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {uri}");
        cases += 2;
    }
    // The producer still has its routes.
    let r = call(
        &s,
        Some(&p),
        false,
        Method::GET,
        "/api/v1/me/products",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // The shared /auth routes take both.
    for x in [&a, &p] {
        let r = call(
            &s,
            Some(x),
            false,
            Method::GET,
            "/api/v1/auth/session",
            &[],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // Unknown paths under /helper are typed, and need a helper's session.
    let r = call(
        &s,
        Some(&a),
        false,
        Method::GET,
        "/api/v1/helper/nothing",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    let r = call(
        &s,
        Some(&p),
        false,
        Method::GET,
        "/api/v1/helper/nothing",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s.get("/api/v1/helper/nothing").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(
        &s,
        Some(&a),
        true,
        Method::DELETE,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
    );

    // Each helper sees only their own dossiers.
    let mut a_codes = Vec::new();
    for (i, name) in ["Trần Thị Cúc", "Hồ Văn Đông"].iter().enumerate() {
        let r = submit_ok(
            &s,
            &a,
            &format!("giolinh-key-000{i}"),
            &assisted(copy(name), consent()),
        )
        .await;
        a_codes.push(r.code);
    }
    let b_code = submit_ok(
        &s,
        &b,
        "camlo-key-0001",
        &assisted(copy("Lê Thị Én"), consent()),
    )
    .await
    .code;
    // A citizen's own dossier is nobody's.
    let own = s
        .submit(Some("citizen-key-0001"), "vi", &copy("Phan Văn Giỏi"))
        .await;
    assert_eq!(own.status, StatusCode::CREATED);
    let own: DossierReceipt = own.json();

    let mut want_a = a_codes.clone();
    want_a.reverse(); // newest first
    assert_eq!(codes_of(&s, &a).await, want_a);
    assert_eq!(codes_of(&s, &b).await, vec![b_code.clone()]);
    let b_text = list_of(&s, &b).await.text();
    for c in a_codes.iter().chain([&own.code]) {
        assert!(!b_text.contains(c.as_str()), "B's list shows {c}");
    }
    let a_text = list_of(&s, &a).await.text();
    assert!(!a_text.contains(b_code.as_str()) && !a_text.contains(own.code.as_str()));
    cases += 4;
    // A producer cannot list them either.
    let r = call(
        &s,
        Some(&p),
        false,
        Method::GET,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.text().contains(a_codes[0].as_str()));
    eprintln!("helper authorisation matrix: {cases} cases");
    assert!(cases >= 20, "only {cases} cases");
}

#[tokio::test]
async fn consent_is_required_or_nothing_is_stored() {
    let s = server().await;
    let a = sign_in(&s, GIOLINH).await;
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let cases: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (
            json!({"given": false, "name": CONSENT_NAME, "phone": CONSENT_PHONE}),
            vec![("consent.given", "consent")],
        ),
        (
            json!({"given": true, "name": "   ", "phone": CONSENT_PHONE}),
            vec![("consent.name", "required")],
        ),
        (
            json!({"given": true, "name": CONSENT_NAME, "phone": ""}),
            vec![("consent.phone", "required")],
        ),
        (
            json!({"given": true, "name": CONSENT_NAME, "phone": "12345"}),
            vec![("consent.phone", "phone_shape")],
        ),
        (
            json!({"given": true, "name": "x".repeat(101), "phone": CONSENT_PHONE}),
            vec![("consent.name", "too_long")],
        ),
        (
            json!({"given": false, "name": "", "phone": ""}),
            vec![
                ("consent.given", "consent"),
                ("consent.name", "required"),
                ("consent.phone", "required"),
            ],
        ),
    ];
    for (i, (c, want)) in cases.iter().enumerate() {
        let key = format!("consent-key-{i:04}");
        let r = submit_for(&s, &a, &key, &assisted(birth(&up), c.clone())).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{c}: {}",
            r.text()
        );
        let e = r.error();
        assert_eq!(e.code, ErrorCode::Validation);
        let got: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(got, *want, "{c}");
        assert!(e.fields.iter().all(|f| !f.message.is_empty()));
        assert_eq!(stored(&s).await, [0; 5], "{c}: nothing stored");
        assert_eq!(s.count("SELECT COUNT(*) FROM dossier_counters").await, 0);
    }
    // A missing consent object is malformed JSON, not a dossier.
    let r = submit_for(&s, &a, "consent-key-0100", &json!({"dossier": birth(&up)})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored(&s).await, [0; 5]);
    // The answers' own problems come with the consent's, in English too.
    let mut bad = birth(&up);
    bad["answers"]["cccd"] = json!("123");
    let r = call(
        &s,
        Some(&a),
        true,
        Method::POST,
        "/api/v1/helper/dossiers",
        &[
            ("idempotency-key", "consent-key-0200"),
            ("accept-language", "en"),
        ],
        Some(&assisted(
            bad,
            json!({"given": false, "name": CONSENT_NAME, "phone": CONSENT_PHONE}),
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["cccd", "consent.given"]);
    assert!(
        e.fields[1].message.contains("consent"),
        "{}",
        e.fields[1].message
    );
    assert_eq!(stored(&s).await, [0; 5]);
    // The upload is still free to use.
    let (free,): (Option<String>,) =
        sqlx::query_as("SELECT dossier_code FROM uploads WHERE id = $1")
            .bind(&up)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(free, None);

    // A refused key is not spent: with the consent, the same key goes through.
    let r = submit_ok(&s, &a, "consent-key-0000", &assisted(birth(&up), consent())).await;
    assert_eq!(stored(&s).await, [1, 1, 1, 1, 1]);
    let (name, phone): (String, String) = sqlx::query_as(
        "SELECT consent_name, consent_phone FROM assisted_dossiers WHERE dossier_code = $1",
    )
    .bind(&r.code)
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), phone.as_str()),
        (CONSENT_NAME, CONSENT_PHONE_NORMAL)
    );
}

#[tokio::test]
async fn officers_and_the_secret_holder_see_who_submitted_it() {
    let s = server().await;
    let a = sign_in(&s, GIOLINH).await;
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let receipt = submit_ok(&s, &a, "audit-key-0001", &assisted(birth(&up), consent())).await;
    let own = s
        .submit(Some("audit-key-0002"), "vi", &copy("Phan Văn Giỏi"))
        .await;
    let own: DossierReceipt = own.json();
    let want = AssistedBy {
        consent_at: receipt.received_at.clone(),
        ..giolinh_assist()
    };

    // The citizen, with the secret.
    let r = look(&s, &receipt.code, Some(&receipt.secret)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    let private = v.private.clone().unwrap();
    assert_eq!(private.assisted_by.as_ref(), Some(&want));
    assert_eq!(private.applicant_name, NAME);
    assert_eq!(
        r.value()["private"]["assisted_by"]["helper"],
        "tocns.giolinh"
    );
    // The first step is the citizen's (the helper acted for them), and the
    // history replays as any other.
    let first = v.timeline[0].details.clone().unwrap();
    assert_eq!(
        (v.timeline[0].status, first.actor),
        (Status::New, Actor::Citizen)
    );
    let (actor,): (String,) =
        sqlx::query_as("SELECT actor FROM dossier_events WHERE dossier_code = $1 AND seq = 1")
            .bind(&receipt.code)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(actor, "helper:tocns.giolinh");

    // An officer: show and list.
    let r = s
        .officer(Method::GET, &format!("/dossiers/{}", receipt.code), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v: DossierView = r.json();
    assert_eq!(v.private.unwrap().assisted_by, Some(want.clone()));
    let r = s.officer(Method::GET, "/dossiers", None).await;
    let list: Vec<DossierView> = r.json();
    let by = |code: &str| {
        list.iter()
            .find(|v| v.code == code)
            .and_then(|v| v.private.clone())
            .map(|p| p.assisted_by)
    };
    assert_eq!(by(&receipt.code), Some(Some(want.clone())));
    assert_eq!(
        by(&own.code),
        Some(None),
        "a citizen's own dossier has no helper"
    );
    // The officer moves it on; the history still replays.
    let r = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/transitions", receipt.code),
            Some(&json!({"to": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: DossierView = r.json();
    assert_eq!(v.status, Status::Accepted);
    let evs: Vec<_> =
        cuaso_server::dossiers::events(&mut s.pool.acquire().await.unwrap(), &receipt.code)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
    assert_eq!(replay(&evs), Ok(Status::Accepted));

    // Without the secret, or with a wrong one: nothing about the helper.
    let public = look(&s, &receipt.code, None).await;
    assert_eq!(public.status, StatusCode::OK);
    let wrong = look(&s, &receipt.code, Some("AAAA-BBBB-CCCC")).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let statuses = s
        .send(
            Method::POST,
            "/api/v1/dossiers/statuses",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({"items": [{"code": receipt.code}]})).unwrap(),
        )
        .await;
    for r in [&public, &wrong, &statuses] {
        let text = r.text();
        assert!(!text.contains("assisted"), "{text}");
        for leak in [
            "tocns",
            "Nguyễn Thị Hoa",
            "Gio Linh",
            "Tổ công nghệ",
            CONSENT_NAME,
            CONSENT_PHONE_NORMAL,
            "helper",
        ] {
            assert!(!text.contains(leak), "leaks {leak}: {text}");
        }
    }
    assert!(public.value().get("private").is_none());
}

#[tokio::test]
async fn the_helpers_list_shows_status_only() {
    let s = server().await;
    let a = sign_in(&s, GIOLINH).await;
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let r = submit_ok(&s, &a, "list-key-0001", &assisted(birth(&up), consent())).await;
    let reply = list_of(&s, &a).await;
    let list: AssistedList = reply.json();
    assert_eq!(list.items.len(), 1);
    let item = &list.items[0];
    assert_eq!(item.code, r.code);
    assert_eq!(item.procedure, "1.001193");
    assert_eq!(item.procedure_name, r.procedure_name);
    assert_eq!(item.status, Status::New);
    assert_eq!(item.received_at, r.received_at);
    // Exactly these fields, nothing more.
    let v = reply.value();
    let keys: BTreeSet<&str> = v["items"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "code",
            "procedure",
            "procedure_name",
            "status",
            "received_at"
        ])
    );
    let text = reply.text();
    for personal in [
        NAME,
        "Nguyễn Văn",
        CCCD,
        CCCD_TYPED,
        PHONE,
        PHONE_TYPED,
        EMAIL,
        STREET,
        "1990-05-12",
        CONSENT_NAME,
        CONSENT_PHONE,
        CONSENT_PHONE_NORMAL,
        &r.secret,
        &up,
        "giấy chứng sinh",
        "father",
        "Đông Hà",
    ] {
        assert!(
            !text.contains(personal),
            "the list shows {personal}: {text}"
        );
    }
    // The status follows the dossier.
    let moved = s
        .officer(
            Method::POST,
            &format!("/dossiers/{}/transitions", r.code),
            Some(&json!({"to": 2})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    let list: AssistedList = list_of(&s, &a).await.json();
    assert_eq!(list.items[0].status, Status::Accepted);
}

#[tokio::test]
async fn a_retry_answers_the_same_receipt() {
    let s = server().await;
    let a = sign_in(&s, GIOLINH).await;
    let b = sign_in(&s, CAMLO).await;
    let body = assisted(copy("Trần Thị Cúc"), consent());
    let first = submit_for(&s, &a, "retry-key-0001", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = submit_for(&s, &a, "retry-key-0001", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "the same receipt, secret included");
    // From another session of the same helper (another tab, after a new sign-in).
    let a2 = sign_in(&s, GIOLINH).await;
    let third = submit_for(&s, &a2, "retry-key-0001", &body).await;
    assert_eq!((third.status, &third.body), (StatusCode::OK, &first.body));
    assert_eq!(stored(&s).await, [1, 1, 1, 1, 0]);

    // The same key with another consent, by another helper, or on the
    // citizens' route: a mismatch, never the receipt.
    let other_consent = assisted(
        copy("Trần Thị Cúc"),
        json!({"given": true, "name": "Người Khác", "phone": CONSENT_PHONE}),
    );
    let receipt: DossierReceipt = first.json();
    for r in [
        submit_for(&s, &a, "retry-key-0001", &other_consent).await,
        submit_for(&s, &b, "retry-key-0001", &body).await,
        s.submit(Some("retry-key-0001"), "vi", &copy("Trần Thị Cúc"))
            .await,
    ] {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(code(&r), ErrorCode::IdempotencyMismatch);
        assert!(!r.text().contains(&receipt.secret));
    }
    // And a citizen's key cannot be replayed by a helper.
    let own = s
        .submit(Some("retry-key-0002"), "vi", &copy("Phan Văn Giỏi"))
        .await;
    assert_eq!(own.status, StatusCode::CREATED);
    let own: DossierReceipt = own.json();
    let r = submit_for(
        &s,
        &a,
        "retry-key-0002",
        &assisted(copy("Phan Văn Giỏi"), consent()),
    )
    .await;
    assert_eq!(code(&r), ErrorCode::IdempotencyMismatch);
    assert!(!r.text().contains(&own.secret));
    assert_eq!(stored(&s).await, [2, 2, 1, 2, 0]);
    assert_eq!(codes_of(&s, &a).await, vec![receipt.code.clone()]);
    assert!(codes_of(&s, &b).await.is_empty());
    // No key: 400, nothing stored.
    let r = call(
        &s,
        Some(&a),
        true,
        Method::POST,
        "/api/v1/helper/dossiers",
        &[],
        Some(&body),
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::BAD_REQUEST, ErrorCode::MissingIdempotencyKey)
    );
    assert_eq!(stored(&s).await, [2, 2, 1, 2, 0]);
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
async fn the_cli_adds_helpers_who_change_the_password_first() {
    let s = server().await;
    let o = cli(
        &s,
        &[
            "helper",
            "add",
            "--username",
            "tocns.trieuphong",
            "--name",
            "Võ Thị Lan",
            "--commune",
            "Xã Triệu Phong",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("Tổ công nghệ số cộng đồng xã Triệu Phong"),
        "{text}"
    );
    let password = text
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("{text}"))
        .trim()
        .to_string();
    assert_eq!(
        cuaso_domain::producer::check_password("tocns.trieuphong", &password),
        Ok(())
    );
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM accounts WHERE username = 'tocns.trieuphong'")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&password));

    let sess = sign_in(&s, ("tocns.trieuphong", &password)).await;
    assert!(sess.session.must_change_password);
    assert_eq!(sess.session.role, Role::Helper);
    let h = sess.session.helper.clone().unwrap();
    assert_eq!(
        (h.name.as_str(), h.commune.as_str()),
        ("Võ Thị Lan", "Xã Triệu Phong")
    );
    // The password change is the producers' route.
    let other = sign_in(&s, ("tocns.trieuphong", &password)).await;
    let r = call(
        &s,
        Some(&sess),
        true,
        Method::POST,
        "/api/v1/auth/password",
        &[],
        Some(&json!({"current": password, "new": "tocns.trieuphong 2026"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().fields[0].code, "password_contains_username");
    let r = call(
        &s,
        Some(&sess),
        true,
        Method::POST,
        "/api/v1/auth/password",
        &[],
        Some(&json!({"current": password, "new": "giúp bà con Triệu Phong"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let changed: Session = r.json();
    assert!(!changed.must_change_password);
    assert_eq!(changed.role, Role::Helper);
    assert_eq!(changed.helper, Some(h));
    // The other session ended; this one goes on.
    let r = call(
        &s,
        Some(&other),
        false,
        Method::GET,
        "/api/v1/helper/dossiers",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    list_of(&s, &sess).await;
    assert_eq!(
        login(&s, "tocns.trieuphong", &password).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = sign_in(&s, ("tocns.trieuphong", "giúp bà con Triệu Phong")).await;
    assert!(!again.session.must_change_password);

    for (args, want) in [
        (
            vec![
                "helper",
                "add",
                "--username",
                "tocns.giolinh",
                "--name",
                "Ai Đó",
                "--commune",
                "Xã Gio Linh",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "helper",
                "add",
                "--username",
                "tieucua",
                "--name",
                "Ai Đó",
                "--commune",
                "Xã Gio Linh",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "helper",
                "add",
                "--username",
                "Bad Name",
                "--name",
                "Ai Đó",
                "--commune",
                "Xã Gio Linh",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "helper",
                "add",
                "--username",
                "someone",
                "--name",
                " ",
                "--commune",
                "Xã Gio Linh",
            ],
            "error: invalid_parameter: ",
        ),
        (
            vec![
                "helper",
                "add",
                "--username",
                "someone",
                "--name",
                "Ai Đó",
                "--commune",
                "",
            ],
            "error: invalid_parameter: ",
        ),
    ] {
        let o = cli(&s, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", out(&o));
        assert!(err(&o).starts_with(want), "{args:?}: {}", err(&o));
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM accounts WHERE username = 'someone'")
            .await,
        0
    );
    let o = cli(&s, &["helper", "add", "--username", "x", "--name", "Ai"]);
    assert!(!o.status.success(), "--commune is required");

    let text = out(&cli(&s, &["helper", "list"]));
    assert!(text.starts_with("USERNAME"), "{text}");
    for want in [
        "tocns.giolinh",
        "Nguyễn Thị Hoa",
        "tocns.camlo",
        "tocns.trieuphong",
        "Xã Triệu Phong",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("tieucua"), "{text}");
    let producers = out(&cli(&s, &["producer", "list"]));
    assert!(
        producers.contains("tieucua") && !producers.contains("tocns"),
        "{producers}"
    );
}

#[tokio::test]
async fn no_demo_accounts_removes_the_demo_helpers_but_keeps_the_audit() {
    let s = server().await;
    let a = sign_in(&s, GIOLINH).await;
    let r = submit_ok(
        &s,
        &a,
        "demo-key-0001",
        &assisted(copy("Trần Thị Cúc"), consent()),
    )
    .await;
    let o = cli(
        &s,
        &[
            "helper",
            "add",
            "--username",
            "tocns.hailang",
            "--name",
            "Hồ Thị Mai",
            "--commune",
            "Xã Hải Lăng",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let s = s.restart_with(|st| st.demo_accounts = false).await;
    assert_eq!(
        s.count("SELECT COUNT(*) FROM accounts WHERE username LIKE 'tocns.%'")
            .await,
        1,
        "only the commune's own helper is left"
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM sessions").await, 0);
    for (user, pw) in [GIOLINH, CAMLO] {
        let r = login(&s, user, pw).await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::UNAUTHORIZED, ErrorCode::LoginFailed)
        );
    }
    // The dossier still says who submitted it.
    let v: DossierView = s
        .officer(Method::GET, &format!("/dossiers/{}", r.code), None)
        .await
        .json();
    assert_eq!(
        v.private.unwrap().assisted_by,
        Some(AssistedBy {
            consent_at: r.received_at.clone(),
            ..giolinh_assist()
        })
    );
    // A fresh database without them never has them.
    let fresh = server_with(friday(), |st| st.demo_accounts = false).await;
    assert_eq!(fresh.count("SELECT COUNT(*) FROM accounts").await, 0);
    // Back on: the demo helper exists again, but does not inherit the old
    // account's dossiers (ids are never reused).
    let s = s.restart_with(|st| st.demo_accounts = true).await;
    let again = sign_in(&s, GIOLINH).await;
    assert!(codes_of(&s, &again).await.is_empty());
}

/// A database made before migration 0008 (producers' accounts only, a
/// live session, a deleted account) upgrades without losing any of it.
#[tokio::test]
async fn the_accounts_rebuild_keeps_accounts_sessions_and_ids() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let now_secs = friday().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let db = dir.path().join("data/cuaso.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let token = "T".repeat(43);
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        let mut m = sqlx::migrate::Migrator::new(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/migrations"
        )))
        .await
        .unwrap();
        let before: Vec<_> = m
            .migrations
            .iter()
            .filter(|x| x.version <= 6)
            .cloned()
            .collect();
        assert_eq!(before.len(), 6);
        m.migrations = Cow::Owned(before);
        m.run(&pool).await.unwrap();
        sqlx::query("INSERT INTO producers (id, body) VALUES ('htx-tieu-cua', '{}')")
            .execute(&pool)
            .await
            .unwrap();
        let hash = cuaso_server::accounts::hash_password("mat khau cu rat dai");
        for user in ["legacy", "gone", "legacy2"] {
            sqlx::query(
                "INSERT INTO accounts (username, producer_id, password_hash, must_change_password, \
                 created_at, password_changed_at) VALUES ($1, 'htx-tieu-cua', $2, 1, 't', 't')",
            )
            .bind(user)
            .bind(&hash)
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query("DELETE FROM accounts WHERE username IN ('gone', 'legacy2')")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf, created_at, last_seen_at) \
             VALUES ($1, 1, 'csrf-token-of-the-old-session', $2, $3)",
        )
        .bind(cuaso_server::accounts::token_hash(&token))
        .bind(now_secs)
        .bind(now_secs)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let now = Arc::new(AtomicI64::new(now_secs));
    let settings = common::settings(&dir, now.clone());
    let (app, pool) = cuaso_server::build(&settings).await.unwrap();
    let s = TestServer {
        app,
        pool,
        dir,
        pg: None,
        now,
    };

    // The account and its session survived, as a producer's.
    let sess = Sess {
        cookie: format!("{SESSION_COOKIE}={token}"),
        csrf: "csrf-token-of-the-old-session".into(),
        session: Session {
            username: String::new(),
            producer_id: String::new(),
            producer_name: Default::default(),
            csrf: String::new(),
            idle_minutes: 0,
            must_change_password: false,
            role: Role::Producer,
            helper: None,
        },
    };
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/auth/session",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let got: Session = r.json();
    assert_eq!(
        (
            got.username.as_str(),
            got.producer_id.as_str(),
            got.role,
            got.must_change_password
        ),
        ("legacy", "htx-tieu-cua", Role::Producer, true)
    );
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/me/products",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = login(&s, "legacy", "mat khau cu rat dai").await;
    assert_eq!(r.status, StatusCode::OK);
    // The sessions table still references the new accounts table.
    let (fk,): (String,) =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_list('sessions')")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(fk, "accounts");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM pragma_foreign_key_check")
            .await,
        0
    );
    // Deleted ids are not handed out again.
    let (max_new,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM accounts WHERE username NOT IN ('legacy')")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert!(
        max_new > 3,
        "new accounts start after the deleted ones: {max_new}"
    );
    // Deleting an account still ends its sessions.
    sqlx::query("DELETE FROM accounts WHERE username = 'legacy'")
        .execute(&s.pool)
        .await
        .unwrap();
    let r = call(
        &s,
        Some(&sess),
        false,
        Method::GET,
        "/api/v1/auth/session",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM sessions WHERE account_id = 1")
            .await,
        0
    );
}
