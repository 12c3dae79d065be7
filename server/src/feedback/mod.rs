//! Citizens' feedback (phản ánh, kiến nghị), the contract in
//! [`cuaso_domain::feedback`]: a report is sent with a code and a secret,
//! follows received → assigned → answered (or rejected), can be rated once
//! answered, and an answered report an officer publishes is shown to
//! everyone, without anything that identifies the reporter.
//!
//! A wrong secret answers exactly as an unknown code (404
//! `feedback_not_found`), and wrong secrets and unknown codes count against
//! the same limits as dossier lookups (`http::gate`).
//!
//! - `submit.rs`: `POST /api/v1/feedback`.
//! - `citizen.rs`: the public list, a report by code, photos, rating.
//! - `officer.rs`: the officer API's routes and the functions the CLI
//!   shares with them ([`assign`], [`answer`], [`reject`], [`publish`]).
//! - `store.rs`: the report as stored and what each reader sees.

mod citizen;
mod officer;
mod store;
mod submit;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;

use crate::http::body_limit;
use crate::AppState;

pub use officer::{answer, assign, list_all, publish, reject, show, status_filter};
pub use submit::purge_receipts;

/// The largest report body (text only: photos are uploaded first).
pub const BODY_LIMIT: usize = 64 * 1024;
/// The largest officer request body (an answer of 8000 characters fits).
pub const OFFICER_BODY_LIMIT: usize = 64 * 1024;
/// The largest rating body.
pub const RATING_BODY_LIMIT: usize = 16 * 1024;
/// The officer list answers at most this many reports.
pub const LIST_MAX: i64 = 200;
/// The public list's last page.
pub const PAGE_MAX: u32 = 1000;

/// The citizen's feedback routes, relative to `/api`.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/v1/feedback",
            get(citizen::list)
                .post(submit::create)
                .layer(body_limit(BODY_LIMIT)),
        )
        .route("/v1/feedback/{code}", get(citizen::lookup))
        .route("/v1/feedback/{code}/photos/{n}", get(citizen::photo))
        .route(
            "/v1/feedback/{code}/rating",
            post(citizen::rating).layer(body_limit(RATING_BODY_LIMIT)),
        )
}

/// The officer's feedback routes, relative to `/api/v1/officer` (behind
/// its token, see `http::officer`).
pub fn officer_router() -> Router<Arc<AppState>> {
    let limit = || body_limit(OFFICER_BODY_LIMIT);
    Router::new()
        .route("/feedback", get(officer::officer_list))
        .route(
            "/feedback/{code}/assign",
            post(officer::officer_assign).layer(limit()),
        )
        .route(
            "/feedback/{code}/answer",
            post(officer::officer_answer).layer(limit()),
        )
        .route(
            "/feedback/{code}/reject",
            post(officer::officer_reject).layer(limit()),
        )
        .route(
            "/feedback/{code}/publish",
            post(officer::officer_publish).layer(limit()),
        )
}

/// The routes' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    submit::create,
    citizen::list,
    citizen::lookup,
    citizen::photo,
    citizen::rating,
    officer::officer_list,
    officer::officer_assign,
    officer::officer_answer,
    officer::officer_reject,
    officer::officer_publish
))]
pub struct ApiDoc;
