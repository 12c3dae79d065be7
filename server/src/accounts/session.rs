//! Sessions: the cookie carries 32 random bytes, the table only their
//! SHA-256 (several servers can share them); a session ends after
//! [`SESSION_IDLE_MINUTES`] without a request and at the latest
//! [`SESSION_MAX_HOURS`] after login. The guards of the signed-in routes:
//! the session (401 `session_required`), then for anything but GET and
//! HEAD the [`CSRF_HEADER`] (403 `csrf_required`), then the role (403
//! `forbidden`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use cuaso_domain::api::Text;
use cuaso_domain::helper::HelperInfo;
use cuaso_domain::producer::{
    Role, Session, CSRF_HEADER, SESSION_COOKIE, SESSION_IDLE_MINUTES, SESSION_MAX_HOURS,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use crate::http::gate::constant_time_eq;
use crate::http::ApiError;
use crate::AppState;

pub(super) fn random_b64(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).expect("the operating system's random generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// SHA-256 of a session token, hex: what the table keeps.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Unix seconds on the server's clock.
pub fn now_secs(s: &AppState) -> i64 {
    s.clock
        .system_time()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The signed-in account of a request (put into the request's extensions
/// by [`require_session`]).
#[derive(Debug, Clone)]
pub struct Signed {
    pub account_id: i64,
    pub username: String,
    /// Empty for a helper.
    pub producer_id: String,
    /// Empty for a helper.
    pub producer_name: Text,
    pub csrf: String,
    pub token_hash: String,
    pub must_change_password: bool,
    pub role: Role,
    /// A helper's name, team and commune.
    pub helper: Option<HelperInfo>,
}

impl Signed {
    pub fn session(&self) -> Session {
        Session {
            username: self.username.clone(),
            producer_id: self.producer_id.clone(),
            producer_name: self.producer_name.clone(),
            csrf: self.csrf.clone(),
            idle_minutes: SESSION_IDLE_MINUTES,
            must_change_password: self.must_change_password,
            role: self.role,
            helper: self.helper.clone(),
        }
    }
}

/// The session cookie's token, if the request carries a well-formed one.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The live session of the request, touched (its idle time starts again);
/// an expired one is deleted and answers `None`.
pub async fn find_session(s: &AppState, headers: &HeaderMap) -> Result<Option<Signed>, ApiError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let row = sqlx::query(
        "SELECT s.account_id, s.csrf, s.created_at, s.last_seen_at, a.username, a.producer_id, \
         a.must_change_password, a.role, a.helper_name, a.commune, a.team, p.body AS producer \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN producers p ON p.id = a.producer_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&s.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_secs(s);
    let created: i64 = row.try_get("created_at")?;
    let seen: i64 = row.try_get("last_seen_at")?;
    if now - seen > i64::from(SESSION_IDLE_MINUTES) * 60
        || now - created > i64::from(SESSION_MAX_HOURS) * 3600
    {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&s.pool)
            .await?;
        return Ok(None);
    }
    if now != seen {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&s.pool)
            .await?;
    }
    let role: String = row.try_get("role")?;
    let (role, producer_id, producer_name, helper) = if role == "helper" {
        let helper = HelperInfo {
            name: row.try_get("helper_name")?,
            team: row.try_get("team")?,
            commune: row.try_get("commune")?,
        };
        (Role::Helper, String::new(), Text::default(), Some(helper))
    } else {
        // A producer's account whose producer left the seed is removed
        // with it (listings::after_reseed); a missing row is no session.
        let Some(producer) = row.try_get::<Option<String>, _>("producer")? else {
            return Ok(None);
        };
        let producer: cuaso_domain::product::Producer = serde_json::from_str(&producer)
            .map_err(|_| ApiError::internal("stored producer is broken"))?;
        let id: String = row.try_get("producer_id")?;
        (Role::Producer, id, producer.name, None)
    };
    Ok(Some(Signed {
        account_id: row.try_get("account_id")?,
        username: row.try_get("username")?,
        producer_id,
        producer_name,
        role,
        helper,
        csrf: row.try_get("csrf")?,
        token_hash: hash,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
    }))
}

/// 401 `session_required`.
pub fn session_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ApiErrorBody::new(
            ErrorCode::SessionRequired,
            "sign in first: no session, or it has ended",
        ),
    )
}

