//! Producers' photos ("media"): stored under `media/` in the uploads
//! directory with a random name (JPEG, PNG or WebP by their bytes, without
//! their metadata), recorded in `media`, served by `GET /api/v1/media/{name}`
//! for good (the name never changes).

use std::sync::Arc;

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use cuaso_domain::api::Text;
use cuaso_domain::product::Photo;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sha2::{Digest, Sha256};

use super::store::{
    io_error_for, multipart_error_for, opened, too_large_for, unsupported, with_file_part,
};
use crate::http::ApiError;
use crate::AppState;

/// The largest photo.
pub const PHOTO_MAX_BYTES: usize = 2 * 1024 * 1024;
/// The photo route's body limit: the photo and the multipart framing.
pub const PHOTO_BODY_LIMIT: usize = PHOTO_MAX_BYTES + 64 * 1024;
/// A photo's type, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    Webp,
}

impl ImageType {
    pub fn sniff(b: &[u8]) -> Option<ImageType> {
        if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            Some(ImageType::Webp)
        } else {
            None
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::Webp => "webp",
        }
    }

    pub fn from_ext(ext: &str) -> Option<ImageType> {
        match ext {
            "jpg" => Some(ImageType::Jpeg),
            "png" => Some(ImageType::Png),
            "webp" => Some(ImageType::Webp),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
        }
    }
}

fn too_large() -> ApiError {
    too_large_for("photo", PHOTO_MAX_BYTES)
}

fn multipart_error(e: MultipartError) -> ApiError {
    multipart_error_for(e, too_large)
}

fn io_error(e: std::io::Error) -> ApiError {
    io_error_for("photo", e)
}

/// The photos' directory under the uploads directory.
pub fn media_dir(s: &AppState) -> std::path::PathBuf {
    s.uploads_dir.join("media")
}

/// Stores a producer's photo from the `file` part of a multipart request
/// (`POST /api/v1/me/photos`) for `producer_id`, uploaded by `account`.
pub async fn store_photo(
    s: &AppState,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    producer_id: &str,
    account: &str,
) -> Result<Photo, ApiError> {
    let mut multipart = opened(headers, multipart, "photo", PHOTO_BODY_LIMIT, too_large)?;
    let bytes = with_file_part(&mut multipart, multipart_error, async |mut field| {
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > PHOTO_MAX_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    })
    .await?;
    let ty = ImageType::sniff(&bytes)
        .ok_or_else(|| unsupported("the photo is not a JPEG, PNG or WebP"))?;
    // Stored without its EXIF/XMP/text metadata (camera, time, GPS).
    let format = match ty {
        ImageType::Jpeg => crate::infra::exif::Format::Jpeg,
        ImageType::Png => crate::infra::exif::Format::Png,
        ImageType::Webp => crate::infra::exif::Format::Webp,
    };
    let bytes = crate::infra::exif::strip(format, &bytes)
        .map_err(|_| unsupported("the photo cannot be read"))?;
    let name = format!("{}.{}", crate::infra::random::hex_id(), ty.ext());
    let dir = media_dir(s);
    tokio::fs::create_dir_all(&dir).await.map_err(io_error)?;
    let part = dir.join(format!("{name}.part"));
    tokio::fs::write(&part, &bytes).await.map_err(io_error)?;
    if let Err(e) = tokio::fs::rename(&part, dir.join(&name)).await {
        let _ = tokio::fs::remove_file(&part).await;
        return Err(io_error(e));
    }
    sqlx::query(
        "INSERT INTO media (name, producer_id, account, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&name)
    .bind(producer_id)
    .bind(account)
    .bind(bytes.len() as i64)
    .bind(format!("{:x}", Sha256::digest(&bytes)))
    .bind(crate::infra::clock::utc_string(s.clock.system_time()))
    .execute(&s.pool)
    .await?;
    tracing::info!(name = %name, producer = %producer_id, size = bytes.len(), "photo stored");
    Ok(Photo {
        url: format!("/api/v1/media/{name}"),
        alt: Text::default(),
    })
}

/// Whether `name` is a stored photo's name: 32 lowercase hex, `.jpg`,
/// `.png` or `.webp`.
pub fn media_type(name: &str) -> Option<ImageType> {
    let (id, ext) = name.split_once('.')?;
    if !crate::infra::random::is_hex_id(id) {
        return None;
    }
    ImageType::from_ext(ext)
}

/// A photo a producer uploaded (immutable: its name is random).
#[utoipa::path(get, path = "/api/v1/media/{name}", tag = "producers",
    params(("name" = String, Path, description = "32 hex digits and .jpg, .png or .webp")),
    responses(
        (status = 200, description = "the image, `Cache-Control: public, max-age=31536000, immutable`",
            content(("image/jpeg"), ("image/png"), ("image/webp"))),
        (status = 404, body = ApiErrorBody, description = "not_found"),
    ))]
pub async fn media(
    State(s): State<Arc<AppState>>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let not_found = || ApiError::not_found(ErrorCode::NotFound, "no such photo").into_response();
    let Ok(Path(name)) = name else {
        return not_found();
    };
    let Some(ty) = media_type(&name) else {
        return not_found();
    };
    match tokio::fs::read(media_dir(&s).join(&name)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(ty.mime())),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_types_by_bytes() {
        assert_eq!(
            ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageType::Webp)
        );
        assert_eq!(ImageType::sniff(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(ImageType::sniff(b"%PDF-1.7"), None);
        assert_eq!(ImageType::sniff(b"<svg"), None);
    }

    #[test]
    fn media_names_are_strict() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(media_type(&format!("{id}.jpg")), Some(ImageType::Jpeg));
        assert_eq!(media_type(&format!("{id}.webp")), Some(ImageType::Webp));
        assert_eq!(media_type(&format!("{id}.svg")), None);
        assert_eq!(media_type(&format!("{id}.jpg.part")), None);
        assert_eq!(media_type(&format!("{}.jpg", id.to_uppercase())), None);
        assert_eq!(media_type("../x.jpg"), None);
        assert_eq!(media_type(id), None);
    }
}
