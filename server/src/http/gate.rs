//! The code-plus-secret gate of the records a citizen follows with a code
//! and a secret from the receipt (a dossier, a feedback report): the
//! secret travels in a header, is kept as a salted hash and compared in
//! constant time; an unknown code, a malformed code, a missing secret and
//! a wrong secret all get the record's one not-found answer; wrong
//! secrets, and lookups of unknown codes, count against the limits of
//! [`crate::infra::limits`] (429 `too_many_attempts` with `Retry-After`
//! once reached).

use std::future::Future;
use std::time::Duration;

use axum::http::{Extensions, HeaderMap};
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::infra::limits::{client_ip, minutes};
use crate::AppState;

/// What the gate needs to know of a kind of record.
pub struct Lock {
    /// The header the secret travels in.
    pub secret_header: &'static str,
    /// What the log calls the record ("dossier").
    pub what: &'static str,
    /// The code as stored, if a code as sent can be one.
    pub normalize_code: fn(&str) -> Option<String>,
    /// The one answer for an unknown code, a missing or a wrong secret.
    pub not_found: fn() -> ApiError,
}

/// A record behind a code and a secret.
pub trait Locked: Sized + Send {
    const LOCK: Lock;
    /// The stored code and [`secret_hash`].
    fn code_and_hash(&self) -> (&str, &str);
    /// The record with this (normalized) code.
    fn find(
        s: &AppState,
        code: &str,
    ) -> impl Future<Output = Result<Option<Self>, ApiError>> + Send;
}

/// The hash kept for a secret, salted with its record's code so equal
/// secrets do not give equal hashes. Hex SHA-256 of `{code}:{secret}`.
pub fn secret_hash(code: &str, secret: &str) -> String {
    format!(
        "{:x}",
        Sha256::digest(format!("{code}:{secret}").as_bytes())
    )
}

/// Compares in time that depends only on the lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A secret as typed: spaces and dashes dropped, upper-cased (the alphabet
/// has no letters that differ only by case).
pub fn normalize_secret(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The secret of the request, if it sent a non-empty one in `header`.
pub fn secret_of(headers: &HeaderMap, header: &str) -> Option<String> {
    headers
        .get(header)
        .and_then(|v| v.to_str().ok())
        .map(normalize_secret)
        .filter(|s| !s.is_empty())
}

/// Does `secret` open `row`? With no row, the same work is done against a
/// dummy hash (salted with `code`, the code as sent) so the answer takes as
/// long.
fn opens<T: Locked>(row: Option<&T>, code: &str, secret: &str) -> bool {
    match row {
        Some(r) => {
            let (code, hash) = r.code_and_hash();
            constant_time_eq(secret_hash(code, secret).as_bytes(), hash.as_bytes())
        }
        None => {
            std::hint::black_box(constant_time_eq(
                secret_hash(code, secret).as_bytes(),
                &[b'0'; 64],
            ));
            false
        }
    }
}

/// 429 `too_many_attempts` with `Retry-After`: too many wrong secrets, or
/// unknown codes, from this client or for this code.
pub fn too_many(wait: Duration, lang: &str) -> ApiError {
    let n = minutes(wait);
    let message = if lang == "en" {
        format!(
            "Too many wrong secrets for this dossier or from this device. Try again in {n} minute{}.",
            if n == 1 { "" } else { "s" }
        )
    } else {
        format!("Nhập sai mã tra cứu quá nhiều lần. Vui lòng thử lại sau {n} phút.")
    };
    ApiError::too_many(wait, message)
}

/// Opens a record with the secret of the request: the record, or the
/// not-found answer (the same for every reason), or 429 while a
/// wrong-secret limit for this code or this client is reached.
pub async fn open<T: Locked>(
    s: &AppState,
    raw_code: &str,
    headers: &HeaderMap,
    ext: &Extensions,
    lang: &str,
) -> Result<T, ApiError> {
    let Some(secret) = secret_of(headers, T::LOCK.secret_header) else {
        return Err((T::LOCK.not_found)());
    };
    let ip = client_ip(ext, headers, s.behind_proxy);
    let now = s.clock.system_time();
    let code = (T::LOCK.normalize_code)(raw_code);
    // The key a code is limited under: normalized when well-formed.
    let key = code
        .clone()
        .unwrap_or_else(|| raw_code.trim().to_ascii_uppercase());
    if let Some(wait) = s.limiter.secret_blocked(&key, &ip, now) {
        return Err(too_many(wait, lang));
    }
    let row = match &code {
        Some(c) => T::find(s, c).await?,
        None => None,
    };
    if opens(row.as_ref(), &key, &secret) {
        if let Some(r) = row {
            return Ok(r);
        }
    }
    s.limiter.wrong_secret(&key, &ip, now);
    tracing::info!(ip = %ip, "wrong {} secret", T::LOCK.what);
    Err((T::LOCK.not_found)())
}

/// Finds a record by its code alone (what anyone may see of it), counting
/// unknown codes against the client's limit: the record, the not-found
/// answer, or 429 once the limit is reached.
pub async fn find_public<T: Locked>(
    s: &AppState,
    raw_code: &str,
    headers: &HeaderMap,
    ext: &Extensions,
    lang: &str,
) -> Result<T, ApiError> {
    let ip = client_ip(ext, headers, s.behind_proxy);
    let now = s.clock.system_time();
    if let Some(wait) = s.limiter.misses_blocked(&ip, now) {
        return Err(too_many(wait, lang));
    }
    let row = match (T::LOCK.normalize_code)(raw_code) {
        Some(c) => T::find(s, &c).await?,
        None => None,
    };
    row.ok_or_else(|| {
        s.limiter.missed(&ip, 1, now);
        (T::LOCK.not_found)()
    })
}

/// A record by its code: opened with the secret when the request sends
/// one ([`open`], `true`), else what anyone may see ([`find_public`],
/// `false`).
pub async fn find<T: Locked>(
    s: &AppState,
    raw_code: &str,
    headers: &HeaderMap,
    ext: &Extensions,
    lang: &str,
) -> Result<(T, bool), ApiError> {
    if secret_of(headers, T::LOCK.secret_header).is_some() {
        Ok((open(s, raw_code, headers, ext, lang).await?, true))
    } else {
        Ok((find_public(s, raw_code, headers, ext, lang).await?, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
