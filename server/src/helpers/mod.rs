//! Assisted applications: `/api/v1/helper/...`, for community digital
//! helpers (thành viên Tổ công nghệ số cộng đồng) who apply on a citizen's
//! behalf.
//!
//! - Helpers' accounts are made by the commune with `cuaso-server helper
//!   add` and sign in through `/api/v1/auth` like producers
//!   ([`crate::accounts`]); every `/helper` route sits behind
//!   [`accounts::require_helper`]: 401 `session_required` without a session,
//!   403 `csrf_required` without the CSRF header on a POST, 403 `forbidden`
//!   for a producer's session. Every answer is `no-store`.
//! - `POST /api/v1/helper/dossiers` checks the citizen's consent
//!   ([`cuaso_domain::helper::check_consent`]) with the answers, then submits through the very
//!   code of `POST /api/v1/dossiers` ([`crate::dossiers::accept`]): the same
//!   receipt, the same idempotency. The assist is written in the
//!   submission's transaction (`assisted_dossiers`), and the dossier's first
//!   event is recorded as `helper:<username>` (acting for the citizen).
//! - `GET /api/v1/helper/dossiers` lists that helper's own assisted
//!   dossiers, status only: nothing about the citizen.
//! - The dossier's private part (the secret holder, officers) carries
//!   [`cuaso_domain::helper::AssistedBy`] ("nộp hộ bởi"); the public view says nothing of it.

mod handlers;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, MethodRouter};
use axum::Router;
use utoipa::OpenApi;

use crate::accounts;
use crate::http::routing;
use crate::AppState;

/// Where the helper routes live.
pub const HELPER_PREFIX: &str = "/api/v1/helper";

/// Every `/api/v1/helper` operation, (method, path): the router is built
/// from this list, and the tests check it against the OpenAPI document.
pub const HELPER_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/helper/dossiers"),
    ("POST", "/api/v1/helper/dossiers"),
];

/// The helper's list answers at most this many dossiers, newest first.
pub const LIST_MAX: i64 = 200;

fn handler(method: &str, path: &str) -> MethodRouter<Arc<AppState>> {
    match (method, path) {
        ("GET", "/api/v1/helper/dossiers") => get(handlers::list),
        ("POST", "/api/v1/helper/dossiers") => axum::routing::post(handlers::submit)
            .layer(DefaultBodyLimit::max(crate::dossiers::BODY_LIMIT)),
        _ => panic!("HELPER_ROUTES lists {method} {path}, which has no handler"),
    }
}

/// The `/helper` routes (relative to `/api`), behind a helper's session
/// (every unknown path under it too), all `no-store`.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let mut r = Router::new();
    for (method, path) in HELPER_ROUTES {
        let rel = path
            .strip_prefix(HELPER_PREFIX)
            .expect("every HELPER_ROUTES path starts with HELPER_PREFIX");
        r = r.route(rel, handler(method, path));
    }
    let guarded = routing::with_fallbacks(r)
        .layer(axum::middleware::from_fn_with_state(
            state,
            accounts::require_helper,
        ))
        .layer(axum::middleware::from_fn(routing::no_store));
    Router::new().nest("/v1/helper", guarded)
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(handlers::submit, handlers::list))]
pub struct ApiDoc;
