//! Accounts and sessions: `/api/v1/auth/...`. An account is an OCOP
//! producer's (the `/me` portal) or a community digital helper's (the
//! `/helper` routes, see [`crate::helpers`]); both sign in, stay signed in
//! and sign out through the same code here.
//!
//! - Passwords are hashed with argon2id (OWASP parameters: 19 MiB, 2
//!   passes, 1 lane) into PHC strings. An unknown account name is checked
//!   against a dummy hash, so the answer time does not tell whether an
//!   account exists; both answer the same 401 `login_failed`.
//! - Sessions live in SQLite (several servers can share them): the cookie
//!   carries 32 random bytes, the table only their SHA-256. A session ends
//!   after [`SESSION_IDLE_MINUTES`] without a request and at the latest
//!   [`SESSION_MAX_HOURS`] after login.
//! - Failed logins are counted in SQLite per account name and per client
//!   address over [`LOGIN_WINDOW_MINUTES`]; once either limit is reached,
//!   every login for that name (or from that client) answers 429, the right
//!   password included.
//! - Every state-changing request authenticated by the cookie must carry
//!   [`CSRF_HEADER`] with the session's token (403 `csrf_required`); the
//!   session is checked first (401 `session_required`).
//! - A route for one role answers 403 `forbidden` to the other role's
//!   session ([`require_producer`], [`require_helper`]), after the session
//!   and CSRF checks.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{Request, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use base64::Engine;
use cuaso_domain::api::Text;
use cuaso_domain::helper::HelperInfo;
use cuaso_domain::producer::{
    check_password, is_username, LoginRequest, PasswordChange, PasswordProblem, Role, Session,
    CSRF_HEADER, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_CLIENT, LOGIN_WINDOW_MINUTES,
    SESSION_COOKIE, SESSION_IDLE_MINUTES, SESSION_MAX_HOURS,
};
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use crate::http::gate::constant_time_eq;
use crate::http::{request_lang, ApiError, Json};
use crate::AppState;

/// argon2id memory, KiB (OWASP: 19 MiB).
pub const ARGON2_M_KIB: u32 = 19_456;
/// argon2id passes.
pub const ARGON2_T: u32 = 2;
/// argon2id lanes.
pub const ARGON2_P: u32 = 1;

/// The request body limit of the auth routes.
pub const BODY_LIMIT: usize = 8 * 1024;

/// The demo accounts (`seed/accounts.json`): argon2id hashes made once, so
/// starting a server does not spend a second hashing.
pub const SEED_ACCOUNTS: &str = include_str!("../seed/accounts.json");

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None)
        .expect("the argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The argon2id PHC string of `password`, with a fresh 16-byte salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("the operating system's random generator failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

/// Whether `password` matches the PHC string `phc` (argon2id only).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) if h.algorithm.as_str() == "argon2id" => {
            argon2().verify_password(password.as_bytes(), &h).is_ok()
        }
        _ => false,
    }
}

/// A hash to check against when the account does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("cuaso dummy password, never used"))
}

/// [`hash_password`] off the async threads.
pub async fn hash_async(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::internal("password hashing failed"))
}

