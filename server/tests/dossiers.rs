//! `POST /api/v1/dossiers`: validation with the shared domain rules, file
//! answers against real uploads, codes, dates and fees, idempotency
//! (retries, conflicts, concurrency, restarts).

mod common;

use axum::http::{Method, StatusCode};
use common::{birth, server, server_at, TestServer, PDF, PNG};
use cuaso_domain::form::DossierReceipt;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use cuaso_server::infra::clock::vn_time;
use serde_json::{json, Value};


fn copy_request(name: &str) -> Value {
    json!({
        "procedure": "2.000635",
        "answers": { "full_name": name, "phone": "0987654321" }
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    let answers = v["answers"].as_object_mut().unwrap();
    if value.is_null() {
        answers.remove(key);
    } else {
        answers.insert(key.to_string(), value);
    }
    v
}

async fn created(s: &TestServer, key: &str, body: &Value) -> DossierReceipt {
    let r = s.submit(Some(key), "vi", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    r.json()
}

/// The validation problems of a refused submission, as (field, code).
async fn problems(s: &TestServer, body: &Value) -> Vec<(String, String)> {
    let r = s.submit(Some("validation-key"), "en", body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let e: ApiErrorBody = r.error();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(!e.fields.is_empty());
    for f in &e.fields {
        assert!(!f.message.is_empty(), "{f:?} has a message");
    }
    e.fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn pair(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), code.to_string())]
}

#[tokio::test]
async fn a_valid_application_becomes_a_dossier() {
    let s = server().await;
    let up = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let r = created(&s, "first-application", &birth(&up)).await;
    assert_eq!(r.code, "QT.XA-250307-0001");
    assert_eq!(r.secret.len(), 8);
    assert!(r
        .secret
        .chars()
        .all(|c| "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)));
    assert_eq!(r.procedure, "1.001193");
    assert_eq!(r.procedure_name.vi, "Đăng ký khai sinh");
    assert_eq!(r.status, 1);
    assert_eq!(r.received_at, "2025-03-07T10:00:00+07:00");
    // Received Friday, 1 working day: Monday, over the weekend.
    assert_eq!(r.promised_date, "2025-03-10");
    assert_eq!(r.fee, 0);
    assert!(r.payment.is_none(), "nothing to pay");
    assert_eq!(r.agency.vi, "Ủy ban nhân dân cấp xã");
    assert!(r.contact.vi.contains("0233 3852 000"));

    // What was stored: cleaned answers, only a hash of the secret, one event,
    // the upload attached to its slot.
    let (procedure, agency, hash, status, answers, lang): (String, String, String, i64, String, String) =
        sqlx::query_as(
            "SELECT procedure_code, agency_code, secret_hash, status, answers, lang FROM dossiers WHERE code = $1",
        )
        .bind(&r.code)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(
        (procedure.as_str(), agency.as_str(), status),
        ("1.001193", "QT.XA", 1)
    );
    assert_eq!(lang, "vi");
    assert_eq!(
        hash,
        cuaso_server::http::gate::secret_hash(&r.code, &r.secret)
    );
    assert!(!hash.contains(&r.secret));
    let answers: Value = serde_json::from_str(&answers).unwrap();
    assert_eq!(answers["phone"], "0912345678");
    assert_eq!(answers["cccd"], "045090001234");
    assert_eq!(answers["birth_proof"], up.as_str());
    let (seq, status, at, actor, reason): (i64, i64, String, String, Option<String>) =
        sqlx::query_as(
            "SELECT seq, status, at, actor, reason FROM dossier_events WHERE dossier_code = $1",
        )
        .bind(&r.code)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(
        (seq, status, at.as_str(), actor.as_str(), reason),
        (1, 1, "2025-03-07T10:00:00+07:00", "citizen", None)
    );
    let (dossier, field): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT dossier_code, field FROM uploads WHERE id = $1")
            .bind(&up)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(dossier.as_deref(), Some(r.code.as_str()));
    assert_eq!(field.as_deref(), Some("birth_proof"));
}

#[tokio::test]
async fn codes_count_per_agency_and_day() {
    let s = server().await;
    let a = created(&s, "copy-one-0001", &copy_request("Lê Thị Bình")).await;
    let b = created(&s, "copy-two-0002", &copy_request("Trần Văn Cường")).await;
    assert_eq!(a.code, "QT.XA-250307-0001");
    assert_eq!(b.code, "QT.XA-250307-0002");
    // Another agency has its own counter.
    let p = created(
        &s,
        "passport-0001",
        &json!({"procedure": "1.001456", "answers": {"full_name": "Phạm Thu Hà"}}),
    )
    .await;
    assert_eq!(p.code, "QT.CA.XNC-250307-0001");
    // A new day starts again at 1: a minute after midnight in Vietnam
    // (still the evening before in UTC).
    s.set_time(vn_time(2025, 3, 8, 0, 1));
    let c = created(&s, "copy-three-03", &copy_request("Võ Minh Đức")).await;
    assert_eq!(c.code, "QT.XA-250308-0001");
    assert_eq!(c.received_at, "2025-03-08T00:01:00+07:00");
    // Received on a Saturday: counts from Monday, so 1 working day is Tuesday.
    assert_eq!(c.promised_date, "2025-03-11");
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 4);
}

#[tokio::test]
async fn fees_come_with_where_to_pay() {
    let s = server().await;
    let r = created(&s, "copy-with-fee", &copy_request("Lê Thị Bình")).await;
    assert_eq!(r.fee, 8000);
    let pay = r.payment.expect("a fee is due");
    assert_eq!(pay.bank_bin, "970415");
    assert_eq!(pay.bank_name, "VietinBank");
    assert_eq!(pay.account, "0000000000");
    assert_eq!(pay.account_name, "DEMO - KHONG CHUYEN TIEN");
    let p = created(
        &s,
        "passport-fee",
        &json!({"procedure": "1.001456", "answers": {"full_name": "Phạm Thu Hà"}}),
    )
    .await;
    assert_eq!(p.fee, 200_000);
    assert!(p.payment.is_some());
    // 8 working days from Friday 7 March 2025: 10–14, 17–19 March.
    assert_eq!(p.promised_date, "2025-03-19");
    let (fee,): (i64,) = sqlx::query_as("SELECT fee FROM dossiers WHERE code = $1")
        .bind(&p.code)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(fee, 200_000);
}

#[tokio::test]
async fn promised_dates_skip_holidays() {
    // Tuesday 29 April 2025, 5 working days: 30/4 and 1/5 are holidays
    // (and 2/5 a day off in exchange), then the weekend.
    let s = server_at(vn_time(2025, 4, 29, 9, 0)).await;
    let r = created(
        &s,
        "holiday-passport",
        &json!({"procedure": "1.001456", "answers": {"full_name": "Phạm Thu Hà"}}),
    )
    .await;
    let expected =
        cuaso_domain::date::add_working_days(cuaso_domain::Date::new(2025, 4, 29).unwrap(), 8);
    assert_eq!(r.promised_date, expected.to_string());
    assert!(
        r.promised_date.as_str() > "2025-05-09",
        "{}",
        r.promised_date
    );
}

#[tokio::test]
async fn a_dossier_received_past_the_announced_holidays_still_gets_a_promised_date() {
    // Monday 30 December 2030, 8 working days: 31/12, then 2, 3, 6–10
    // January 2031 (New Year's Day estimated from the statutory rules).
    let s = server_at(vn_time(2030, 12, 30, 9, 0)).await;
    let r = created(
        &s,
        "passport-2030",
        &json!({"procedure": "1.001456", "answers": {"full_name": "Phạm Thu Hà"}}),
    )
    .await;
    assert_eq!(r.promised_date, "2031-01-10");
}

#[tokio::test]
async fn the_same_key_twice_gives_the_same_receipt_and_one_dossier() {
    let s = server().await;
    let body = copy_request("Lê Thị Bình");
    let first = s.submit(Some("retry-key-123"), "vi", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = s.submit(Some("retry-key-123"), "vi", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "byte-identical, secret included");
    // A different language does not make it another request.
    let en = s.submit(Some("retry-key-123"), "en", &body).await;
    assert_eq!(en.body, first.body);
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 1);
    assert_eq!(s.count("SELECT COUNT(*) FROM dossier_events").await, 1);

    // The same key with another body is refused, and nothing is created.
    let other = copy_request("Trần Văn Cường");
    let r = s.submit(Some("retry-key-123"), "vi", &other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().code, ErrorCode::IdempotencyMismatch);
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 1);
}

#[tokio::test]
async fn a_missing_or_malformed_key_is_a_400() {
    let s = server().await;
    let body = copy_request("Lê Thị Bình");
    let r = s.submit(None, "vi", &body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e = r.error();
    assert_eq!(e.code, ErrorCode::MissingIdempotencyKey);
    assert_eq!(e.field.as_deref(), Some("Idempotency-Key"));
    let long = "k".repeat(65);
    for bad in [
        "short",
        "has space in",
        "bad/char/key",
        "ключ-ключ-ключ",
        long.as_str(),
        "",
    ] {
        let r = s
            .send(
                Method::POST,
                "/api/v1/dossiers",
                &[
                    ("content-type", "application/json"),
                    ("idempotency-key", bad),
                ],
                serde_json::to_vec(&body).unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(r.error().code, ErrorCode::MissingIdempotencyKey, "{bad:?}");
    }
    // 8 and 64 characters are fine.
    created(&s, "abcd-_12", &body).await;
    assert_eq!(
        s.submit(Some(&"K".repeat(64)), "vi", &copy_request("X Y"))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_with_one_key_make_one_dossier() {
    let s = server().await;
    let body = copy_request("Lê Thị Bình");
    for round in 0..5 {
        let key = format!("concurrent-key-{round}");
        let (a, b, c) = tokio::join!(
            s.submit(Some(&key), "vi", &body),
            s.submit(Some(&key), "vi", &body),
            s.submit(Some(&key), "vi", &body),
        );
        let mut statuses = vec![a.status, b.status, c.status];
        statuses.sort();
        assert_eq!(
            statuses,
            vec![StatusCode::OK, StatusCode::OK, StatusCode::CREATED],
            "{} {} {}",
            a.text(),
            b.text(),
            c.text()
        );
        assert_eq!(a.body, b.body);
        assert_eq!(b.body, c.body);
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 5);
    // Spawned on the runtime's threads too.
    let s = std::sync::Arc::new(s);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let s = s.clone();
            let body = body.clone();
            tokio::spawn(async move { s.submit(Some("spawned-key-1"), "vi", &body).await })
        })
        .collect();
    let mut bodies = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert!(r.status.is_success(), "{}", r.text());
        bodies.push(r.body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_upload_cannot_go_into_two_dossiers() {
    let s = server().await;
    let up = s.upload_id("a.pdf", PDF).await;
    // At the same time, under different keys: exactly one wins.
    let body = birth(&up);
    let (a, b) = tokio::join!(
        s.submit(Some("upload-race-a"), "vi", &body),
        s.submit(Some("upload-race-b"), "vi", &body),
    );
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        vec![StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY]
    );
    let loser = if a.status == StatusCode::CREATED {
        &b
    } else {
        &a
    };
    let e = loser.error();
    assert_eq!(e.fields[0].field, "birth_proof");
    assert_eq!(e.fields[0].code, "upload_in_use");
    // And later, one after the other.
    let r = s.submit(Some("upload-later-c"), "vi", &birth(&up)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().fields[0].code, "upload_in_use");
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 1);
}

#[tokio::test]
async fn file_answers_are_checked_against_the_uploads() {
    let s = server().await;
    let pdf = s.upload_id("a.pdf", PDF).await;
    let png = s.upload_id("a.png", PNG).await;
    // A PDF in a PNG-only slot.
    let body = with(birth(&png), "photo", json!(pdf));
    let r = s.submit(Some("wrong-type-key"), "en", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].field, "photo");
    assert_eq!(e.fields[0].code, "file_type");
    assert_eq!(e.fields[0].args, vec!["PNG".to_string()]);
    assert_eq!(e.fields[0].message, "Upload a PNG file");

    // A PNG over the slot's 1000 bytes.
    let big = s.upload_id("big.png", &common::png_of(1001)).await;
    let body = with(birth(&pdf), "photo", json!(big));
    let r = s.submit(Some("too-big-key1"), "vi", &body).await;
    let e = r.error();
    assert_eq!(e.fields[0].code, "file_too_large");
    assert_eq!(e.fields[0].args, vec!["1000".to_string()]);
    assert_eq!(e.fields[0].message, "Tệp phải nhỏ hơn hoặc bằng 1 KB");

    // Unknown, malformed, repeated ids.
    let missing = "0123456789abcdef0123456789abcdef";
    assert_eq!(
        problems(&s, &birth(missing)).await,
        pair("birth_proof", "upload_missing")
    );
    assert_eq!(
        problems(&s, &birth("../../etc/passwd")).await,
        pair("birth_proof", "file_id_invalid")
    );
    let three = format!("{pdf},{png},{big}");
    assert_eq!(
        problems(&s, &birth(&three)).await,
        pair("birth_proof", "too_many_files")
    );
    assert_eq!(
        problems(&s, &with(birth(&png), "photo", json!(png))).await,
        pair("photo", "upload_in_use")
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 0);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM uploads WHERE dossier_code IS NOT NULL")
            .await,
        0,
        "a refused submission attaches nothing"
    );

    // Two files in a two-file slot, and the photo: all attached.
    let two = format!("{pdf},{png}");
    let png2 = s.upload_id("b.png", PNG).await;
    let r = created(
        &s,
        "two-files-key",
        &with(birth(&two), "photo", json!(png2)),
    )
    .await;
    let n = sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM uploads WHERE dossier_code = $1")
        .bind(&r.code)
        .fetch_one(&s.pool)
        .await
        .unwrap()
        .0;
    assert_eq!(n, 3);
}

#[tokio::test]
async fn every_field_kind_is_checked_on_the_server() {
    let s = server().await;
    let up = s.upload_id("a.pdf", PDF).await;
    let ok = birth(&up);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "full_name",
            json!("a".repeat(10 * 1024)),
            "full_name",
            "too_long",
        ),
        (
            "full_name",
            json!("An\u{202E}ệ"),
            "full_name",
            "invalid_chars",
        ),
        ("full_name", json!("   "), "full_name", "required"),
        (
            "birth_date",
            json!("2025-03-08"),
            "birth_date",
            "birth_in_future",
        ),
        (
            "birth_date",
            json!("1990-02-30"),
            "birth_date",
            "date_invalid",
        ),
        (
            "birth_date",
            json!("1850-01-01"),
            "birth_date",
            "date_too_old",
        ),
        ("cccd", json!("999090001234"), "cccd", "cccd_province"),
        ("cccd", json!("04509000123"), "cccd", "cccd_shape"),
        ("cccd", json!("045590001234"), "cccd", "cccd_century"),
        // Century digit 2 says born in 2090, the form says 1990.
        ("cccd", json!("045290001234"), "cccd", "cccd_birth_mismatch"),
        ("phone", json!("0212345678"), "phone", "phone_prefix"),
        ("phone", json!("09123"), "phone", "phone_shape"),
        ("phone", Value::Null, "phone", "required"),
        ("email", json!("an@@example.com"), "email", "email"),
        ("email", json!("an@localhost"), "email", "email"),
        (
            "address.province",
            json!("atlantis"),
            "address.province",
            "province_unknown",
        ),
        ("address.commune", json!(""), "address.commune", "required"),
        (
            "address.street",
            json!("x".repeat(201)),
            "address.street",
            "too_long",
        ),
        ("relation", json!("uncle"), "relation", "not_an_option"),
        ("relation", Value::Null, "relation", "required_choice"),
        ("late", json!("maybe"), "late", "not_yes_no"),
        ("birth_proof", Value::Null, "birth_proof", "required_file"),
    ];
    for (key, value, field, code) in cases {
        let body = with(ok.clone(), key, value.clone());
        let got = problems(&s, &body).await;
        if key == "birth_date" {
            // The CCCD number is checked against the birth date too.
            assert_eq!(got[0], pair(field, code)[0], "{key} = {value}");
        } else {
            assert_eq!(got, pair(field, code), "{key} = {value}");
        }
    }
    // The typed body in full, in Vietnamese by default.
    let body = with(
        with(ok.clone(), "phone", json!("0212345678")),
        "cccd",
        json!("999090001234"),
    );
    let r = s.submit(Some("typed-body-key"), "vi-VN", &body).await;
    let e = r.error();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.fields.len(), 2);
    // In form order: the CCCD page comes before the phone page.
    assert_eq!(e.fields[0].field, "cccd");
    assert_eq!(e.fields[0].code, "cccd_province");
    assert_eq!(e.fields[0].args, vec!["999".to_string()]);
    assert!(
        e.fields[0].message.starts_with("Mã tỉnh 999"),
        "{}",
        e.fields[0].message
    );
    assert_eq!(e.fields[1].field, "phone");
    assert_eq!(e.fields[1].args, vec!["021".to_string()]);
    let raw = r.value();
    assert_eq!(raw["fields"][1]["code"], "phone_prefix");
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 0);
    // A refused key is not used up: the corrected request goes through.
    created(&s, "typed-body-key", &ok).await;
}

