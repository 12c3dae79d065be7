//! Dossiers (hồ sơ): an online application becomes a dossier, the citizen
//! follows it with its code and secret, officers move it through the
//! state machine of [`cuaso_domain::status`].
//!
//! - `submit.rs`: `POST /api/v1/dossiers` (and a helper's submission,
//!   [`accept`]): `intake.rs` checks, `register.rs` writes.
//! - `lookup.rs`: the citizen's routes: the view by code (everything with
//!   the secret, through `http::gate`), the batch status refresh, and what
//!   the holder of the secret does (`citizen.rs`).
//! - `officer.rs`: `/api/v1/officer/dossiers/...`; the CLI acts through
//!   the same functions (`moves.rs`).
//! - `store.rs` (rows, events, refusals), `view.rs` (what each reader
//!   sees), `moves.rs` (every status change), `assisted.rs` (a helper's
//!   assist, "nộp hộ").

mod assisted;
mod citizen;
mod intake;
mod lookup;
mod moves;
mod officer;
mod register;
mod store;
mod submit;
mod view;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

pub use assisted::Assisted;
pub use moves::{attach_result, check_result_allowed, confirm_payment, officer_move};
pub use store::{events, Access, StoredEvent};
pub use submit::{accept, purge_receipts};
pub use view::{list, show};

/// The largest submission body accepted (answers only; files are uploaded
/// first); the citizen's other dossier routes take as much.
pub const BODY_LIMIT: usize = 256 * 1024;

/// Status of a dossier just submitted: Mới đăng ký.
pub const STATUS_NEW: u8 = 1;

/// The citizen's dossier routes, relative to `/api`.
pub fn router() -> Router<Arc<AppState>> {
    let limit = || DefaultBodyLimit::max(BODY_LIMIT);
    Router::new()
        .route("/v1/dossiers", post(submit::create).layer(limit()))
        .route(
            "/v1/dossiers/statuses",
            post(lookup::statuses).layer(limit()),
        )
        .route("/v1/dossiers/{code}", get(lookup::lookup))
        .route(
            "/v1/dossiers/{code}/supplements",
            post(lookup::supplements).layer(limit()),
        )
        .route(
            "/v1/dossiers/{code}/withdraw",
            post(lookup::withdraw).layer(limit()),
        )
        .route(
            "/v1/dossiers/{code}/rating",
            post(lookup::rating).layer(limit()),
        )
        .route("/v1/dossiers/{code}/result", get(lookup::result))
}

/// The officer's dossier routes, relative to `/api/v1/officer` (behind
/// its token, see `http::officer`).
pub fn officer_router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/dossiers", get(officer::list))
        .route("/dossiers/{code}", get(officer::show))
        .route("/dossiers/{code}/transitions", post(officer::transition))
        .route("/dossiers/{code}/payment", post(officer::payment))
        .route(
            "/dossiers/{code}/result",
            post(officer::result).layer(DefaultBodyLimit::max(crate::uploads::BODY_LIMIT)),
        )
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        submit::create,
        lookup::lookup,
        lookup::statuses,
        lookup::supplements,
        lookup::withdraw,
        lookup::rating,
        lookup::result,
        officer::list,
        officer::show,
        officer::transition,
        officer::payment,
        officer::result
    ),
    components(schemas(officer::PaymentConfirmation, officer::ResultUpload))
)]
pub struct ApiDoc;
