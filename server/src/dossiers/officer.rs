//! The officer API's dossier routes (`/api/v1/officer/dossiers/...`):
//! the same actions as the `cuaso-server officer` CLI, through the same
//! functions (`moves.rs`).

use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, RawQuery, Request, State};
use axum::http::HeaderMap;
use cuaso_domain::status::Status;
use cuaso_domain::track::{DossierView, OfficerMove};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::{Deserialize, Serialize};

use super::store::Access;
use super::{moves, view};
use crate::http::officer::WHO;
use crate::http::{request_lang, ApiError, Json, Lang, PathCode};
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

/// Dossiers, newest first (at most 200), optionally of one status.
#[utoipa::path(get, path = "/api/v1/officer/dossiers", tag = "officer",
    security(("officer_token" = [])),
    params(("status" = Option<u8>, Query, description = "Only this status, 1–10")),
    responses(
        (status = 200, body = [DossierView]),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter (status)"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
    ))]
pub(super) async fn list(
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
    Ok(Json(view::list(&s, status).await?))
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
pub(super) async fn show(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
) -> Result<Json<DossierView>, ApiError> {
    Ok(Json(view::show(&s, &code, Access::Officer).await?))
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
pub(super) async fn transition(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Lang(lang): Lang,
    Json(mv): Json<OfficerMove>,
) -> Result<Json<DossierView>, ApiError> {
    Ok(Json(moves::officer_move(&s, &code, &mv, WHO, lang).await?))
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
pub(super) async fn payment(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Lang(lang): Lang,
    Json(p): Json<PaymentConfirmation>,
) -> Result<Json<DossierView>, ApiError> {
    Ok(Json(
        moves::confirm_payment(&s, &code, p.amount, WHO, lang).await?,
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
pub(super) async fn result(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    req: Request,
) -> Result<Json<DossierView>, ApiError> {
    let lang = request_lang(&headers);
    let upload = if uploads::is_multipart(&headers) {
        // Refuse before storing anything.
        moves::check_result_allowed(&s, &code).await?;
        let multipart = Multipart::from_request(req, &()).await;
        uploads::receive(&s, &headers, multipart).await?.id
    } else {
        let Json(r) = Json::<ResultUpload>::from_request(req, &()).await?;
        r.upload
    };
    Ok(Json(
        moves::attach_result(&s, &code, &upload, WHO, lang).await?,
    ))
}
