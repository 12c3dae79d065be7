//! Sign-in limits: failed sign-ins are counted in the database per
//! account name and per client address over [`LOGIN_WINDOW_MINUTES`];
//! once either limit is reached, every sign-in for that name (or from that
//! client) answers 429, the right password included.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cuaso_domain::producer::{
    LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_CLIENT, LOGIN_WINDOW_MINUTES,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::AnyPool;

use crate::http::ApiError;

pub(super) fn window_secs() -> i64 {
    i64::from(LOGIN_WINDOW_MINUTES) * 60
}

/// The rate-limit keys of a login: the account name as typed (folded) and
/// the client address.
pub(super) fn failure_keys(username: &str, ip: &str) -> [(String, u32); 2] {
    let mut name = username.trim().to_lowercase();
    if name.len() > 64 {
        let mut end = 64;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    [
        (format!("account:{name}"), LOGIN_FAILURES_PER_ACCOUNT),
        (format!("client:{ip}"), LOGIN_FAILURES_PER_CLIENT),
    ]
}

/// `Some(wait)` while one of the keys has reached its limit in the window.
pub(super) async fn blocked(
    pool: &AnyPool,
    keys: &[(String, u32)],
    now: i64,
) -> Result<Option<Duration>, ApiError> {
    let mut wait: Option<i64> = None;
    for (key, max) in keys {
        let max = (*max).max(1);
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
        )
        .bind(key)
        .bind(now - window_secs())
        .bind(i64::from(max))
        .fetch_all(pool)
        .await?;
        if rows.len() >= max as usize {
            // Free again when the oldest of the last `max` leaves the window.
            let oldest = rows[rows.len() - 1].0;
            let w = (oldest + window_secs() - now).max(1);
            wait = Some(wait.map_or(w, |x| x.max(w)));
        }
    }
    Ok(wait.map(|w| Duration::from_secs(w as u64)))
}

pub(super) async fn record_failure(
    pool: &AnyPool,
    keys: &[(String, u32)],
    now: i64,
) -> Result<(), ApiError> {
    let mut tx = pool.begin().await?;
    for (key, _) in keys {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - window_secs())
        .execute(&mut *tx)
        .await?;
    tx.commit().await.map_err(ApiError::from)
}

/// 429 `too_many_attempts` with `Retry-After` (seconds).
pub(super) fn too_many(wait: Duration) -> Response {
    let n = crate::infra::limits::minutes(wait);
    let message = format!(
        "Too many failed sign-ins for this account or from this device. Try again in {n} minute{}.",
        if n == 1 { "" } else { "s" }
    );
    ApiError::too_many(wait, message).into_response()
}

pub(super) fn login_failed() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ApiErrorBody::new(ErrorCode::LoginFailed, "wrong account name or password"),
    )
}
