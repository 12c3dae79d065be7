//! OCOP products and their traceability: the seed (`seed.rs`), the public
//! routes (`handlers.rs`: a product, a batch, its EPCIS 2.0 document, scan
//! counts), the GS1 Digital Link resolver (`resolver.rs`), the producers'
//! portal (`portal.rs`, `/api/v1/me/...`, behind a producer's session from
//! `crate::accounts`), their correction proposals (`listings.rs`) and the
//! officer's review of them (`review.rs`; the CLI reviews through the same
//! functions). `store.rs` reads products and batches for all of them.

mod handlers;
mod listings;
mod portal;
mod resolver;
mod review;
mod seed;
mod store;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;

use crate::infra::web::Pages;
use crate::AppState;

pub use handlers::{ScanLimiter, SCANS_PER_MINUTE};
pub use listings::{approve, list as review_queue, reject};
pub use portal::{ME_PREFIX, ME_ROUTES};
pub use resolver::{answer as resolve, is_prefixed_link};
pub use review::listing_status;
pub use seed::{parse_seed, seed};

/// The public product routes and the producers' portal, relative to `/api`.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/products/{gtin}", get(handlers::product))
        .route("/v1/products/{gtin}/batches/{lot}", get(handlers::batch))
        .route(
            "/v1/products/{gtin}/batches/{lot}/epcis",
            get(handlers::epcis),
        )
        .route(
            "/v1/scans",
            post(handlers::scan).layer(DefaultBodyLimit::max(4096)),
        )
        .nest("/v1/me", portal::router(state))
}

/// The officer's review routes, relative to `/api/v1/officer` (behind its
/// token, see `http::officer`).
pub fn officer_router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/listings", get(review::listings))
        .route(
            "/listings/{gtin}/approve",
            post(review::approve).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/listings/{gtin}/reject",
            post(review::reject).layer(DefaultBodyLimit::max(16 * 1024)),
        )
}

/// The resolver's routes at the root: `/01/…` and
/// `/.well-known/gs1resolver`.
pub fn resolver_router(pages: Arc<Pages>) -> Router {
    resolver::router(pages)
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        handlers::product,
        handlers::batch,
        handlers::epcis,
        handlers::scan,
        portal::my_products,
        portal::my_product,
        portal::save_proposal,
        portal::withdraw_proposal,
        portal::label,
        portal::upload_photo,
        review::listings,
        review::approve,
        review::reject
    ),
    components(schemas(portal::PhotoForm))
)]
pub struct ApiDoc;
