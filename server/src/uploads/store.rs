//! `POST /api/v1/uploads`: one file, streamed to disk under a random name,
//! typed by its bytes, recorded in SQLite. A dossier references it later.

use std::sync::Arc;

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use cuaso_domain::form::{FileType, Upload, MAX_UPLOAD_BYTES};
use cuaso_domain::validate::Problem;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use tokio::io::AsyncWriteExt;

use super::dir::{sync_dir, RemoveOnDrop};
use crate::http::ApiError;
use crate::AppState;

/// The request body limit of the route: the largest file plus room for the
/// multipart framing, so the typed 413 comes from the route, not axum.
pub const BODY_LIMIT: usize = MAX_UPLOAD_BYTES as usize + 64 * 1024;

/// The longest original file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Enough bytes to tell every [`FileType`] apart.
const SNIFF_BYTES: usize = 8;

/// A multipart form with one part, `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: PDF, JPEG or PNG, at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads one file (a PDF, JPEG or PNG, checked by its bytes) for a later
/// dossier. The answer's `id` goes into a file answer.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "dossiers",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Upload),
        (status = 400, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody, description = "larger than 10 MiB"),
        (status = 415, body = ApiErrorBody, description = "not multipart, or not a PDF, JPEG or PNG"),
    ))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Upload>), ApiError> {
    let upload = receive(&s, &headers, multipart).await?;
    Ok((StatusCode::CREATED, Json(upload)))
}

/// Reads the `file` part of a multipart request and stores it (the uploads
/// route, and the officer's result upload).
pub async fn receive(
    s: &AppState,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, ApiError> {
    let mut multipart = opened(headers, multipart, "file", BODY_LIMIT, too_large)?;
    with_file_part(&mut multipart, multipart_error, async |field| {
        store(s, field).await
    })
    .await
}

/// Does the request say its body is `multipart/form-data`?
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A multipart request's body, after the checks of every upload route:
/// multipart (else 415 "send the {what} as multipart/form-data"), not
/// declared longer than `limit` (else `too_large`), readable (else 400
/// `invalid_parameter` at `file`).
pub(super) fn opened(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    what: &str,
    limit: usize,
    too_large: fn() -> ApiError,
) -> Result<Multipart, ApiError> {
    if !is_multipart(headers) {
        return Err(unsupported(&format!(
            "send the {what} as multipart/form-data"
        )));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    multipart.map_err(|e| {
        ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::InvalidParameter,
            "file",
            format!("malformed multipart body: {e}"),
        ))
    })
}

/// `then` with the part named `file` (400 `invalid_parameter` without
/// one); `on_error` words a body that cannot be read.
pub(super) async fn with_file_part<T>(
    multipart: &mut Multipart,
    on_error: fn(MultipartError) -> ApiError,
    then: impl AsyncFnOnce(Field<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    loop {
        let Some(field) = multipart.next_field().await.map_err(on_error)? else {
            return Err(ApiError::bad_request(ApiErrorBody::for_field(
                ErrorCode::InvalidParameter,
                "file",
                "no part named file",
            )));
        };
        if field.name() == Some("file") {
            return then(field).await;
        }
    }
}

/// Stores a file given whole (the CLI's `attach-result`), with the same
/// checks as an upload: at most [`MAX_UPLOAD_BYTES`], a PDF, JPEG or PNG by
/// its bytes.
pub async fn store_bytes(s: &AppState, name: &str, bytes: &[u8]) -> Result<Upload, ApiError> {
    if bytes.len() as u64 > MAX_UPLOAD_BYTES {
        return Err(too_large());
    }
    let file_type = sniff(bytes.get(..SNIFF_BYTES).unwrap_or(bytes))?;
    let stripped = strip_photo(file_type, bytes)?;
    let bytes = stripped.as_deref().unwrap_or(bytes);
    let name = sanitize_name(name);
    let id = crate::infra::random::hex_id();
    let part = s.uploads_dir.join(format!("{id}.part"));
    let mut guard = RemoveOnDrop(Some(part.clone()));
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&part)
        .await
        .map_err(io_error)?;
    file.write_all(bytes).await.map_err(io_error)?;
    file.sync_all().await.map_err(io_error)?;
    drop(file);
    let path = s.uploads_dir.join(&id);
    tokio::fs::rename(&part, &path).await.map_err(io_error)?;
    guard.0 = Some(path);
    sync_dir(&s.uploads_dir).await;
    let sha256 = format!("{:x}", Sha256::digest(bytes));
    record(s, &id, &name, bytes.len() as u64, file_type, &sha256).await?;
    guard.0 = None;
    Ok(Upload {
        id,
        name,
        size: bytes.len() as u64,
        file_type,
    })
}

