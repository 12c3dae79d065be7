//! The orphan-upload sweeper: unattached uploads go with their files once
//! older than the window and stay before it; attached files (dossiers,
//! feedback, results) and producers' photos never go; files without a row
//! go when old, and stay when just written.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, StatusCode};
use common::{birth, friday, server, server_with, TestServer, PDF, PNG};
use cuaso_server::infra::clock::Clock;
use cuaso_server::uploads::{sweep, SweepReport, SweepSettings};
use serde_json::json;

const HOUR: Duration = Duration::from_secs(3600);
/// The window these tests sweep with (the server's default is 30 days).
const WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The test server's clock (moved with `set_time`).
fn clock(s: &TestServer) -> Clock {
    let now = s.now.clone();
    Clock::from_fn(move || UNIX_EPOCH + Duration::from_secs(now.load(Ordering::SeqCst) as u64))
}

async fn sweep_now(s: &TestServer, dry_run: bool) -> SweepReport {
    sweep(
        &s.pool,
        &s.uploads_dir(),
        &clock(s),
        WINDOW,
        dry_run,
    )
    .await
    .unwrap()
}

async fn has_row(s: &TestServer, id: &str) -> bool {
    let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE id = $1")
        .bind(id)
        .fetch_one(&s.pool)
        .await
        .unwrap();
    n.0 == 1
}

/// A file in `dir` named `name`, last written `age` ago.
fn file_aged(dir: &Path, name: &str, bytes: &[u8], age: Duration) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(SystemTime::now() - age).unwrap();
    path
}

/// Ages every file in the uploads directory (and `media/`) by `age`, as
/// if they had been written that long ago.
fn age_all(dir: &Path, age: Duration) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.metadata().unwrap().is_dir() {
            age_all(&e.path(), age);
        } else {
            let f = std::fs::File::options().write(true).open(e.path()).unwrap();
            f.set_modified(SystemTime::now() - age).unwrap();
        }
    }
}


#[tokio::test]
async fn an_unattached_upload_goes_after_the_window_and_stays_before() {
    let s = server().await;
    let id = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let file = s.uploads_dir().join(&id);
    age_all(&s.uploads_dir(), 30 * 24 * HOUR);

    // 23 hours later by the server's clock: still there (file age alone
    // does not count for a file with a row).
    s.set_time(friday() + 23 * HOUR);
    let r = sweep_now(&s, false).await;
    assert_eq!(r.orphan_rows, 0, "{r:?}");
    assert_eq!(r.stray_files, 0, "{r:?}");
    assert!(has_row(&s, &id).await);
    assert!(file.exists());
    assert_eq!(r.files_left, 1);

    // A dry run after the window counts it and removes nothing.
    s.set_time(friday() + 25 * HOUR);
    let r = sweep_now(&s, true).await;
    assert_eq!((r.orphan_rows, r.dry_run), (1, true), "{r:?}");
    assert!(has_row(&s, &id).await);
    assert!(file.exists());

    let r = sweep_now(&s, false).await;
    assert_eq!(r.orphan_rows, 1, "{r:?}");
    assert_eq!(r.files_left, 0);
    assert!(!has_row(&s, &id).await, "row removed");
    assert!(!file.exists(), "file removed");
    // Submitting it now is a field problem, not a 5xx.
    let r = s.submit(Some("late-application"), "en", &birth(&id)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    // A second sweep finds nothing.
    assert_eq!(
        sweep_now(&s, false).await,
        SweepReport {
            files_left: 0,
            ..SweepReport::default()
        }
    );
}

#[tokio::test]
async fn attached_files_and_producer_photos_are_never_touched() {
    let s = server().await;
    // A dossier's file.
    let proof = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let r = s.submit(Some("attached-one"), "vi", &birth(&proof)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // A feedback report's photo.
    let photo = s.upload_id("den-hong.png", PNG).await;
    let report = json!({
        "category": "roads",
        "title": "Đèn đường hỏng trên đường Lê Lợi",
        "description": "Ba cột đèn không sáng từ tuần trước, buổi tối rất tối.",
        "photos": [photo],
        "location": {"commune": "Phường Đông Hà", "address": "Số 12 Lê Lợi, gần cầu Đông Hà"},
        "contact": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "email": "an@example.vn"}
    });
    let r = s
        .send(
            Method::POST,
            "/api/v1/feedback",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "feedback-attached"),
            ],
            serde_json::to_vec(&report).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // A producer's photo: a media row and its file.
    let media = format!("{}.png", cuaso_server::infra::random::hex_id());
    sqlx::query(
        "INSERT INTO media (name, producer_id, account, size, sha256, created_at) \
         VALUES ($1, 'p', 'tieucua', 1, 'x', '2020-01-01T00:00:00Z')",
    )
    .bind(&media)
    .execute(&s.pool)
    .await
    .unwrap();
    let media_file = file_aged(&s.uploads_dir().join("media"), &media, PNG, 400 * 24 * HOUR);
    // And one orphan, to show the sweep did run.
    let orphan = s.upload_id("nhầm.pdf", PDF).await;

    age_all(&s.uploads_dir(), 400 * 24 * HOUR);
    s.set_time(friday() + 400 * 24 * HOUR);
    let r = sweep_now(&s, false).await;
    assert_eq!(
        (r.orphan_rows, r.stray_files, r.partial_files),
        (1, 0, 0),
        "{r:?}"
    );
    assert_eq!(r.files_left, 3, "{r:?}");
    for id in [&proof, &photo] {
        assert!(has_row(&s, id).await, "{id} kept");
        assert!(s.uploads_dir().join(id).exists(), "{id} file kept");
    }
    assert!(media_file.exists(), "the producer's photo stays");
    assert!(!has_row(&s, &orphan).await);
    assert!(!s.uploads_dir().join(&orphan).exists());
}

