//! The catalogue of administrative procedures (thủ tục hành chính): the
//! fields, the search, a procedure's page; and the system routes (health,
//! branding). The catalogue is loaded at start (`infra::db::Catalogue`).

mod handlers;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

/// The catalogue's and the system's routes, relative to `/api`.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/health", get(handlers::health))
        .route("/v1/config", get(handlers::config))
        .route("/v1/fields", get(handlers::fields))
        .route("/v1/procedures", get(handlers::procedures))
        .route("/v1/procedures/{code}", get(handlers::procedure))
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    handlers::health,
    handlers::config,
    handlers::fields,
    handlers::procedures,
    handlers::procedure
))]
pub struct ApiDoc;