async fn record(
    s: &AppState,
    id: &str,
    name: &str,
    size: u64,
    file_type: FileType,
    sha256: &str,
) -> Result<(), ApiError> {
    // `created_at` from the server's clock: the sweeper ages orphans by it.
    sqlx::query(
        "INSERT INTO uploads (id, name, size, type, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(name)
    .bind(size as i64)
    .bind(type_str(file_type))
    .bind(sha256)
    .bind(crate::infra::clock::utc_string(s.clock.system_time()))
    .execute(&s.pool)
    .await?;
    tracing::info!(upload = %id, size, r#type = type_str(file_type), "upload stored");
    Ok(())
}

/// Streams one part to disk and records it; leaves nothing behind on failure.
async fn store(s: &AppState, mut field: Field<'_>) -> Result<Upload, ApiError> {
    let name = sanitize_name(field.file_name().unwrap_or(""));
    let id = crate::infra::random::hex_id();
    let part = s.uploads_dir.join(format!("{id}.part"));
    let mut guard = RemoveOnDrop(Some(part.clone()));
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&part)
        .await
        .map_err(io_error)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut file_type: Option<FileType> = None;
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        size += chunk.len() as u64;
        if size > MAX_UPLOAD_BYTES {
            return Err(too_large());
        }
        if file_type.is_none() {
            let take = (SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == SNIFF_BYTES {
                file_type = Some(sniff(&head)?);
            }
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(io_error)?;
    }
    let file_type = match file_type {
        Some(t) => t,
        None => sniff(&head)?,
    };
    file.sync_all().await.map_err(io_error)?;
    drop(file);
    // Photos lose their metadata before they are kept; size and hash
    // describe what is stored.
    let mut sha256 = None;
    if photo_format(file_type).is_some() {
        let raw = tokio::fs::read(&part).await.map_err(io_error)?;
        if let Some(clean) = strip_photo(file_type, &raw)? {
            tokio::fs::write(&part, &clean).await.map_err(io_error)?;
            let f = tokio::fs::File::open(&part).await.map_err(io_error)?;
            f.sync_all().await.map_err(io_error)?;
            size = clean.len() as u64;
            sha256 = Some(format!("{:x}", Sha256::digest(&clean)));
        }
    }
    let path = s.uploads_dir.join(&id);
    tokio::fs::rename(&part, &path).await.map_err(io_error)?;
    guard.0 = Some(path);
    sync_dir(&s.uploads_dir).await;
    let sha256 = sha256.unwrap_or_else(|| format!("{:x}", hasher.finalize()));
    record(s, &id, &name, size, file_type, &sha256).await?;
    guard.0 = None;
    Ok(Upload {
        id,
        name,
        size,
        file_type,
    })
}

/// The metadata stripper's format for a photo type; `None` for a PDF.
fn photo_format(t: FileType) -> Option<crate::infra::exif::Format> {
    match t {
        FileType::Jpeg => Some(crate::infra::exif::Format::Jpeg),
        FileType::Png => Some(crate::infra::exif::Format::Png),
        FileType::Pdf => None,
    }
}

/// A photo without its EXIF, XMP and text metadata (see [`crate::infra::exif`]):
/// `Some` when that changed the bytes; 415 when the photo cannot be read.
fn strip_photo(t: FileType, bytes: &[u8]) -> Result<Option<Vec<u8>>, ApiError> {
    let Some(format) = photo_format(t) else {
        return Ok(None);
    };
    let clean = crate::infra::exif::strip(format, bytes)
        .map_err(|_| unsupported("the photo cannot be read"))?;
    Ok((clean != bytes).then_some(clean))
}

/// The `type` column value of a file type (its JSON name).
pub fn type_str(t: FileType) -> &'static str {
    match t {
        FileType::Pdf => "pdf",
        FileType::Jpeg => "jpeg",
        FileType::Png => "png",
    }
}

pub fn type_from_str(s: &str) -> Option<FileType> {
    match s {
        "pdf" => Some(FileType::Pdf),
        "jpeg" => Some(FileType::Jpeg),
        "png" => Some(FileType::Png),
        _ => None,
    }
}

/// What is wrong with upload `id` for a place that takes the types
/// `accept` up to `max_bytes` (a form's file field, a document asked for,
/// a report's photo): it does not exist, a dossier or a report has it
/// already, or its type or size does not fit. `None`: it may be attached.
pub async fn check(
    conn: &mut AnyConnection,
    id: &str,
    accept: &[FileType],
    max_bytes: u64,
) -> Result<Option<Problem>, ApiError> {
    let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
        // Taken by a dossier or a feedback report alike.
        "SELECT size, type, COALESCE(dossier_code, feedback_code) FROM uploads WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => Some(Problem::UploadMissing),
        Some((_, _, Some(_))) => Some(Problem::UploadInUse),
        Some((_, ty, None)) if !type_from_str(&ty).is_some_and(|t| accept.contains(&t)) => {
            Some(Problem::FileType {
                types: accept
                    .iter()
                    .map(|t| t.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        }
        Some((size, _, None)) if size.max(0) as u64 > max_bytes => {
            Some(Problem::FileTooLarge { max: max_bytes })
        }
        Some(_) => None,
    })
}

fn sniff(head: &[u8]) -> Result<FileType, ApiError> {
    FileType::sniff(head).ok_or_else(|| unsupported("the file is not a PDF, JPEG or PNG"))
}

/// The client's file name as data: the last path component, without control
/// or direction-override characters, at most [`MAX_NAME_CHARS`].
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect();
    let trimmed = cleaned.trim();
    let short: String = trimmed.chars().take(MAX_NAME_CHARS).collect();
    let short = short.trim_end();
    if short.is_empty() || short == "." || short == ".." {
        "file".to_string()
    } else {
        short.to_string()
    }
}

fn too_large() -> ApiError {
    too_large_for("file", MAX_UPLOAD_BYTES as usize)
}

/// 413 `payload_too_large` at field `file`: "a {what} may be at most N bytes".
pub(super) fn too_large_for(what: &str, max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ApiErrorBody::for_field(
            ErrorCode::PayloadTooLarge,
            "file",
            format!("a {what} may be at most {max} bytes"),
        ),
    )
}