/// [`verify_password`] off the async threads; `None` checks the dummy hash
/// (and answers false), taking as long as a real check.
pub async fn verify_async(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

fn random_b64(n: usize) -> String {
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

fn rfc3339_now(s: &AppState) -> String {
    crate::infra::clock::utc_string(s.clock.system_time())
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

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

fn csrf_required() -> ApiError {
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
async fn require(s: &AppState, mut req: Request, next: Next, role: Option<Role>) -> Response {
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
fn secure(s: &AppState, headers: &HeaderMap) -> bool {
    s.public_base_url
        .as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
        || (s.behind_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
}

fn cookie(s: &AppState, headers: &HeaderMap, value: &str, max_age: u32) -> HeaderValue {
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

// ---------------------------------------------------------------------------
// Login rate limits
// ---------------------------------------------------------------------------

fn window_secs() -> i64 {
    i64::from(LOGIN_WINDOW_MINUTES) * 60
}

/// The rate-limit keys of a login: the account name as typed (folded) and
/// the client address.
fn failure_keys(username: &str, ip: &str) -> [(String, u32); 2] {
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
async fn blocked(
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

async fn record_failure(pool: &AnyPool, keys: &[(String, u32)], now: i64) -> Result<(), ApiError> {
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
fn too_many(wait: Duration) -> Response {
    let n = crate::infra::limits::minutes(wait);
    let message = format!(
        "Too many failed sign-ins for this account or from this device. Try again in {n} minute{}.",
        if n == 1 { "" } else { "s" }
    );
    ApiError::too_many(wait, message).into_response()
}

fn login_failed() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ApiErrorBody::new(ErrorCode::LoginFailed, "wrong account name or password"),
    )
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

struct AccountRow {
    id: i64,
    password_hash: String,
}

async fn account_by_name(pool: &AnyPool, username: &str) -> Result<Option<AccountRow>, ApiError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, password_hash)| AccountRow { id, password_hash }))
}

/// One account, as `producer list` and `helper list` print it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    /// Empty for a helper.
    pub producer_id: String,
    /// A helper's name, commune and team.
    pub helper: Option<HelperInfo>,
    pub must_change_password: bool,
    pub created_at: String,
    pub password_changed_at: String,
    pub sessions: i64,
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Producer => "producer",
        Role::Helper => "helper",
    }
}

/// Every account of a role, by name.
pub async fn list_accounts(s: &AppState, role: Role) -> Result<Vec<AccountSummary>, ApiError> {
    let rows = sqlx::query(
        "SELECT a.username, a.producer_id, a.helper_name, a.commune, a.team, \
         a.must_change_password, a.created_at, a.password_changed_at, \
         (SELECT COUNT(*) FROM sessions s WHERE s.account_id = a.id) AS n \
         FROM accounts a WHERE a.role = $1 ORDER BY a.username",
    )
    .bind(role_str(role))
    .fetch_all(&s.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let name: Option<String> = r.try_get("helper_name")?;
            let helper = match name {
                Some(name) => Some(HelperInfo {
                    name,
                    commune: r
                        .try_get::<Option<String>, _>("commune")?
                        .unwrap_or_default(),
                    team: r.try_get::<Option<String>, _>("team")?.unwrap_or_default(),
                }),
                None => None,
            };
            Ok(AccountSummary {
                username: r.try_get("username")?,
                producer_id: r
                    .try_get::<Option<String>, _>("producer_id")?
                    .unwrap_or_default(),
                helper,
                must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
                created_at: r.try_get("created_at")?,
                password_changed_at: r.try_get("password_changed_at")?,
                sessions: r.try_get("n")?,
            })
        })
        .collect()
}

/// A random initial password: 16 characters that cannot be misread, in
/// groups of four (`ABCD-EFGH-…`, about 79 bits).
pub fn initial_password() -> String {
    loop {
        let raw = format!(
            "{}{}",
            crate::infra::random::secret(),
            crate::infra::random::secret()
        );
        let p = raw
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-");
        if check_password("", &p).is_ok() {
            return p;
        }
    }
}

/// An account name that is well formed and free, else 400/409
/// `invalid_parameter` at `username`.
async fn check_new_username(s: &AppState, username: &str) -> Result<(), ApiError> {
    if !is_username(username) {
        return Err(ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::InvalidParameter,
            "username",
            "an account name is 3 to 40 of a-z, 0-9, '.', '-', '_'",
        )));
    }
    if account_by_name(&s.pool, username).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ApiErrorBody::for_field(
                ErrorCode::InvalidParameter,
                "username",
                format!("the account name {username} is taken"),
            ),
        ));
    }
    Ok(())
}

/// A random initial password that the account name does not spoil.
fn initial_password_for(username: &str) -> String {
    let mut password = initial_password();
    while check_password(username, &password).is_err() {
        password = initial_password();
    }
    password
}

/// Creates an account for a producer with a random initial password that
/// must be changed at first sign-in; returns that password.
pub async fn create_account(
    s: &AppState,
    username: &str,
    producer_id: &str,
) -> Result<String, ApiError> {
    check_new_username(s, username).await?;
    let known: Option<(String,)> = sqlx::query_as("SELECT id FROM producers WHERE id = $1")
        .bind(producer_id)
        .fetch_optional(&s.pool)
        .await?;
    if known.is_none() {
        return Err(ApiError::not_found(
            ErrorCode::InvalidParameter,
            format!("no producer {producer_id}"),
        ));
    }
    let password = initial_password_for(username);
    let hash = hash_async(password.clone()).await?;
    let now = rfc3339_now(s);
    sqlx::query(
        "INSERT INTO accounts (username, role, producer_id, password_hash, must_change_password, \
         created_at, password_changed_at) VALUES ($1, 'producer', $2, $3, 1, $4, $5)",
    )
    .bind(username)
    .bind(producer_id)
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .execute(&s.pool)
    .await?;
    tracing::info!(username, producer = producer_id, "producer account created");
    Ok(password)
}

