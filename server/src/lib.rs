//! The Cửa Số reference API server: axum + SQLite. It serves `/api` and the
//! built app, so one process runs the whole service on one machine.

pub mod api;
pub mod db;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use cuaso_domain::api::AppConfig;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::SqlitePool;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// What every handler can reach.
pub struct AppState {
    pub pool: SqlitePool,
    pub catalogue: db::Catalogue,
    pub config: AppConfig,
}

/// Everything needed to build the service.
pub struct Settings {
    pub db: PathBuf,
    pub dist: PathBuf,
    pub config: AppConfig,
}

/// Opens the database and builds the whole service.
pub async fn build(settings: &Settings) -> Result<(Router, SqlitePool), sqlx::Error> {
    let pool = db::open(&settings.db).await?;
    let catalogue = db::Catalogue::load(&pool).await?;
    tracing::info!(
        procedures = catalogue.procedures.len(),
        fields = catalogue.fields.len(),
        db = %settings.db.display(),
        "catalogue loaded"
    );
    let state = Arc::new(AppState {
        pool: pool.clone(),
        catalogue,
        config: settings.config.clone(),
    });
    let shell = Arc::new(web::Shell::load(&settings.dist, &settings.config));
    Ok((app(state, shell, &settings.dist), pool))
}

/// The router: `/api`, the shell for app routes, static files for the rest.
pub fn app(state: Arc<AppState>, shell: Arc<web::Shell>, dist: &std::path::Path) -> Router {
    let fallback_shell = shell.clone();
    let spa_fallback = move |req: Request| {
        let shell = fallback_shell.clone();
        async move {
            if req.method() != Method::GET && req.method() != Method::HEAD {
                return StatusCode::METHOD_NOT_ALLOWED.into_response();
            }
            web::fallback(&shell, req.uri().path())
        }
    };
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(tower::service_fn(move |req: Request| {
            let f = spa_fallback.clone();
            async move { Ok::<_, std::convert::Infallible>(f(req).await) }
        }));
    let index_shell = shell.clone();
    let index = get(move || {
        let shell = index_shell.clone();
        async move { web::shell_response(&shell) }
    });
    let headers_shell = shell.clone();
    Router::new()
        .nest("/api", api::router(state))
        .route("/", index.clone())
        .route("/index.html", index)
        .fallback_service(files)
        .layer(middleware::from_fn(web::cache_headers))
        .layer(middleware::from_fn(move |req, next| {
            web::security_headers(headers_shell.clone(), req, next)
        }))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(|_| panic_response()))
        .layer(TraceLayer::new_for_http().on_response(DefaultOnResponse::new().level(Level::INFO)))
}

fn panic_response() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(ApiErrorBody::new(ErrorCode::Internal, "internal error")),
    )
        .into_response()
}
