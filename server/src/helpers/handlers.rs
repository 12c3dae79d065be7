//! The helper's routes: submit an application for a citizen (through
//! `crate::dossiers`, with the consent), list their own assisted dossiers.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use cuaso_domain::api::Text;
#[allow(unused_imports)] // named by the OpenAPI annotations
use cuaso_domain::form::DossierReceipt;
use cuaso_domain::helper::{
    check_consent, AssistedDossier, AssistedItem, AssistedList, HelperInfo,
};
use cuaso_domain::status::Status;
use cuaso_domain::validate::normalize_phone;
use cuaso_domain::ApiErrorBody;
use sha2::{Digest, Sha256};

use super::LIST_MAX;
use crate::accounts::Signed;
use crate::dossiers::{self, Assisted};
use crate::http::idempotency::IdempotencyKey;
use crate::http::{ApiError, Json};
use crate::AppState;

/// The assist of a helper's submission: who helps, the consent as it
/// will be stored and its problems, and the hash a retry must match.
fn assisted(signed: &Signed, body: &AssistedDossier) -> Assisted {
    let helper = signed.helper.clone().unwrap_or(HelperInfo {
        name: signed.username.clone(),
        team: String::new(),
        commune: String::new(),
    });
    let c = &body.consent;
    let json = serde_json::to_string(body).unwrap_or_default();
    Assisted {
        account_id: signed.account_id,
        username: signed.username.clone(),
        helper_name: helper.name,
        team: helper.team,
        consent_name: c.name.trim().to_string(),
        consent_phone: normalize_phone(c.phone.trim())
            .unwrap_or_else(|_| c.phone.trim().to_string()),
        problems: check_consent(c),
        request_hash: format!(
            "{:x}",
            Sha256::digest(format!("assisted:{}:{json}", signed.account_id).as_bytes())
        ),
    }
}

/// Submits an application on a citizen's behalf, with the citizen's
/// consent. Everything else is `POST /api/v1/dossiers`: the same checks,
/// the same receipt (hand it over to the citizen: it holds the secret),
/// and a retry with the same `Idempotency-Key` and body answers 200 with
/// that receipt. Officers and the citizen see `private.assisted_by`.
#[utoipa::path(post, path = "/api/v1/helper/dossiers", tag = "helpers",
    security(("session_cookie" = [], "csrf_header" = [])),
    params(("Idempotency-Key" = String, Header,
        description = "8–64 of [A-Za-z0-9_-], new for each application, the same for its retries")),
    request_body(content = AssistedDossier, content_type = "application/json"),
    responses(
        (status = 201, body = DossierReceipt, description = "the dossier was created, recorded as submitted by this helper"),
        (status = 200, body = DossierReceipt, description = "a retry: the receipt first answered"),
        (status = 400, body = ApiErrorBody, description = "missing_idempotency_key, invalid_parameter (malformed JSON), invalid_code"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required; forbidden: not a helper's session"),
        (status = 404, body = ApiErrorBody, description = "procedure_not_found"),
        (status = 413, body = ApiErrorBody, description = "body over 256 KiB"),
        (status = 415, body = ApiErrorBody, description = "not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation: the answers' fields as for POST /api/v1/dossiers, and `consent.given` (consent), `consent.name` (required, too_long, invalid_chars), `consent.phone` (required, phone_shape, phone_prefix); nothing is stored. not_online, idempotency_mismatch (also for a key used with another consent, by another helper or on POST /api/v1/dossiers)"),
    ))]
pub async fn submit(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    Extension(signed): Extension<Signed>,
    IdempotencyKey(key): IdempotencyKey,
    Json(body): Json<AssistedDossier>,
) -> Result<Response, ApiError> {
    let assisted = assisted(&signed, &body);
    dossiers::accept(&s, &headers, &key, &body.dossier, Some(&assisted)).await
}

/// The dossiers this helper submitted, newest first (at most 200): code,
/// procedure, status and date only. Nothing about the citizens: their
/// details and the secrets went to them at the hand-over.
#[utoipa::path(get, path = "/api/v1/helper/dossiers", tag = "helpers",
    security(("session_cookie" = [])),
    responses(
        (status = 200, body = AssistedList),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "forbidden: not a helper's session"),
    ))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    Extension(signed): Extension<Signed>,
) -> Result<Json<AssistedList>, ApiError> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT d.code, d.procedure_code, d.status, d.received_at \
         FROM assisted_dossiers a JOIN dossiers d ON d.code = a.dossier_code \
         WHERE a.helper_account_id = $1 ORDER BY d.received_at DESC, d.code DESC LIMIT $2",
    )
    .bind(signed.account_id)
    .bind(LIST_MAX)
    .fetch_all(&s.pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|(code, procedure, status, received_at)| {
            let status = u8::try_from(status)
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| ApiError::internal("stored dossier status is broken"))?;
            let procedure_name = s
                .catalogue
                .procedure(&procedure)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| Text {
                    vi: procedure.clone(),
                    en: procedure.clone(),
                });
            Ok(AssistedItem {
                code,
                procedure,
                procedure_name,
                status,
                received_at,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Json(AssistedList { items }))
}