pub(super) fn csrf_required() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ApiErrorBody::new(
            ErrorCode::CsrfRequired,
            format!("a state-changing request needs the session's {CSRF_HEADER} header"),
        ),
    )
}

/// Whether the request carries the session's CSRF token (constant time).
pub fn csrf_ok(headers: &HeaderMap, signed: &Signed) -> bool {
    let given = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    constant_time_eq(
        &Sha256::digest(given.as_bytes()),
        &Sha256::digest(signed.csrf.as_bytes()),
    ) && !given.is_empty()
}

/// 403 `forbidden`: signed in, but this route is for the other role.
pub fn forbidden(role: Role) -> ApiError {
    let message = match role {
        Role::Producer => "this route is for community digital helpers' accounts",
        Role::Helper => "this route is for producers' accounts",
    };
    ApiError::new(
        StatusCode::FORBIDDEN,
        ApiErrorBody::new(ErrorCode::Forbidden, message),
    )
}

/// Middleware: a live session (else 401), and for anything but GET and
/// HEAD the CSRF header (else 403). Puts [`Signed`] into the extensions.
pub async fn require_session(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    require(&s, req, next, None).await
}

/// [`require_session`], then a producer's account (else 403 `forbidden`).
pub async fn require_producer(
    State(s): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    require(&s, req, next, Some(Role::Producer)).await
}

/// [`require_session`], then a helper's account (else 403 `forbidden`).
pub async fn require_helper(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    require(&s, req, next, Some(Role::Helper)).await
}

/// The session (401), the CSRF header (403 `csrf_required`), then the role
/// (403 `forbidden`), in that order.
pub(super) async fn require(
    s: &AppState,
    mut req: Request,
    next: Next,
    role: Option<Role>,
) -> Response {
    let signed = match find_session(s, req.headers()).await {
        Ok(Some(x)) => x,
        Ok(None) => return session_required().into_response(),
        Err(e) => return e.into_response(),
    };
    if req.method() != Method::GET
        && req.method() != Method::HEAD
        && !csrf_ok(req.headers(), &signed)
    {
        return csrf_required().into_response();
    }
    if role.is_some_and(|r| r != signed.role) {
        return forbidden(signed.role).into_response();
    }
    req.extensions_mut().insert(signed);
    next.run(req).await
}

/// Whether cookies get `Secure`: the public base URL is https, or a proxy
/// says the request came over https (`--behind-proxy`).
pub(super) fn secure(s: &AppState, headers: &HeaderMap) -> bool {
    s.public_base_url
        .as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
        || (s.behind_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
}

pub(super) fn cookie(s: &AppState, headers: &HeaderMap, value: &str, max_age: u32) -> HeaderValue {
    let mut c =
        format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/api; Max-Age={max_age}");
    if secure(s, headers) {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("the cookie is ASCII")
}

/// Starts a session for the account: (cookie token, csrf token).
pub async fn create_session(
    pool: &AnyPool,
    account_id: i64,
    now: i64,
) -> Result<(String, String), ApiError> {
    let token = random_b64(32);
    let csrf = random_b64(32);
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(&csrf)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    // Ended sessions go now and then (any login clears them for everyone).
    sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - i64::from(SESSION_IDLE_MINUTES) * 60)
        .bind(now - i64::from(SESSION_MAX_HOURS) * 3600)
        .execute(pool)
        .await?;
    Ok((token, csrf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_is_found_among_others() {
        let tok = random_b64(32);
        assert_eq!(tok.len(), 43);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {SESSION_COOKIE}={tok}; c=d")).unwrap(),
        );
        assert_eq!(session_token(&h), Some(tok));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("cuaso_session=short"),
        );
        assert_eq!(session_token(&h), None);
    }
}
