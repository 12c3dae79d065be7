//! The reference back office: `/api/v1/officer/...`, behind
//! `Authorization: Bearer <token>` (the token from `--officer-token`;
//! without one configured, every officer route answers 401). The same
//! actions as the `cuaso-server officer` CLI, through the same functions
//! ([`crate::tracking`]).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use cuaso_domain::producer::{ListingStatus, ReviewDecision, ReviewItem};
use cuaso_domain::status::Status;
use cuaso_domain::track::{DossierView, OfficerMove};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::{Deserialize, Serialize};

use crate::http::officer::{self, WHO};
use crate::http::routing;
use crate::http::{body_limit, request_lang, ApiError, Json, PathCode};
use crate::tracking::{self, Access};
use crate::uploads;
use crate::AppState;

/// `POST /api/v1/officer/dossiers/{code}/payment`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentConfirmation {
    /// VND received (> 0).
    pub amount: u64,
}

/// `POST /api/v1/officer/dossiers/{code}/result` as JSON: an upload made
/// with `POST /api/v1/uploads`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResultUpload {
    pub upload: String,
}

/// A multipart form with one part, `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ResultForm {
    /// The result: PDF, JPEG or PNG, at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The officer routes, relative to `/api/v1/officer`; every one (and every
/// unknown path under it) behind the bearer token.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .route("/dossiers", get(list))
        .route("/dossiers/{code}", get(show))
        .route("/dossiers/{code}/transitions", post(transition))
        .route("/dossiers/{code}/payment", post(payment))
        .route(
            "/dossiers/{code}/result",
            post(result).layer(axum::extract::DefaultBodyLimit::max(uploads::BODY_LIMIT)),
        )
        .route("/feedback", get(crate::feedback::officer_list))
        .route(
            "/feedback/{code}/assign",
            post(crate::feedback::officer_assign).layer(feedback_limit()),
        )
        .route(
            "/feedback/{code}/answer",
            post(crate::feedback::officer_answer).layer(feedback_limit()),
        )
        .route(
            "/feedback/{code}/reject",
            post(crate::feedback::officer_reject).layer(feedback_limit()),
        )
        .route(
            "/feedback/{code}/publish",
            post(crate::feedback::officer_publish).layer(feedback_limit()),
        )
        .route("/listings", get(listings))
        .route(
            "/listings/{gtin}/approve",
            post(approve).layer(axum::extract::DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/listings/{gtin}/reject",
            post(reject).layer(axum::extract::DefaultBodyLimit::max(16 * 1024)),
        )
        .fallback(routing::not_found)
        .method_not_allowed_fallback(routing::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state,
            officer::require_token,
        ))
}

fn feedback_limit() -> crate::http::extract::BodyLimit {
    body_limit(crate::feedback::OFFICER_BODY_LIMIT)
}

/// Dossiers, newest first (at most 200), optionally of one status.
#[utoipa::path(get, path = "/api/v1/officer/dossiers", tag = "officer",
    security(("officer_token" = [])),
    params(("status" = Option<u8>, Query, description = "Only this status, 1–10")),
    responses(
        (status = 200, body = [DossierView]),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter (status)"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
    ))]
async fn list(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<DossierView>>, ApiError> {
    let mut status = None;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if k == "status" {
            let st = v
                .parse::<u8>()
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| {
                    ApiError::bad_request(ApiErrorBody::for_field(
                        ErrorCode::InvalidParameter,
                        "status",
                        "status is a number from 1 to 10",
                    ))
                })?;
            status = Some(st);
        }
    }
    Ok(Json(tracking::list(&s, status).await?))
}

/// One dossier, with everything.
#[utoipa::path(get, path = "/api/v1/officer/dossiers/{code}", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    responses(
        (status = 200, body = DossierView),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
    ))]
async fn show(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
) -> Result<Json<DossierView>, ApiError> {
    Ok(Json(tracking::show(&s, &code, Access::Officer).await?))
}

