//! `POST /api/v1/uploads` against real files: typed by their bytes, bounded
//! in size, stored under random names outside the web root.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{multipart, server, PDF, PNG};
use cuaso_domain::form::{FileType, Upload, MAX_UPLOAD_BYTES};
use cuaso_domain::ErrorCode;
use sha2::{Digest, Sha256};

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_png_and_a_pdf_are_stored_and_recorded() {
    let s = server().await;
    let r = s.upload("ảnh chứng sinh.png", "image/png", PNG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let png: Upload = r.json();
    assert_eq!(png.file_type, FileType::Png);
    assert_eq!(png.size, PNG.len() as u64);
    assert_eq!(png.name, "ảnh chứng sinh.png");
    assert_eq!(png.id.len(), 32);
    assert!(png.id.bytes().all(|b| b.is_ascii_hexdigit()));
    // Stored under its id, never the client's name, with the same bytes.
    let stored = std::fs::read(s.uploads_dir().join(&png.id)).unwrap();
    assert_eq!(stored, PNG);

    // The declared content type does not matter: the bytes do.
    let r = s.upload("giay-to.pdf", "text/plain", PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let pdf: Upload = r.json();
    assert_eq!(pdf.file_type, FileType::Pdf);
    assert_ne!(pdf.id, png.id);

    let (name, size, ty, sha, dossier): (String, i64, String, String, Option<String>) =
        sqlx::query_as("SELECT name, size, type, sha256, dossier_code FROM uploads WHERE id = $1")
            .bind(&pdf.id)
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(name, "giay-to.pdf");
    assert_eq!(size, PDF.len() as i64);
    assert_eq!(ty, "pdf");
    assert_eq!(sha, format!("{:x}", Sha256::digest(PDF)));
    assert_eq!(dossier, None);
    assert_eq!(files_in(&s.uploads_dir()).len(), 2);
}

#[tokio::test]
async fn a_text_file_named_png_is_refused_and_not_kept() {
    let s = server().await;
    let r = s
        .upload("photo.png", "image/png", b"just some text, not an image\n")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error().code, ErrorCode::UnsupportedType);
    // HTML with a PNG name: same.
    let r = s
        .upload("x.png", "image/png", b"<script>alert(1)</script>")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Empty and tiny files too.
    let r = s.upload("empty.pdf", "application/pdf", b"").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = s.upload("short.jpg", "image/jpeg", &[0xFF, 0xD8]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(files_in(&s.uploads_dir()).is_empty(), "nothing left behind");
    assert_eq!(s.count("SELECT COUNT(*) FROM uploads").await, 0);
}

fn jpeg_of(len: usize) -> Vec<u8> {
    let mut v = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    v.resize(len, 0x5A);
    v
}

#[tokio::test]
async fn one_byte_over_the_limit_is_a_typed_413_and_nothing_is_kept() {
    let s = server().await;
    let r = s
        .upload(
            "big.jpg",
            "image/jpeg",
            &jpeg_of(MAX_UPLOAD_BYTES as usize + 1),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let e = r.error();
    assert_eq!(e.code, ErrorCode::PayloadTooLarge);
    assert_eq!(e.field.as_deref(), Some("file"));
    assert!(
        files_in(&s.uploads_dir()).is_empty(),
        "partial file removed"
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM uploads").await, 0);

    // Exactly at the limit is fine.
    let r = s
        .upload("max.jpg", "image/jpeg", &jpeg_of(MAX_UPLOAD_BYTES as usize))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json::<Upload>().file_type, FileType::Jpeg);
}

#[tokio::test]
async fn far_too_large_bodies_get_the_typed_413_too() {
    let s = server().await;
    // Well past axum's body limit: still our JSON, not a plain-text 413.
    let r = s
        .upload(
            "huge.jpg",
            "image/jpeg",
            &jpeg_of(MAX_UPLOAD_BYTES as usize + 200_000),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().code, ErrorCode::PayloadTooLarge);
    // A declared length over the limit is refused before reading.
    let (ct, body) = multipart(&[("file", Some("a.png"), "image/png", PNG)]);
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", &ct), ("content-length", "999999999")],
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().code, ErrorCode::PayloadTooLarge);
    // A body without Content-Length (chunked) that runs over.
    let (ct, body) = multipart(&[(
        "file",
        Some("huge.jpg"),
        "image/jpeg",
        &jpeg_of(MAX_UPLOAD_BYTES as usize + 200_000),
    )]);
    let stream = futures_stream(body);
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", &ct)],
            stream,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().code, ErrorCode::PayloadTooLarge);
    assert!(files_in(&s.uploads_dir()).is_empty());
}

/// A body of unknown length, sent in 64 KiB pieces.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = bytes
        .chunks(64 * 1024)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn malformed_requests_get_typed_4xx() {
    let s = server().await;
    // Not multipart at all.
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", "image/png")],
            PNG.to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error().code, ErrorCode::UnsupportedType);
    let r = s
        .send(Method::POST, "/api/v1/uploads", &[], Body::empty())
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Multipart without a boundary.
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", "multipart/form-data")],
            PNG.to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().code, ErrorCode::InvalidParameter);
    // No part named file.
    let (ct, body) = multipart(&[("document", Some("a.png"), "image/png", PNG)]);
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", &ct)],
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().field.as_deref(), Some("file"));
    // Truncated multipart.
    let (ct, mut body) = multipart(&[("file", Some("a.png"), "image/png", PNG)]);
    body.truncate(body.len() - 20);
    let r = s
        .send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", &ct)],
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.error().code, ErrorCode::InvalidParameter);
    // GET is not a route.
    let r = s.get("/api/v1/uploads").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(files_in(&s.uploads_dir()).is_empty());
}

#[tokio::test]
async fn hostile_names_are_kept_as_data_only() {
    let s = server().await;
    let r = s
        .upload("../../../dist/index.html\u{202E}gnp.png", "image/png", PNG)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let u: Upload = r.json();
    assert_eq!(u.name, "index.htmlgnp.png");
    assert_eq!(files_in(&s.uploads_dir()), vec![u.id.clone()]);
    assert!(!s.dir.path().join("dist/index.html").exists());
    let long = format!("{}.png", "a".repeat(500));
    let u: Upload = s.upload(&long, "image/png", PNG).await.json();
    assert_eq!(u.name.chars().count(), 200);
}

#[tokio::test]
async fn uploads_inside_the_web_root_are_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let mut settings = common::settings(&dir, now);
    settings.uploads = settings.dist.join("uploads");
    let err = cuaso_server::build(&settings).await.expect_err("refused");
    assert!(err.to_string().contains("web root"), "{err}");
}
