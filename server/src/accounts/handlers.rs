//! The `/api/v1/auth` handlers: sign in (producers and helpers alike),
//! the session, sign out (here or everywhere), change the password.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use cuaso_domain::producer::{
    check_password, is_username, LoginRequest, PasswordChange, PasswordProblem, Session,
    SESSION_COOKIE, SESSION_MAX_HOURS,
};
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};

use super::password::{hash_async, verify_async};
use super::session::{cookie, create_session, find_session, now_secs, session_required, Signed};
use super::store::{account_by_name, rfc3339_now, role_str};
use super::throttle::{blocked, failure_keys, login_failed, record_failure, too_many};
use crate::http::{request_lang, ApiError, Json};
use crate::AppState;

pub(super) fn session_response(
    s: &AppState,
    headers: &HeaderMap,
    token: &str,
    session: Session,
) -> Response {
    (
        [(
            header::SET_COOKIE,
            cookie(s, headers, token, SESSION_MAX_HOURS * 3600),
        )],
        Json(session),
    )
        .into_response()
}

pub(super) fn cleared(s: &AppState, headers: &HeaderMap) -> Response {
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

pub(super) async fn login_inner(
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

pub(super) fn validation(field: &str, code: &str, message: String) -> ApiError {
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

pub(super) async fn password_inner(
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