/// Moves a dossier. A reason is required into 3, 5, 6 and 8; into 5 name
/// the missing documents (limits default to PDF/JPG/PNG, 5 MiB, 3 files);
/// into 6 give the amount.
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/transitions", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = OfficerMove, content_type = "application/json"),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "malformed JSON (an unknown status is malformed)"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 409, body = ApiErrorBody, description = "invalid_transition: `field` is the reason (status_final, transition_not_allowed, wrong_actor, reason_required, reason_too_long, reason_invalid), `message` explains in the Accept-Language"),
        (status = 422, body = ApiErrorBody, description = "invalid_parameter: documents (into 5), amount (into 6)"),
    ))]
async fn transition(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    Json(mv): Json<OfficerMove>,
) -> Result<Json<DossierView>, ApiError> {
    let lang = request_lang(&headers);
    Ok(Json(
        tracking::officer_move(&s, &code, &mv, WHO, lang).await?,
    ))
}

/// Confirms the payment asked for: the 6 → 4 move, recorded with the amount
/// (the timeline shows it as paid).
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/payment", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = PaymentConfirmation, content_type = "application/json"),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: not at 6"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "invalid_parameter: amount"),
    ))]
async fn payment(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    Json(p): Json<PaymentConfirmation>,
) -> Result<Json<DossierView>, ApiError> {
    let lang = request_lang(&headers);
    Ok(Json(
        tracking::confirm_payment(&s, &code, p.amount, WHO, lang).await?,
    ))
}

/// Attaches the result file, at status 4 or 9 (it replaces an earlier one;
/// the status does not change). Either multipart with a `file` part
/// (checked as `POST /api/v1/uploads` checks it), or JSON naming an upload.
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/result", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content(
        (ResultForm = "multipart/form-data"),
        (ResultUpload = "application/json"),
    )),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: not at 4 or 9"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type"),
        (status = 422, body = ApiErrorBody, description = "validation (`upload`: upload_missing, upload_in_use, file_id_invalid)"),
    ))]
async fn result(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    req: Request,
) -> Result<Json<DossierView>, ApiError> {
    let lang = request_lang(&headers);
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    let upload = if is_multipart {
        // Refuse before storing anything.
        let norm = tracking::normalize_code(&code).ok_or_else(tracking::dossier_not_found)?;
        let row = tracking::find_in_pool(&s, &norm)
            .await?
            .ok_or_else(tracking::dossier_not_found)?;
        tracking::result_allowed(&row)?;
        let multipart = Multipart::from_request(req, &()).await;
        uploads::receive(&s, &headers, multipart).await?.id
    } else {
        let Json(r) = Json::<ResultUpload>::from_request(req, &()).await?;
        r.upload
    };
    Ok(Json(
        tracking::attach_result(&s, &code, &upload, WHO, lang).await?,
    ))
}

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
    Ok(Json(crate::listings::list(&s, status).await?))
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

fn too_large(_: axum::extract::rejection::BytesRejection) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ApiErrorBody::new(ErrorCode::PayloadTooLarge, "the body may be at most 16 KiB"),
    )
}

/// The optional JSON body of a review: none (or empty) is no note.
fn decision(body: &[u8]) -> Result<ReviewDecision, ApiError> {
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

fn review_gtin(gtin: Result<Path<String>, PathRejection>, lang: &str) -> Result<String, ApiError> {
    let Ok(Path(raw)) = gtin else {
        return Err(crate::products::bad_link(
            &cuaso_domain::gs1::Gs1Error::BadPercentEncoding,
            lang,
        ));
    };
    crate::products::path_gtin(&raw, lang)
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
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let lang = request_lang(&headers);
    let gtin = review_gtin(gtin, lang)?;
    let d = decision(&body.map_err(too_large)?)?;
    Ok(Json(
        crate::listings::approve(&s, &gtin, d.note.as_deref(), WHO, lang).await?,
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
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let lang = request_lang(&headers);
    let gtin = review_gtin(gtin, lang)?;
    let d = decision(&body.map_err(too_large)?)?;
    Ok(Json(
        crate::listings::reject(&s, &gtin, d.note.as_deref(), WHO, lang).await?,
    ))
}