/// Creates a community digital helper's account (`helper add`): their
/// name, their commune and the team that follows from it, and a random
/// initial password that must be changed at first sign-in, which it
/// returns with the helper's details.
pub async fn create_helper(
    s: &AppState,
    username: &str,
    name: &str,
    commune: &str,
) -> Result<(String, HelperInfo), ApiError> {
    let helper = crate::helpers::helper_info(name, commune)?;
    check_new_username(s, username).await?;
    let password = initial_password_for(username);
    let hash = hash_async(password.clone()).await?;
    let now = rfc3339_now(s);
    sqlx::query(
        "INSERT INTO accounts (username, role, helper_name, commune, team, password_hash, \
         must_change_password, created_at, password_changed_at) \
         VALUES ($1, 'helper', $2, $3, $4, $5, 1, $6, $7)",
    )
    .bind(username)
    .bind(&helper.name)
    .bind(&helper.commune)
    .bind(&helper.team)
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .execute(&s.pool)
    .await?;
    tracing::info!(username, team = %helper.team, "helper account created");
    Ok((password, helper))
}

/// A demo account of `seed/accounts.json`: a producer's (`producer`) or,
/// with `"role": "helper"`, a helper's (`name`, `commune`).
#[derive(Deserialize)]
struct SeedAccount {
    username: String,
    #[serde(default)]
    role: Role,
    #[serde(default)]
    producer: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    commune: String,
    password_hash: String,
}

/// Creates the demo accounts that are missing (a producer's producer must exist),
/// and a published listing for every product that has none. Without
/// `demo`, deletes the demo accounts still on their demo password instead
/// (with their sessions), so a production database never keeps them.
pub async fn seed(pool: &AnyPool, now: &str, demo: bool) -> Result<(), sqlx::Error> {
    let accounts: Vec<SeedAccount> = serde_json::from_str(SEED_ACCOUNTS)
        .map_err(|e| sqlx::Error::Configuration(format!("seed accounts: {e}").into()))?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO listings (gtin, status) SELECT gtin, 'published' FROM products WHERE true \
         ON CONFLICT DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    for a in accounts.iter().filter(|_| !demo) {
        sqlx::query(
            "DELETE FROM sessions WHERE account_id IN \
             (SELECT id FROM accounts WHERE username = $1 AND password_hash = $2)",
        )
        .bind(&a.username)
        .bind(&a.password_hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(format!("account:{}", a.username))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM accounts WHERE username = $1 AND password_hash = $2")
            .bind(&a.username)
            .bind(&a.password_hash)
            .execute(&mut *tx)
            .await?;
    }
    for a in accounts.iter().filter(|a| demo && a.role == Role::Helper) {
        let h = crate::helpers::helper_info(&a.name, &a.commune).map_err(|e| {
            sqlx::Error::Configuration(
                format!("seed accounts: {}: {}", a.username, e.body.message).into(),
            )
        })?;
        sqlx::query(
            "INSERT INTO accounts (username, role, helper_name, commune, team, \
             password_hash, must_change_password, created_at, password_changed_at) \
             VALUES ($1, 'helper', $2, $3, $4, $5, 0, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&a.username)
        .bind(&h.name)
        .bind(&h.commune)
        .bind(&h.team)
        .bind(&a.password_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for a in accounts.iter().filter(|a| demo && a.role == Role::Producer) {
        let producer: Option<(String,)> = sqlx::query_as("SELECT id FROM producers WHERE id = $1")
            .bind(&a.producer)
            .fetch_optional(&mut *tx)
            .await?;
        if producer.is_none() {
            tracing::warn!(username = %a.username, producer = %a.producer, "demo account skipped: no such producer");
            continue;
        }
        sqlx::query(
            "INSERT INTO accounts (username, role, producer_id, password_hash, \
             must_change_password, created_at, password_changed_at) \
             VALUES ($1, 'producer', $2, $3, 0, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&a.username)
        .bind(&a.producer)
        .bind(&a.password_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

fn session_response(s: &AppState, headers: &HeaderMap, token: &str, session: Session) -> Response {
    (
        [(
            header::SET_COOKIE,
            cookie(s, headers, token, SESSION_MAX_HOURS * 3600),
        )],
        Json(session),
    )
        .into_response()
}

fn cleared(s: &AppState, headers: &HeaderMap) -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie(s, headers, "", 0))],
    )
        .into_response()
}

/// Signs a producer or a community helper in: sets the session cookie and
/// answers the session (`role` says which; a helper's has `helper`)
/// (send its `csrf` back in `X-Cuaso-Csrf` on every state-changing request).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "producers",
    request_body = LoginRequest,
    responses(
        (status = 200, body = Session, description = "signed in; `Set-Cookie: cuaso_session=…; HttpOnly; SameSite=Lax; Path=/api` (+ `Secure` over https)"),
        (status = 400, body = ApiErrorBody, description = "malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "login_failed: wrong account name or password (one answer for both)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts: 5 failures for this account or 20 from this client in 15 minutes; see Retry-After"),
    ))]
pub async fn login(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    ext: Extensions,
    Json(req): Json<LoginRequest>,
) -> Response {
    match login_inner(&s, &headers, &ext, req).await {
        Ok(r) | Err(r) => r,
    }
}

async fn login_inner(
    s: &AppState,
    headers: &HeaderMap,
    ext: &Extensions,
    req: LoginRequest,
) -> Result<Response, Response> {
    let ip = crate::infra::limits::client_ip(ext, headers, s.behind_proxy);
    let keys = failure_keys(&req.username, &ip);
    let now = now_secs(s);
    let ir = |e: ApiError| e.into_response();
    if let Some(wait) = blocked(&s.pool, &keys, now).await.map_err(ir)? {
        return Err(too_many(wait));
    }
    let username = req.username.trim().to_string();
    let account = if is_username(&username) {
        account_by_name(&s.pool, &username).await.map_err(ir)?
    } else {
        None
    };
    let ok = verify_async(
        req.password,
        account.as_ref().map(|a| a.password_hash.clone()),
    )
    .await;
    let account = match (ok, account) {
        (true, Some(a)) => a,
        _ => {
            record_failure(&s.pool, &keys, now).await.map_err(ir)?;
            tracing::info!(ip = %ip, "failed sign-in");
            if let Some(wait) = blocked(&s.pool, &keys, now).await.map_err(ir)? {
                return Err(too_many(wait));
            }
            return Err(login_failed().into_response());
        }
    };
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(&keys[0].0)
        .execute(&s.pool)
        .await
        .map_err(|e| ir(e.into()))?;
    let (token, _) = create_session(&s.pool, account.id, now).await.map_err(ir)?;
    let mut h = HeaderMap::new();
    h.insert(
        header::COOKIE,
        HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}"))
            .map_err(|_| ir(ApiError::internal("cookie")))?,
    );
    let signed = find_session(s, &h)
        .await
        .map_err(ir)?
        .ok_or_else(|| ir(ApiError::internal("the new session is missing")))?;
    tracing::info!(username = %signed.username, role = role_str(signed.role), "signed in");
    Ok(session_response(s, headers, &token, signed.session()))
}

/// The signed-in producer or helper (and the idle timer starts again).
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "producers",
    security(("session_cookie" = [])),
    responses(
        (status = 200, body = Session),
        (status = 401, body = ApiErrorBody, description = "session_required"),
    ))]