#[tokio::test]
async fn conditional_fields_count_only_when_shown() {
    let s = server().await;
    let up = s.upload_id("a.pdf", PDF).await;
    // Hidden: anything goes, and nothing of it is kept.
    let body = with(
        with(birth(&up), "relation_note", json!("\u{0}".repeat(5000))),
        "late_reason",
        json!("x".repeat(10_000)),
    );
    let body = with(body, "not_a_field", json!("<script>alert(1)</script>"));
    let r = created(&s, "hidden-fields-1", &body).await;
    let (answers,): (String,) = sqlx::query_as("SELECT answers FROM dossiers WHERE code = $1")
        .bind(&r.code)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    let answers: Value = serde_json::from_str(&answers).unwrap();
    for hidden in ["relation_note", "late_reason", "not_a_field"] {
        assert!(answers.get(hidden).is_none(), "{hidden} dropped");
    }
    // Shown: required like any other.
    let up = s.upload_id("b.pdf", PDF).await;
    let shown = with(birth(&up), "relation", json!("other"));
    assert_eq!(
        problems(&s, &shown).await,
        pair("relation_note", "required")
    );
    let late = with(birth(&up), "late", json!("yes"));
    assert_eq!(problems(&s, &late).await, pair("late_reason", "required"));
    let late = with(late, "late_reason", json!("Ốm"));
    created(&s, "late-reason-2", &late).await;
}