#[tokio::test]
async fn files_without_a_row_go_when_old_and_stay_when_new() {
    let s = server().await;
    let dir = s.uploads_dir();
    let media = dir.join("media");
    let day = 24 * HOUR;
    let hex = cuaso_server::infra::random::hex_id;
    // Written before a crash, the row never committed.
    let stray = file_aged(&dir, &hex(), PDF, 2 * day);
    let partial = file_aged(&dir, &format!("{}.part", hex()), PDF, 2 * day);
    let stray_photo = file_aged(&media, &format!("{}.jpg", hex()), PNG, 2 * day);
    let partial_photo = file_aged(&media, &format!("{}.webp.part", hex()), PNG, 2 * day);
    // Just written: its row may be on its way.
    let fresh = file_aged(&dir, &hex(), PDF, Duration::ZERO);
    let fresh_part = file_aged(&dir, &format!("{}.part", hex()), PDF, Duration::ZERO);
    let fresh_photo = file_aged(&media, &format!("{}.png", hex()), PNG, HOUR);
    // Not of the server's making: never touched.
    let other = file_aged(&dir, "README.txt", b"notes", 30 * day);
    let upper = file_aged(&dir, &hex().to_uppercase(), PDF, 30 * day);
    // With a row: stays however old the file is.
    let id = s.upload_id("giấy tờ.pdf", PDF).await;
    let recorded = dir.join(&id);
    std::fs::File::options()
        .write(true)
        .open(&recorded)
        .unwrap()
        .set_modified(SystemTime::now() - 3 * day)
        .unwrap();

    let dry = sweep_now(&s, true).await;
    assert_eq!((dry.stray_files, dry.partial_files), (2, 2), "{dry:?}");
    assert!(
        stray.exists() && partial.exists(),
        "a dry run removes nothing"
    );

    let r = sweep_now(&s, false).await;
    assert_eq!(
        (r.orphan_rows, r.stray_files, r.partial_files),
        (0, 2, 2),
        "{r:?}"
    );
    for gone in [&stray, &partial, &stray_photo, &partial_photo] {
        assert!(!gone.exists(), "{} removed", gone.display());
    }
    for kept in [&fresh, &fresh_part, &fresh_photo, &other, &upper, &recorded] {
        assert!(kept.exists(), "{} kept", kept.display());
    }
    // fresh, fresh.part, fresh photo, the recorded upload.
    assert_eq!(r.files_left, 4, "{r:?}");
    assert!(has_row(&s, &id).await);
}

#[tokio::test]
async fn the_server_sweeps_by_itself_every_interval() {
    let s = server_with(friday(), |st| {
        st.sweep = SweepSettings {
            window: HOUR,
            interval: Some(Duration::from_millis(200)),
        };
    })
    .await;
    let orphan = s.upload_id("nhầm.pdf", PDF).await;
    let kept = s.upload_id("giấy chứng sinh.pdf", PDF).await;
    let r = s
        .submit(Some("kept-application"), "vi", &birth(&kept))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    age_all(&s.uploads_dir(), 2 * HOUR);
    // Within the window nothing goes, however many sweeps pass.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(has_row(&s, &orphan).await);
    s.set_time(friday() + 2 * HOUR);
    let mut waited = Duration::ZERO;
    while has_row(&s, &orphan).await {
        assert!(waited < Duration::from_secs(30), "no sweep in 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += Duration::from_millis(100);
    }
    // The row goes first, the file right after it.
    while s.uploads_dir().join(&orphan).exists() {
        assert!(waited < Duration::from_secs(30), "file left");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    assert!(has_row(&s, &kept).await);
    assert!(s.uploads_dir().join(&kept).exists());
}