pub async fn session(Extension(signed): Extension<Signed>) -> Json<Session> {
    Json(signed.session())
}

/// Ends this session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    responses(
        (status = 204, description = "signed out; the cookie is cleared"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required"),
    ))]
pub async fn logout(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    Extension(signed): Extension<Signed>,
) -> Result<Response, ApiError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&signed.token_hash)
        .execute(&s.pool)
        .await?;
    Ok(cleared(&s, &headers))
}

/// Ends every session of the account (every device) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout-all", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    responses(
        (status = 204, description = "every session ended; the cookie is cleared"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required"),
    ))]
pub async fn logout_all(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    Extension(signed): Extension<Signed>,
) -> Result<Response, ApiError> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(signed.account_id)
        .execute(&s.pool)
        .await?;
    Ok(cleared(&s, &headers))
}

fn validation(field: &str, code: &str, message: String) -> ApiError {
    ApiError::bad_request(ApiErrorBody {
        code: ErrorCode::Validation,
        message: format!("{field}: {code}"),
        field: None,
        fields: vec![FieldProblem {
            field: field.to_string(),
            code: code.to_string(),
            args: Vec::new(),
            message,
        }],
    })
}

/// Changes the password. The other sessions end; this one stays.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "producers",
    security(("session_cookie" = [], "csrf_header" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, body = Session, description = "changed; `must_change_password` is now false"),
        (status = 400, body = ApiErrorBody, description = "validation: field `current` (wrong_password) or `new` (password_too_short, password_too_long, invalid_chars, password_contains_username, password_too_common, password_unchanged), message in the Accept-Language; or malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "session_required"),
        (status = 403, body = ApiErrorBody, description = "csrf_required"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts: wrong current passwords count as failed sign-ins"),
    ))]
pub async fn password(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    ext: Extensions,
    Extension(signed): Extension<Signed>,
    Json(change): Json<PasswordChange>,
) -> Response {
    match password_inner(&s, &headers, &ext, &signed, change).await {
        Ok(r) | Err(r) => r,
    }
}

