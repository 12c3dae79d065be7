//! `POST /api/v1/feedback`: a report is received with a code
//! (`PA-YYMMDD-XXXXX`) and a secret; idempotent under the
//! `Idempotency-Key` header, its photos uploaded first.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use cuaso_domain::feedback::{
    check_feedback, FeedbackReceipt, FeedbackStatus, NewFeedback, CODE_ALPHABET, PHOTO_MAX_BYTES,
};
use cuaso_domain::form::FileType;
use cuaso_domain::validate::{normalize_phone, Problem};
use cuaso_domain::ApiErrorBody;
use sqlx::{AnyConnection, AnyPool};

use super::store::add_event;
use crate::http::gate::secret_hash;
use crate::http::idempotency::{receipt_response, request_hash, IdempotencyKey, Receipts};
use crate::http::{ApiError, Json, Lang};
use crate::infra::clock::Clock;
use crate::uploads;
use crate::AppState;

/// Where reports keep their receipts for retries.
const RECEIPTS: Receipts = Receipts {
    table: "feedback_idempotency",
    code_column: "feedback_code",
    what: "report",
};

/// A receipt answer, `no-store` (it holds the secret).
fn json_response(status: StatusCode, receipt: String) -> Response {
    let mut res = receipt_response(status, receipt);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A new code's random part: 5 of [`CODE_ALPHABET`] (32 letters: no
/// modulo bias), never all digits.
pub(super) fn random_tail() -> String {
    loop {
        let mut b = [0u8; 5];
        getrandom::getrandom(&mut b).expect("the operating system's random generator failed");
        let tail: String = b
            .iter()
            .map(|x| CODE_ALPHABET[usize::from(*x) % CODE_ALPHABET.len()] as char)
            .collect();
        if !tail.bytes().all(|c| c.is_ascii_digit()) {
            return tail;
        }
    }
}

/// Reports a problem. Send the same `Idempotency-Key` when retrying: the
/// first success answers 201, a retry with the same body answers 200 with
/// the same receipt (kept 24 hours).
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback",
    params(("Idempotency-Key" = String, Header,
        description = "8–64 of [A-Za-z0-9_-], new for each report, the same for its retries")),
    request_body(content = NewFeedback, content_type = "application/json"),
    responses(
        (status = 201, body = FeedbackReceipt, description = "the report was received"),
        (status = 200, body = FeedbackReceipt, description = "a retry: the receipt first answered"),
        (status = 400, body = ApiErrorBody, description = "missing_idempotency_key, invalid_parameter (malformed JSON, an unknown category)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large: body over 64 KiB"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`fields`: title, description, photos, location.position, location.commune, location.address, contact.name, contact.phone, contact.email; messages in the Accept-Language), idempotency_mismatch"),
    ))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    IdempotencyKey(key): IdempotencyKey,
    Lang(lang): Lang,
    Json(req): Json<NewFeedback>,
) -> Result<Response, ApiError> {
    let hash = request_hash(&req);
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    if let Some(receipt) = RECEIPTS.replay(&mut tx, &key, &hash, &s.clock).await? {
        let _ = tx.rollback().await;
        return Ok(json_response(StatusCode::OK, receipt));
    }

    let mut problems = check_feedback(&req);
    if !problems.iter().any(|(k, _)| k == "photos") {
        if let Some(p) = check_photos(&mut tx, &req.photos).await? {
            problems.push(("photos".into(), p));
        }
    }
    if !problems.is_empty() {
        let _ = tx.rollback().await;
        return Err(ApiError::validation(problems, lang));
    }

    let now = s.clock.now();
    let day = s.clock.today().yymmdd();
    let mut code = String::new();
    for _ in 0..20 {
        let c = format!("PA-{day}-{}", random_tail());
        let (taken,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM feedback WHERE code = $1")
            .bind(&c)
            .fetch_one(&mut *tx)
            .await?;
        if taken == 0 {
            code = c;
            break;
        }
    }
    if code.is_empty() {
        return Err(ApiError::internal(
            "could not find a free code; retry with the same key",
        ));
    }
    let secret = crate::infra::random::secret();
    let received_at = now.rfc3339();
    let phone = req.contact.phone.trim();
    let phone = if phone.is_empty() {
        String::new()
    } else {
        normalize_phone(phone).unwrap_or_else(|_| phone.to_string())
    };
    let position = req.location.position.as_ref();
    sqlx::query(
        "INSERT INTO feedback (code, secret_hash, category, title, description, lat, lon, \
         accuracy_m, commune, address, contact_name, contact_phone, contact_email, status, \
         lang, received_at, idempotency_key) \
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS DOUBLE PRECISION), CAST($7 AS DOUBLE PRECISION), \
         $8, $9, $10, $11, $12, $13, 'received', $14, $15, $16)",
    )
    // The position goes as text: sqlx's Any driver sends a NULL double
    // to PostgreSQL typed as a float4, and the statement it caches then
    // refuses the next real double. f64's text round-trips exactly.
    .bind(&code)
    .bind(secret_hash(&code, &secret))
    .bind(req.category.as_str())
    .bind(req.title.trim())
    .bind(req.description.trim())
    .bind(position.map(|p| p.lat.to_string()))
    .bind(position.map(|p| p.lon.to_string()))
    .bind(position.and_then(|p| p.accuracy_m).map(i64::from))
    .bind(req.location.commune.trim())
    .bind(req.location.address.trim())
    .bind(req.contact.name.trim())
    .bind(&phone)
    .bind(req.contact.email.trim())
    .bind(lang)
    .bind(&received_at)
    .bind(&key)
    .execute(&mut *tx)
    .await?;
    add_event(
        &mut tx,
        &code,
        "receive",
        FeedbackStatus::Received,
        &received_at,
        "citizen",
        None,
    )
    .await?;
    for (n, id) in req.photos.iter().enumerate() {
        let done = sqlx::query(
            "UPDATE uploads SET feedback_code = $1, feedback_photo = $2 \
             WHERE id = $3 AND dossier_code IS NULL AND feedback_code IS NULL",
        )
        .bind(&code)
        .bind(n as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(ApiError::internal(
                "an upload changed during the submission",
            ));
        }
    }
    let receipt = serde_json::to_string(&FeedbackReceipt {
        code: code.clone(),
        secret,
        received_at,
    })
    .map_err(|_| ApiError::internal("json"))?;
    RECEIPTS
        .record(&mut tx, &key, &hash, &code, &receipt, &s.clock)
        .await?;
    tx.commit().await?;
    tracing::info!(feedback = %code, category = req.category.as_str(), "feedback received");
    Ok(json_response(StatusCode::CREATED, receipt))
}

/// The first problem with the photos named: each an upload that exists,
/// is not attached to anything, is a JPEG or PNG of at most
/// [`PHOTO_MAX_BYTES`].
pub(super) async fn check_photos(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Option<Problem>, ApiError> {
    for id in ids {
        let problem =
            uploads::check(conn, id, &[FileType::Jpeg, FileType::Png], PHOTO_MAX_BYTES).await?;
        if problem.is_some() {
            return Ok(problem);
        }
    }
    Ok(None)
}

/// Clears the reports' receipts older than 24 hours (see
/// [`Receipts::purge`]).
pub async fn purge_receipts(pool: &AnyPool, clock: &Clock) -> Result<u64, sqlx::Error> {
    RECEIPTS.purge(pool, clock).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use cuaso_domain::feedback::normalize_code;

    #[test]
    fn new_codes_have_the_contract_shape() {
        for _ in 0..500 {
            let code = format!("PA-261124-{}", random_tail());
            assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
        }
    }
}
