//! The `Idempotency-Key` gate of the submissions (a dossier, a feedback
//! report): the key is required; the first success stores the receipt
//! under the key with the request's hash, and a retry with the same key
//! and body answers that receipt again (200) instead of making a second
//! record. The same key with another body, or after the receipt is gone
//! (it holds the secret and is kept [`RECEIPT_KEPT`]), answers 422
//! `idempotency_mismatch`; the key itself stays, so it never makes a
//! second record.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool};

use super::ApiError;
use crate::infra::clock::{utc_string, Clock};

/// The header that makes a submission safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// How long a submission's receipt (which holds the secret) is kept for
/// retries under the same key.
pub const RECEIPT_KEPT: Duration = Duration::from_secs(24 * 3600);

/// The `Idempotency-Key` header: 8–64 of `[A-Za-z0-9_-]`, else 400
/// `missing_idempotency_key`. As an extractor, put it before the body so
/// a missing key is refused first.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        idempotency_key(&parts.headers).map(IdempotencyKey)
    }
}

/// [`IdempotencyKey`] of these headers.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| {
            (8..=64).contains(&k.len())
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    match key {
        Some(k) => Ok(k.to_string()),
        None => Err(ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::MissingIdempotencyKey,
            "Idempotency-Key",
            "send an Idempotency-Key header of 8 to 64 letters, digits, - or _",
        ))),
    }
}

/// Hex SHA-256 of the request's JSON (fields in declaration order; maps
/// sorted by key), what a retry must match.
pub fn request_hash<T: Serialize>(req: &T) -> String {
    let json = serde_json::to_string(req).unwrap_or_default();
    format!("{:x}", Sha256::digest(json.as_bytes()))
}

/// `created_at` of receipts older than [`RECEIPT_KEPT`] is before this.
pub fn receipt_cutoff(clock: &Clock) -> String {
    utc_string(clock.system_time() - RECEIPT_KEPT)
}

/// A receipt (stored JSON) as the answer: 201 first, 200 for a retry.
pub fn receipt_response(status: StatusCode, receipt: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        receipt,
    )
        .into_response()
}

/// Where a kind of submission keeps its receipts.
pub struct Receipts {
    /// The table: `key`, `request_hash`, the record's code, `receipt`,
    /// `created_at`, `receipt_cleared_at`.
    pub table: &'static str,
    /// The column of the record's code.
    pub code_column: &'static str,
    /// What the client sent, for the messages ("application").
    pub what: &'static str,
}

impl Receipts {
    /// The receipt first answered for this key, if the key was used; 422
    /// `idempotency_mismatch` when it was used with another request or its
    /// receipt is no longer kept. Inside the submission's write
    /// transaction, so a concurrent retry waits and then finds it.
    pub async fn replay(
        &self,
        conn: &mut AnyConnection,
        key: &str,
        hash: &str,
        clock: &Clock,
    ) -> Result<Option<String>, ApiError> {
        let seen: Option<(String, String, String)> = sqlx::query_as(&format!(
            "SELECT request_hash, receipt, created_at FROM {} WHERE key = $1",
            self.table
        ))
        .bind(key)
        .fetch_optional(conn)
        .await?;
        let Some((seen_hash, receipt, created_at)) = seen else {
            return Ok(None);
        };
        let what = self.what;
        let mismatch = |message: String| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorBody::for_field(ErrorCode::IdempotencyMismatch, "Idempotency-Key", message),
            )
        };
        if seen_hash != hash {
            return Err(mismatch(format!(
                "this Idempotency-Key was used for a different {what}"
            )));
        }
        if receipt == "null" || created_at < receipt_cutoff(clock) {
            return Err(mismatch(format!(
                "this {what} was received more than 24 hours ago and its receipt \
                 (with the secret) is no longer kept"
            )));
        }
        Ok(Some(receipt))
    }

    /// Keeps the receipt of the new record `code` under the key.
    pub async fn record(
        &self,
        conn: &mut AnyConnection,
        key: &str,
        hash: &str,
        code: &str,
        receipt: &str,
        clock: &Clock,
    ) -> Result<(), ApiError> {
        sqlx::query(&format!(
            "INSERT INTO {} (key, request_hash, {}, receipt, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
            self.table, self.code_column
        ))
        .bind(key)
        .bind(hash)
        .bind(code)
        .bind(receipt)
        .bind(utc_string(clock.system_time()))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Retention: receipts older than [`RECEIPT_KEPT`] become JSON `null`
    /// (the key and the request hash stay, so the key still cannot make a
    /// second record; a retry that late answers 422
    /// `idempotency_mismatch`). Run at start-up and every hour; a retry
    /// checks the age itself too. Returns how many were cleared.
    pub async fn purge(&self, pool: &AnyPool, clock: &Clock) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(&format!(
            "UPDATE {} SET receipt = 'null', receipt_cleared_at = $1 \
             WHERE receipt_cleared_at IS NULL AND created_at < $2",
            self.table
        ))
        .bind(utc_string(clock.system_time()))
        .bind(receipt_cutoff(clock))
        .execute(pool)
        .await?;
        if done.rows_affected() > 0 {
            tracing::info!(
                cleared = done.rows_affected(),
                table = self.table,
                "cleared receipts older than 24 hours"
            );
        }
        Ok(done.rows_affected())
    }
}
