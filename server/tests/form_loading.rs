//! Loading the online forms into the database: served with the procedure,
//! checked at start-up, reloaded when the file changes, never twice.

mod common;

use cuaso_domain::api::Procedure;
use cuaso_domain::form::FieldKind;
use cuaso_server::infra::db;

#[tokio::test]
async fn a_procedure_with_a_form_serves_it() {
    let s = common::server().await;
    let p: Procedure = s.get("/api/v1/procedures/1.001193").await.json();
    let form = p.form.expect("the birth registration has a form");
    assert!(form.check().is_ok());
    assert!(matches!(
        form.field("cccd").unwrap().kind,
        FieldKind::Cccd { .. }
    ));
    let p: Procedure = s.get("/api/v1/procedures/1.000656").await.json();
    assert!(p.form.is_none(), "no form in the fixture");
    let raw = s.get("/api/v1/procedures/1.000656").await.value();
    assert!(raw.get("form").is_none(), "absent, not null");
}

#[tokio::test]
async fn reseeding_is_idempotent_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let count = |pool: sqlx::AnyPool| async move {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM procedure_forms")
            .fetch_one(&pool)
            .await
            .unwrap();
        let (runs,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM seed_runs WHERE name LIKE 'forms-%'")
                .fetch_one(&pool)
                .await
                .unwrap();
        pool.close().await;
        (n, runs)
    };
    let pool =
        db::open_with_forms(db::Target::File(&path), common::FORMS)
            .await
            .unwrap();
    assert_eq!(count(pool).await, (4, 1));
    let pool =
        db::open_with_forms(db::Target::File(&path), common::FORMS)
            .await
            .unwrap();
    assert_eq!(count(pool).await, (4, 1), "same file: nothing done");

    // A new version drops a form and changes another.
    let mut v: serde_json::Value = serde_json::from_str(common::FORMS).unwrap();
    v.as_object_mut().unwrap().remove("2.000884");
    v["1.001456"]["agency_code"] = "QT.CA".into();
    let pool =
        db::open_with_forms(db::Target::File(&path), &v.to_string())
            .await
            .unwrap();
    let cat = db::Catalogue::load(&pool).await.unwrap();
    assert_eq!(cat.online["1.001456"].agency_code, "QT.CA");
    assert!(!cat.online.contains_key("2.000884"));
    assert!(cat.procedure("2.000884").unwrap().form.is_none());
    assert_eq!(count(pool).await, (3, 2));
}

#[tokio::test]
async fn a_broken_form_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut v: serde_json::Value = serde_json::from_str(common::FORMS).unwrap();
    // A condition on a field that does not exist.
    v["2.000635"]["form"]["pages"][1]["show_if"] =
        serde_json::json!({"field": "nope", "equals": "x"});
    let err =
        db::open_with_forms(db::Target::File(&path), &v.to_string())
            .await
            .unwrap_err();
    assert!(err.to_string().contains("2.000635"), "{err}");

    for (code, entry) in [
        ("9.999999", common_entry("QT.XA")),
        ("not-a-code", common_entry("QT.XA")),
        ("2.000635", common_entry("qt-xa")),
    ] {
        let json = serde_json::json!({ code: entry }).to_string();
        let err = db::open_with_forms(
            db::Target::File(&dir.path().join(format!("{code}.db"))),
            &json,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("seed forms"), "{code}: {err}");
    }
    // Unknown keys are a mistake too.
    let mut v: serde_json::Value = serde_json::from_str(common::FORMS).unwrap();
    v["2.000635"]["agency"] = "x".into();
    assert!(db::open_with_forms(
        db::Target::File(&dir.path().join("k.db")),
        &v.to_string()
    )
    .await
    .is_err());
}

fn common_entry(agency: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(common::FORMS).unwrap();
    let mut e = v["2.000635"].clone();
    e["agency_code"] = agency.into();
    e
}

#[tokio::test]
async fn the_real_seed_loads_and_every_form_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let settings = cuaso_server::Settings::new(dir.path().join("data/cuaso.db"), dist);
    let (app, pool) = cuaso_server::build(&settings).await.unwrap();
    let forms = db::parse_forms(db::SEED_FORMS).unwrap();
    assert!(
        forms.contains_key("1.001193"),
        "birth registration has a form"
    );
    let cat = db::Catalogue::load(&pool).await.unwrap();
    for (code, entry) in &forms {
        let p = cat.procedure(code).unwrap();
        assert_eq!(p.form.as_ref(), Some(&entry.form), "{code}");
        assert_eq!(cat.online[code].agency_code, entry.agency_code);
    }
    use tower::ServiceExt;
    let res = app
        .oneshot(
            axum::http::Request::get("/api/v1/procedures/1.001193")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    use http_body_util::BodyExt;
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let p: Procedure = serde_json::from_slice(&body).unwrap();
    assert_eq!(p.form.as_ref(), Some(&forms["1.001193"].form));
}
