//! The reference back office: `/api/v1/officer/...`, behind
//! `Authorization: Bearer <token>` (the token from `--officer-token`;
//! without one configured, every officer route answers 401). The same
//! actions as the `cuaso-server officer` CLI, through the same functions
//! ([`crate::tracking`]).

use std::sync::Arc;

use axum::Router;

use crate::http::officer::{self};
use crate::http::routing;
use crate::AppState;

/// The officer routes, relative to `/api/v1/officer`; every one (and every
/// unknown path under it) behind the bearer token.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .merge(crate::dossiers::officer_router())
        .merge(crate::feedback::officer_router())
        .merge(crate::products::officer_router())
        .fallback(routing::not_found)
        .method_not_allowed_fallback(routing::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state,
            officer::require_token,
        ))
}
