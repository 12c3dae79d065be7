//! Accounts and sessions: `/api/v1/auth/...`. An account is an OCOP
//! producer's (the `/me` portal, `crate::products`) or a community digital
//! helper's (the `/helper` routes, `crate::helpers`); both sign in, stay
//! signed in and sign out through the same code here, and those features
//! guard their routes with [`require_producer`] and [`require_helper`].
//!
//! - `password.rs`: argon2id hashes; an unknown account costs as much time
//!   as a known one, and both answer the same 401 `login_failed`.
//! - `session.rs`: the cookie, the session table, the guards (session,
//!   CSRF header, role).
//! - `throttle.rs`: failed sign-ins per account name and per client.
//! - `store.rs`: creating and listing accounts, the demo accounts.
//! - `handlers.rs`: the routes.

mod handlers;
mod password;
mod session;
mod store;
mod throttle;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;

use crate::http::routing;
use crate::AppState;

pub use password::{hash_password, initial_password, verify_password};
pub use session::{
    forbidden, require_helper, require_producer, require_session, session_required, token_hash,
    Signed,
};
pub use store::{
    create_account, create_helper, helper_info, list_accounts, seed, team_name, AccountSummary,
    COMMUNE_MAX, HELPER_NAME_MAX, SEED_ACCOUNTS,
};

/// The request body limit of the auth routes.
pub const BODY_LIMIT: usize = 8 * 1024;

/// `/api/v1/auth` (relative to `/api`): login is open, the rest needs the
/// session (and, but for `GET /session`, the CSRF header); every answer is
/// `no-store`.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let limit = || DefaultBodyLimit::max(BODY_LIMIT);
    let signed = Router::new()
        .route("/session", get(handlers::session))
        .route("/logout", post(handlers::logout).layer(limit()))
        .route("/logout-all", post(handlers::logout_all).layer(limit()))
        .route("/password", post(handlers::password).layer(limit()))
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            session::require_session,
        ));
    let auth = Router::new()
        .route("/login", post(handlers::login).layer(limit()))
        .merge(signed);
    Router::new().nest(
        "/v1/auth",
        routing::with_fallbacks(auth).layer(axum::middleware::from_fn(routing::no_store)),
    )
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    handlers::login,
    handlers::session,
    handlers::logout,
    handlers::logout_all,
    handlers::password
))]
pub struct ApiDoc;
