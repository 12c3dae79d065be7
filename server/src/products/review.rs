//! The officer's review of producers' proposals:
//! `/api/v1/officer/listings/...` (the CLI's `listing` commands go through
//! the same functions, `listings.rs`).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use cuaso_domain::producer::{ListingStatus, ReviewDecision, ReviewItem};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::handlers::{bad_link, path_gtin};
use crate::http::officer::WHO;
use crate::http::{ApiError, Json, Lang};
use crate::AppState;

/// Producers' listings waiting for review (`pending` by default), or of
/// another status (`draft`, `changes_requested`, `published`, `all`).
#[utoipa::path(get, path = "/api/v1/officer/listings", tag = "officer",
    security(("officer_token" = [])),
    params(("status" = Option<String>, Query, description = "pending (default), draft, changes_requested, published or all")),
    responses(
        (status = 200, body = [ReviewItem]),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter (status)"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
    ))]
pub async fn listings(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ReviewItem>>, ApiError> {
    let mut status = Some(ListingStatus::Pending);
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if k == "status" {
            status = listing_status(&v).map_err(|m| {
                ApiError::bad_request(ApiErrorBody::for_field(
                    ErrorCode::InvalidParameter,
                    "status",
                    m,
                ))
            })?;
        }
    }
    Ok(Json(super::listings::list(&s, status).await?))
}

/// A listing status from a query or the CLI; `all` is `None`.
pub fn listing_status(v: &str) -> Result<Option<ListingStatus>, String> {
    if v == "all" {
        return Ok(None);
    }
    ListingStatus::parse(v)
        .map(Some)
        .ok_or_else(|| "status is pending, draft, changes_requested, published or all".to_string())
}

pub(super) fn too_large(_: axum::extract::rejection::BytesRejection) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ApiErrorBody::new(ErrorCode::PayloadTooLarge, "the body may be at most 16 KiB"),
    )
}

/// The optional JSON body of a review: none (or empty) is no note.
pub(super) fn decision(body: &[u8]) -> Result<ReviewDecision, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ReviewDecision::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(ApiErrorBody::new(
            ErrorCode::InvalidParameter,
            format!("malformed JSON body: {e}"),
        ))
    })
}

pub(super) fn review_gtin(
    gtin: Result<Path<String>, PathRejection>,
    lang: &str,
) -> Result<String, ApiError> {
    let Ok(Path(raw)) = gtin else {
        return Err(bad_link(
            &cuaso_domain::gs1::Gs1Error::BadPercentEncoding,
            lang,
        ));
    };
    path_gtin(&raw, lang)
}

/// Approves the pending proposal: the public product shows it from now on.
#[utoipa::path(post, path = "/api/v1/officer/listings/{gtin}/approve", tag = "officer",
    security(("officer_token" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    request_body(content = ReviewDecision, description = "optional: a note", content_type = "application/json"),
    responses(
        (status = 200, body = ReviewItem, description = "status published"),
        (status = 400, body = ApiErrorBody, description = "bad_digital_link, malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "product_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: nothing pending"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large: over 16 KiB"),
        (status = 422, body = ApiErrorBody, description = "validation (`note`)"),
    ))]
pub async fn approve(
    State(s): State<Arc<AppState>>,
    gtin: Result<Path<String>, PathRejection>,
    Lang(lang): Lang,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let gtin = review_gtin(gtin, lang)?;
    let d = decision(&body.map_err(too_large)?)?;
    Ok(Json(
        super::listings::approve(&s, &gtin, d.note.as_deref(), WHO, lang).await?,
    ))
}

/// Sends the pending proposal back with a note (required, at most 1000
/// characters): the producer sees it and edits; the public page is unchanged.
#[utoipa::path(post, path = "/api/v1/officer/listings/{gtin}/reject", tag = "officer",
    security(("officer_token" = [])),
    params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    request_body(content = ReviewDecision, content_type = "application/json"),
    responses(
        (status = 200, body = ReviewItem, description = "status changes_requested"),
        (status = 400, body = ApiErrorBody, description = "bad_digital_link, malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "product_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: nothing pending"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large: over 16 KiB"),
        (status = 422, body = ApiErrorBody, description = "validation (`note`: required, too_long, invalid_chars)"),
    ))]
pub async fn reject(
    State(s): State<Arc<AppState>>,
    gtin: Result<Path<String>, PathRejection>,
    Lang(lang): Lang,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let gtin = review_gtin(gtin, lang)?;
    let d = decision(&body.map_err(too_large)?)?;
    Ok(Json(
        super::listings::reject(&s, &gtin, d.note.as_deref(), WHO, lang).await?,
    ))
}
