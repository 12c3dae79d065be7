//! Files people send: citizens' uploads (`POST /api/v1/uploads`: one file,
//! streamed to disk under a random name, typed by its bytes, recorded in
//! `uploads`; a dossier or a feedback report takes it later, see
//! [`check`]), producers' photos (`media`, served by
//! `GET /api/v1/media/{name}`), the uploads directory, and the sweeper of
//! orphans.

mod dir;
mod media;
mod store;
mod sweeper;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

pub use dir::{prepare_dir, remove_partials};
pub use media::{media_dir, media_type, store_photo, ImageType, PHOTO_BODY_LIMIT, PHOTO_MAX_BYTES};
pub use store::{
    check, is_multipart, receive, sanitize_name, store_bytes, type_from_str, type_str, BODY_LIMIT,
    MAX_NAME_CHARS,
};
pub use sweeper::{spawn, sweep, SweepReport, SweepSettings, DEFAULT_INTERVAL, DEFAULT_WINDOW};

/// `POST /api/v1/uploads` and `GET /api/v1/media/{name}`, relative to `/api`.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/v1/uploads",
            post(store::create).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/v1/media/{name}", get(media::media))
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(store::create, media::media))]
pub struct ApiDoc;