/// 415 `unsupported_type` at field `file`.
pub(super) fn unsupported(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ApiErrorBody::for_field(ErrorCode::UnsupportedType, "file", message),
    )
}

fn multipart_error(e: MultipartError) -> ApiError {
    multipart_error_for(e, too_large)
}

/// A multipart body that cannot be read: too large (`too_large`) or
/// malformed (400 `invalid_parameter` at `file`).
pub(super) fn multipart_error_for(e: MultipartError, too_large: fn() -> ApiError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::InvalidParameter,
            "file",
            format!("malformed multipart body: {}", e.body_text()),
        ))
    }
}

fn io_error(e: std::io::Error) -> ApiError {
    io_error_for("upload", e)
}

/// A file system failure while storing (`what`: for the log).
pub(super) fn io_error_for(what: &str, e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "{what}: file system error");
    ApiError::internal("could not store the file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_data_only() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(
            sanitize_name("C:\\Users\\an\\giấy khai sinh.pdf"),
            "giấy khai sinh.pdf"
        );
        assert_eq!(sanitize_name("a\u{202E}fdp.exe"), "afdp.exe");
        assert_eq!(sanitize_name("x\r\ny.png"), "xy.png");
        assert_eq!(sanitize_name(""), "file");
        assert_eq!(sanitize_name(".."), "file");
        assert_eq!(sanitize_name(&"ả".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn type_names_match_serde() {
        for t in [FileType::Pdf, FileType::Jpeg, FileType::Png] {
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::Value::from(type_str(t))
            );
            assert_eq!(type_from_str(type_str(t)), Some(t));
        }
    }
}
