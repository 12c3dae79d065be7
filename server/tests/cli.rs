//! `cuaso-server officer ...`: the built binary against a temporary
//! database, its output and exit codes.

mod common;

use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{server, TestServer, PDF};
use cuaso_domain::form::DossierReceipt;
use cuaso_domain::status::Status;
use cuaso_domain::track::{DossierView, SECRET_HEADER};
use serde_json::json;

fn officer(s: &TestServer, args: &[&str]) -> Output {
    let db = s.dir.path().join("data/cuaso.db");
    Command::new(env!("CARGO_BIN_EXE_cuaso-server"))
        .arg("--db")
        .arg(&db)
        .args(s.db_url_args())
        .arg("officer")
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("CUASO_OFFICER_TOKEN")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Succeeds and prints a dossier view as JSON.
fn view(s: &TestServer, args: &[&str]) -> DossierView {
    let o = officer(s, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
}

/// Fails with exit code 1 and `error: <code>: …` on stderr.
fn refused(s: &TestServer, args: &[&str], code: &str) -> String {
    let o = officer(s, args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
    assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("error: {code}: ")),
        "{args:?}: {err}"
    );
    err
}

#[tokio::test]
async fn the_officer_cli_works_on_the_database() {
    let s = server().await;
    let body = json!({"procedure": "2.000635", "answers": {"full_name": "Lê Thị Bình", "phone": "0987654321"}});
    let r = s.submit(Some("cli-dossier-01"), "vi", &body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let rec: DossierReceipt = r.json();
    let code = rec.code.as_str();
    // The binary runs with the real seed forms, whose name field is `ho_ten`.
    sqlx::query(&format!(
        "UPDATE dossiers SET answers = {}",
        s.json_set("answers", "ho_ten", "'Lê Thị Bình'")
    ))
    .execute(&s.pool)
    .await
    .unwrap();

    // list: a table, the header first.
    let o = officer(&s, &["list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("CODE"), "{out}");
    assert!(lines[1].starts_with(code), "{out}");
    assert!(
        lines[1].contains("Mới đăng ký") && lines[1].contains("Lê Thị Bình"),
        "{out}"
    );
    let o = officer(&s, &["list", "--status", "2"]);
    assert!(stdout(&o).contains("(no dossiers)"));
    let o = officer(&s, &["list", "--json"]);
    let all: Vec<DossierView> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(all.len(), 1);

    // show: JSON with everything.
    let v = view(&s, &["show", &code.to_lowercase()]);
    assert_eq!(v.code, code);
    assert_eq!(v.private.unwrap().applicant_name, "Lê Thị Bình");

    // Refusals: typed, in Vietnamese or English, exit code 1.
    let err = refused(&s, &["move", code, "--to", "9"], "invalid_transition");
    assert!(err.contains("Mới đăng ký"), "{err}");
    let err = refused(
        &s,
        &["--lang", "en", "move", code, "--to", "3"],
        "invalid_transition",
    );
    assert!(err.contains("Give a reason"), "{err}");
    refused(&s, &["move", code, "--to", "11"], "invalid_parameter");
    refused(&s, &["show", "QT.XA-250307-0999"], "dossier_not_found");
    refused(
        &s,
        &["confirm-payment", code, "--amount", "1000"],
        "wrong_status",
    );

    // Moves, documents, payment, result.
    assert_eq!(
        view(&s, &["move", code, "--to", "2"]).status,
        Status::Accepted
    );
    view(&s, &["move", code, "--to", "4"]);
    refused(
        &s,
        &["move", code, "--to", "5", "--reason", "Thiếu giấy tờ"],
        "invalid_parameter",
    );
    let v = view(
        &s,
        &[
            "move",
            code,
            "--to",
            "5",
            "--reason",
            "Thiếu giấy tờ",
            "--document",
            "Bản sao CCCD|ảnh bị mờ",
            "--document",
            "Giấy ủy quyền",
        ],
    );
    let docs = v.private.unwrap().missing_documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0].name.as_str(), docs[0].why.as_deref()),
        ("Bản sao CCCD", Some("ảnh bị mờ"))
    );
    assert_eq!(
        (docs[1].name.as_str(), docs[1].why.as_deref()),
        ("Giấy ủy quyền", None)
    );
    view(&s, &["move", code, "--to", "4"]);
    view(
        &s,
        &[
            "move",
            code,
            "--to",
            "6",
            "--reason",
            "Lệ phí",
            "--amount",
            "30000",
        ],
    );
    let v = view(&s, &["confirm-payment", code, "--amount", "30000"]);
    assert_eq!(v.status, Status::Processing);
    assert_eq!(v.private.unwrap().payments[0].amount, 30000);

    let file = s.dir.path().join("Trích lục.pdf");
    std::fs::write(&file, PDF).unwrap();
    let text = s.dir.path().join("notes.pdf");
    std::fs::write(&text, b"not really a pdf").unwrap();
    refused(
        &s,
        &["attach-result", code, text.to_str().unwrap()],
        "unsupported_type",
    );
    refused(
        &s,
        &["attach-result", code, "/no/such/file.pdf"],
        "invalid_parameter",
    );
    let v = view(&s, &["attach-result", code, file.to_str().unwrap()]);
    let result = v.private.unwrap().result.unwrap();
    assert_eq!(result.name, "Trích lục.pdf");
    assert_eq!(
        std::fs::read(s.uploads_dir().join(&result.id)).unwrap(),
        PDF
    );
    view(&s, &["move", code, "--to", "9"]);

    // The citizen downloads it through the API.
    let r = s
        .send(
            Method::GET,
            &format!("/api/v1/dossiers/{code}/result"),
            &[(SECRET_HEADER, &rec.secret)],
            Body::empty(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.body, PDF);
    let actors: Vec<(String,)> =
        sqlx::query_as("SELECT actor FROM dossier_events WHERE dossier_code = $1 ORDER BY seq")
            .bind(code)
            .fetch_all(&s.pool)
            .await
            .unwrap();
    let actors: Vec<&str> = actors.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actors[0], "citizen");
    assert!(
        actors[1..].iter().all(|a| *a == "officer:cli"),
        "{actors:?}"
    );
    assert_eq!(actors.len(), 8);
}
