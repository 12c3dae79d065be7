//! `POST /api/v1/dossiers`: an online application becomes a dossier (hồ
//! sơ) with a code, a secret, a promised date and, when a fee is due,
//! where to pay it. Idempotent under the `Idempotency-Key` header; the
//! checks are in `intake.rs`, the writing in `register.rs`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cuaso_domain::form::{DossierReceipt, NewDossier};
use cuaso_domain::ApiErrorBody;
use sqlx::{Any, AnyPool, Transaction};

use super::assisted::Assisted;
use super::{intake, register};
use crate::http::idempotency::{receipt_response, request_hash, IdempotencyKey, Receipts};
use crate::http::{request_lang, ApiError, Json};
use crate::infra::clock::Clock;
use crate::AppState;

/// Where submissions keep their receipts for retries.
const RECEIPTS: Receipts = Receipts {
    table: "idempotency",
    code_column: "dossier_code",
    what: "application",
};

/// Submits an application. Send the same `Idempotency-Key` when retrying:
/// the first success answers 201, every retry with the same body answers
/// 200 with the same receipt.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers",
    params(("Idempotency-Key" = String, Header,
        description = "8–64 of [A-Za-z0-9_-], new for each application, the same for its retries")),
    request_body(content = NewDossier, content_type = "application/json"),
    responses(
        (status = 201, body = DossierReceipt, description = "the dossier was created"),
        (status = 200, body = DossierReceipt, description = "a retry: the receipt first answered"),
        (status = 400, body = ApiErrorBody, description = "missing_idempotency_key, invalid_parameter (malformed JSON), invalid_code"),
        (status = 404, body = ApiErrorBody, description = "procedure_not_found"),
        (status = 413, body = ApiErrorBody, description = "body over 256 KiB"),
        (status = 415, body = ApiErrorBody, description = "not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (see fields), not_online, idempotency_mismatch"),
    ))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    Json(req): Json<NewDossier>,
) -> Result<Response, ApiError> {
    accept(&s, &headers, &key, &req, None).await
}

/// A submission, by the citizen (`assisted` `None`) or by a community
/// helper for them (`POST /api/v1/helper/dossiers`): the same checks and
/// receipt; a helper's consent problems are refused with the answers', and
/// the assist is recorded in the dossier's transaction.
pub async fn accept(
    s: &AppState,
    headers: &HeaderMap,
    key: &str,
    req: &NewDossier,
    assisted: Option<&Assisted>,
) -> Result<Response, ApiError> {
    let lang = request_lang(headers);
    let hash = match assisted {
        Some(a) => a.request_hash.clone(),
        None => request_hash(req),
    };
    // One writer at a time: a concurrent request with the same key waits
    // here, then finds this one's row.
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    match submit(s, &mut tx, key, &hash, req, lang, assisted).await {
        Ok(Outcome::Created { code, receipt }) => {
            tx.commit().await?;
            tracing::info!(
                dossier = %code,
                procedure = %req.procedure,
                helper = assisted.map(|a| a.username.as_str()),
                "dossier received"
            );
            Ok(receipt_response(StatusCode::CREATED, receipt))
        }
        Ok(Outcome::Replay(receipt)) => {
            let _ = tx.rollback().await;
            Ok(receipt_response(StatusCode::OK, receipt))
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

enum Outcome {
    /// A new dossier; the receipt JSON.
    Created { code: String, receipt: String },
    /// A retry: the receipt JSON first answered.
    Replay(String),
}

/// Everything a submission does, inside one write transaction: a retry
/// answers the receipt first given; a new submission is checked
/// ([`intake::check`]), written ([`register::register`]) and its receipt
/// kept for retries.
async fn submit(
    s: &AppState,
    tx: &mut Transaction<'_, Any>,
    key: &str,
    hash: &str,
    req: &NewDossier,
    lang: &str,
    assisted: Option<&Assisted>,
) -> Result<Outcome, ApiError> {
    if let Some(receipt) = RECEIPTS.replay(tx, key, hash, &s.clock).await? {
        return Ok(Outcome::Replay(receipt));
    }
    let intake = intake::check(s, tx, req, lang, assisted).await?;
    let receipt = register::register(s, tx, key, intake, lang, assisted).await?;
    let code = receipt.code.clone();
    let receipt = serde_json::to_string(&receipt).map_err(|_| ApiError::internal("json"))?;
    RECEIPTS
        .record(tx, key, hash, &code, &receipt, &s.clock)
        .await?;
    Ok(Outcome::Created { code, receipt })
}

/// Clears the dossiers' receipts older than 24 hours (see
/// [`Receipts::purge`]).
pub async fn purge_receipts(pool: &AnyPool, clock: &Clock) -> Result<u64, sqlx::Error> {
    RECEIPTS.purge(pool, clock).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use cuaso_domain::form::Answers;

    #[test]
    fn request_hash_ignores_answer_order_only() {
        let mut a = Answers::new();
        a.insert("b".into(), "2".into());
        a.insert("a".into(), "1".into());
        let r = NewDossier {
            procedure: "1.001193".into(),
            answers: a.clone(),
        };
        let json_reordered = r#"{"answers":{"a":"1","b":"2"},"procedure":"1.001193"}"#;
        let r2: NewDossier = serde_json::from_str(json_reordered).unwrap();
        assert_eq!(request_hash(&r), request_hash(&r2));
        a.insert("a".into(), "1 ".into());
        let r3 = NewDossier {
            procedure: "1.001193".into(),
            answers: a,
        };
        assert_ne!(request_hash(&r), request_hash(&r3));
    }
}
