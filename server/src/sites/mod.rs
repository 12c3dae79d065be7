//! Tourism sites: the seed (`seed/sites.json`), `/api/v1/sites…`, the QR
//! code of a site's plate, and the link previews of `/s/{slug}` and
//! `/sites/{slug}`.
//!
//! - `?lang=` is a language tag (`vi`, `ko-KR`, `zh-Hans-CN`): its primary
//!   subtag is the requested language. A supported one is served, another
//!   falls back to English, then Vietnamese (per site, per photo), and the
//!   answer says which language each text is in. Missing: `vi`. Not a
//!   language tag at all: 400 `invalid_parameter` (`field` = `lang`),
//!   never echoed.
//! - `api.rs`: the JSON routes (ETags, 304s); `qr.rs`: the plate's QR
//!   code; `pages.rs`: the link previews; `lang.rs`: which language;
//!   `seed.rs` and `store.rs`: the sites as loaded and stored.

mod api;
mod lang;
mod pages;
mod qr;
mod seed;
mod store;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

pub use pages::pages;
pub use seed::{parse_seed, seed, stored_form};

/// How many other sites a site's page lists, nearest first.
pub const NEARBY: usize = 5;

/// Light modules around a plate's QR code, as ISO/IEC 18004 asks.
pub const QR_QUIET_ZONE: i32 = 4;

/// The printed size of a plate's QR code (the SVG's width and height).
pub const QR_PRINT_SIZE: &str = "100mm";

/// The `/api/v1/sites…` routes, relative to `/api`.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/sites", get(api::list))
        .route("/v1/sites/{slug}", get(api::site))
        .route("/v1/sites/{slug}/qr.svg", get(api::qr))
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(api::list, api::site, api::qr))]
pub struct ApiDoc;