async fn password_inner(
    s: &AppState,
    headers: &HeaderMap,
    ext: &Extensions,
    signed: &Signed,
    change: PasswordChange,
) -> Result<Response, Response> {
    let ir = |e: ApiError| e.into_response();
    let lang = request_lang(headers);
    let ip = crate::infra::limits::client_ip(ext, headers, s.behind_proxy);
    let keys = failure_keys(&signed.username, &ip);
    let now = now_secs(s);
    if let Some(wait) = blocked(&s.pool, &keys, now).await.map_err(ir)? {
        return Err(too_many(wait));
    }
    let account = account_by_name(&s.pool, &signed.username)
        .await
        .map_err(ir)?
        .ok_or_else(|| ir(session_required()))?;
    if !verify_async(change.current.clone(), Some(account.password_hash)).await {
        record_failure(&s.pool, &keys, now).await.map_err(ir)?;
        let message = if lang == "en" {
            "The current password is not right"
        } else {
            "Mật khẩu hiện tại không đúng"
        };
        return Err(ir(validation("current", "wrong_password", message.into())));
    }
    let problem = if change.new == change.current {
        Some(PasswordProblem::Unchanged)
    } else {
        check_password(&signed.username, &change.new).err()
    };
    if let Some(p) = problem {
        return Err(ir(validation("new", p.code(), p.message(lang))));
    }
    let hash = hash_async(change.new).await.map_err(ir)?;
    let mut tx = s.pool.begin().await.map_err(|e| ir(e.into()))?;
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = 0, password_changed_at = $2 \
         WHERE id = $3",
    )
    .bind(&hash)
    .bind(rfc3339_now(s))
    .bind(account.id)
    .execute(&mut *tx)
    .await
    .map_err(|e| ir(e.into()))?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash != $2")
        .bind(account.id)
        .bind(&signed.token_hash)
        .execute(&mut *tx)
        .await
        .map_err(|e| ir(e.into()))?;
    tx.commit().await.map_err(|e| ir(e.into()))?;
    tracing::info!(username = %signed.username, "password changed");
    let mut session = signed.session();
    session.must_change_password = false;
    Ok(Json(session).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_and_verifies() {
        let h = hash_password("hạt tiêu thơm cay");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("hạt tiêu thơm cay", &h));
        assert!(!verify_password("hat tieu thom cay", &h));
        assert!(!verify_password("hạt tiêu thơm cay", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("hạt tiêu thơm cay"));
        // Another algorithm is not accepted.
        let i = h.replacen("$argon2id$", "$argon2i$", 1);
        assert!(!verify_password("hạt tiêu thơm cay", &i));
    }

    #[test]
    fn demo_accounts_match_their_documented_passwords() {
        let accounts: Vec<SeedAccount> = serde_json::from_str(SEED_ACCOUNTS).unwrap();
        // (account, producer or helper's name and commune, password)
        let documented = [
            ("tieucua", "htx-tieu-cua", "hat tieu thom cay"),
            ("talu", "ta-lu", "tho cam ta lu dep"),
            ("khesanh", "htx-khe-sanh", "ca phe khe sanh ngon"),
            ("vinhchap", "htx-vinh-chap", "nuoc mam vinh chap"),
            (
                "tocns.giolinh",
                "Nguyễn Thị Hoa, Xã Gio Linh",
                "giup ba con nop ho so",
            ),
            ("tocns.camlo", "Lê Văn Bình, Xã Cam Lộ", "ho tro dan cam lo"),
        ];
        assert_eq!(accounts.len(), documented.len());
        for (a, (user, who, pw)) in accounts.iter().zip(documented) {
            let seeded = match a.role {
                Role::Producer => a.producer.clone(),
                Role::Helper => {
                    let h = crate::helpers::helper_info(&a.name, &a.commune).unwrap();
                    assert!(a.producer.is_empty(), "{user}");
                    format!("{}, {}", h.name, h.commune)
                }
            };
            assert_eq!((a.username.as_str(), seeded.as_str()), (user, who));
            assert!(is_username(user));
            assert_eq!(check_password(user, pw), Ok(()), "{user}");
            assert!(a
                .password_hash
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
            assert!(verify_password(pw, &a.password_hash), "{user}");
        }
    }

    #[test]
    fn initial_passwords_pass_the_rules() {
        for _ in 0..20 {
            let p = initial_password();
            assert_eq!(p.len(), 19, "{p}");
            assert_eq!(check_password("someone", &p), Ok(()));
        }
    }

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
