//! The answers the API gives are the ones its OpenAPI document declares:
//! regressions for what schemathesis (`scripts/fuzz-api.sh`) found. A body
//! that is not JSON, or JSON of the wrong shape, gets a status the route
//! declares (it got an undeclared 400 or 415 on ten routes), and photos are
//! served with a content type the route declares (PNGs were declared JPEG).

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use cuaso_domain::form::DossierReceipt;
use cuaso_server::routes::ApiDoc;
use serde_json::{json, Value};
use utoipa::OpenApi;

fn doc() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap()
}

fn operation<'a>(doc: &'a Value, method: &Method, path: &str) -> &'a Value {
    let op = &doc["paths"][path][method.as_str().to_ascii_lowercase()];
    assert!(op.is_object(), "{method} {path} is not in the document");
    op
}

fn declared(doc: &Value, method: &Method, path: &str, status: StatusCode) -> bool {
    operation(doc, method, path)["responses"]
        .get(status.as_str())
        .is_some()
}

fn content_types(doc: &Value, method: &Method, path: &str, status: StatusCode) -> Vec<String> {
    operation(doc, method, path)["responses"][status.as_str()]["content"]
        .as_object()
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

async fn sign_in(s: &TestServer, user: &str, password: &str) -> (String, String) {
    let r = s
        .send(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({"username": user, "password": password})).unwrap(),
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
    (cookie, r.value()["csrf"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn bad_json_bodies_get_declared_statuses() {
    let s = server().await;
    let doc = doc();
    let r = s
        .submit(
            Some("openapi-dossier-1"),
            "vi",
            &json!({"procedure": "2.000635", "answers": {"full_name": "An", "phone": "0987654321"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let d: DossierReceipt = r.json();
    let (cookie, csrf) = sign_in(&s, "tieucua", "hat tieu thom cay").await;
    let bearer = format!("Bearer {OFFICER_TOKEN}");
    let secret = [("x-dossier-secret", d.secret.as_str())];
    let officer = [("authorization", bearer.as_str())];
    let session = [("cookie", cookie.as_str()), ("x-cuaso-csrf", csrf.as_str())];
    let code = &d.code;
    let routes: Vec<(Method, &str, String, &[(&str, &str)])> = vec![
        (
            Method::POST,
            "/api/v1/dossiers/statuses",
            "/api/v1/dossiers/statuses".into(),
            &[],
        ),
        (
            Method::POST,
            "/api/v1/dossiers/{code}/supplements",
            format!("/api/v1/dossiers/{code}/supplements"),
            &secret,
        ),
        (
            Method::POST,
            "/api/v1/dossiers/{code}/withdraw",
            format!("/api/v1/dossiers/{code}/withdraw"),
            &secret,
        ),
        (
            Method::POST,
            "/api/v1/dossiers/{code}/rating",
            format!("/api/v1/dossiers/{code}/rating"),
            &secret,
        ),
        (
            Method::POST,
            "/api/v1/officer/dossiers/{code}/transitions",
            format!("/api/v1/officer/dossiers/{code}/transitions"),
            &officer,
        ),
        (
            Method::POST,
            "/api/v1/officer/dossiers/{code}/payment",
            format!("/api/v1/officer/dossiers/{code}/payment"),
            &officer,
        ),
        (
            Method::POST,
            "/api/v1/officer/dossiers/{code}/result",
            format!("/api/v1/officer/dossiers/{code}/result"),
            &officer,
        ),
        (
            Method::PUT,
            "/api/v1/me/products/{gtin}/proposal",
            "/api/v1/me/products/08930000000019/proposal".into(),
            &session,
        ),
        (
            Method::POST,
            "/api/v1/auth/password",
            "/api/v1/auth/password".into(),
            &session,
        ),
        (
            Method::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login".into(),
            &[],
        ),
    ];
    let bodies: [(&str, Option<&str>, &str); 4] = [
        ("no content type", None, "{}"),
        ("text/plain", Some("text/plain"), "{}"),
        ("malformed JSON", Some("application/json"), "{\"a\":"),
        ("JSON of the wrong shape", Some("application/json"), "{\"amount\": -1, \"stars\": -1, \"note\": false, \"reason\": false, \"upload\": {}, \"items\": 3, \"username\": 1}"),
    ];
    for (method, template, uri, auth) in &routes {
        for (what, ct, body) in bodies {
            let mut headers: Vec<(&str, &str)> = auth.to_vec();
            if let Some(ct) = ct {
                headers.push(("content-type", ct));
            }
            let r = s
                .send(method.clone(), uri, &headers, Body::from(body.to_string()))
                .await;
            assert!(
                r.status.is_client_error(),
                "{method} {uri}, {what}: {} {}",
                r.status,
                r.text()
            );
            assert!(
                declared(&doc, method, template, r.status),
                "{method} {template}, {what}: {} is not declared ({})",
                r.status,
                r.text()
            );
        }
    }
}

#[tokio::test]
async fn png_photos_are_served_as_declared() {
    let s = server().await;
    let doc = doc();
    // A feedback report with a PNG photo, read with its secret.
    let photo = s.upload_id("a.png", PNG).await;
    let r = s
        .send(
            Method::POST,
            "/api/v1/feedback",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "openapi-feedback-1"),
            ],
            serde_json::to_vec(&json!({
                "category": "roads",
                "title": "Đèn đường hỏng trên đường Lê Lợi",
                "description": "Ba cột đèn không sáng từ tuần trước, buổi tối rất tối.",
                "photos": [photo],
                "location": {"commune": "Phường Đông Hà", "address": "Số 12 Lê Lợi"},
            }))
            .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (code, secret) = (
        r.value()["code"].as_str().unwrap().to_string(),
        r.value()["secret"].as_str().unwrap().to_string(),
    );
    let r = s
        .send(
            Method::GET,
            &format!("/api/v1/feedback/{code}/photos/0"),
            &[("x-feedback-secret", secret.as_str())],
            Body::empty(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["content-type"], "image/png");
    let declared = content_types(
        &doc,
        &Method::GET,
        "/api/v1/feedback/{code}/photos/{n}",
        StatusCode::OK,
    );
    assert!(declared.contains(&"image/png".to_string()), "{declared:?}");
    assert!(declared.contains(&"image/jpeg".to_string()), "{declared:?}");

    // A producer's photo, served from /api/v1/media.
    let (cookie, csrf) = sign_in(&s, "tieucua", "hat tieu thom cay").await;
    let (ct, body) = multipart(&[("file", Some("a.png"), "image/png", PNG)]);
    let r = s
        .send(
            Method::POST,
            "/api/v1/me/photos",
            &[
                ("content-type", &ct),
                ("cookie", &cookie),
                ("x-cuaso-csrf", &csrf),
            ],
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let url = r.value()["url"].as_str().unwrap().to_string();
    let r = s.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["content-type"], "image/png");
    let declared = content_types(&doc, &Method::GET, "/api/v1/media/{name}", StatusCode::OK);
    for t in ["image/jpeg", "image/png", "image/webp"] {
        assert!(declared.contains(&t.to_string()), "{t}: {declared:?}");
    }
}