#[tokio::test]
async fn procedures_that_cannot_be_applied_for_online() {
    let s = server().await;
    let body = |code: &str| json!({"procedure": code, "answers": {"full_name": "An", "phone": "0912345678"}});
    // Has a form, but online "none".
    let r = s
        .submit(Some("not-online-1"), "vi", &body("2.000884"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().code, ErrorCode::NotOnline);
    // No form.
    let r = s
        .submit(Some("not-online-2"), "vi", &body("1.000656"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().code, ErrorCode::NotOnline);
    let r = s
        .submit(Some("not-online-3"), "vi", &body("9.999999"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::ProcedureNotFound);
    let r = s
        .submit(Some("not-online-4"), "vi", &body("../1.001193"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().code, ErrorCode::InvalidCode);
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 0);
}

#[tokio::test]
async fn bad_bodies_get_typed_4xx_never_5xx() {
    let s = server().await;
    let key = ("idempotency-key", "bad-bodies-key");
    let json_ct = ("content-type", "application/json");
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<u8>, StatusCode, ErrorCode);
    let cases: Vec<Case> = vec![
        (
            vec![json_ct, key],
            b"{not json".to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        ),
        (
            vec![json_ct, key],
            b"".to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        ),
        (
            vec![json_ct, key],
            br#"{"procedure":"1.001193"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        ),
        (
            vec![json_ct, key],
            br#"{"procedure":"1.001193","answers":{"phone":912345678}}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        ),
        (
            vec![json_ct, key],
            br#"[1,2,3]"#.to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        ),
        (
            vec![("content-type", "text/plain"), key],
            br#"{"procedure":"1.001193","answers":{}}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedType,
        ),
        (
            vec![key],
            br#"{"procedure":"1.001193","answers":{}}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedType,
        ),
    ];
    for (headers, body, status, code) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let r = s
            .send(Method::POST, "/api/v1/dossiers", &headers, body)
            .await;
        assert_eq!(r.status, status, "{shown}: {}", r.text());
        assert_eq!(r.error().code, code, "{shown}");
    }
    // Over 256 KiB: a typed 413, not axum's plain text.
    let huge = json!({"procedure": "1.001193", "answers": {"full_name": "a".repeat(300 * 1024)}});
    let r = s.submit(Some("huge-body-key"), "vi", &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().code, ErrorCode::PayloadTooLarge);
    // Many keys just under the limit: validated, not a crash.
    let mut answers = serde_json::Map::new();
    for i in 0..5000 {
        answers.insert(format!("k{i}"), json!("v".repeat(30)));
    }
    let r = s
        .submit(
            Some("many-keys-key"),
            "vi",
            &json!({"procedure": "1.001193", "answers": answers}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error().code, ErrorCode::Validation);
    let r = s.get("/api/v1/dossiers").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 0);
}

#[tokio::test]
async fn a_restart_keeps_keys_receipts_and_counters() {
    let s = server().await;
    let up = s.upload_id("a.pdf", PDF).await;
    let body = birth(&up);
    let first = s.submit(Some("before-restart"), "vi", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let s = s.restart().await;
    let again = s.submit(Some("before-restart"), "vi", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body);
    let next = created(&s, "after-restart", &copy_request("Lê Thị Bình")).await;
    assert_eq!(next.code, "QT.XA-250307-0002");
    assert_eq!(s.count("SELECT COUNT(*) FROM dossiers").await, 2);
    // The uploaded file is still there.
    assert!(s.uploads_dir().join(&up).exists());
}

#[tokio::test]
async fn openapi_lists_the_new_routes() {
    let s = server().await;
    let doc = s.get("/api/v1/openapi.json").await.value();
    assert!(doc["paths"]["/api/v1/uploads"]["post"].is_object());
    let post = &doc["paths"]["/api/v1/dossiers"]["post"];
    assert!(post.is_object());
    assert!(post["responses"]["201"].is_object());
    assert!(post["responses"]["422"].is_object());
    for schema in [
        "DossierReceipt",
        "NewDossier",
        "Upload",
        "PaymentAccount",
        "FieldProblem",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} in components"
        );
    }
}
