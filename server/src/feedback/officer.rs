//! What officers do with reports, through the API
//! (`/api/v1/officer/feedback/...`) and the CLI alike: list, show, assign,
//! answer, reject, publish.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use cuaso_domain::feedback::{
    check_officer_text, next_status, normalize_code, FeedbackAction, FeedbackAnswer,
    FeedbackAssign, FeedbackPublish, FeedbackReject, FeedbackStatus, FeedbackView, AGENCY_MAX,
    ANSWER_MAX, REASON_MAX,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::store::{
    add_event, bad_parameter, build_view, conflict, feedback_not_found, find, find_in_pool, report,
    view_in_pool, Access, COLUMNS,
};
use super::LIST_MAX;
use crate::http::officer::WHO;
use crate::http::{ApiError, Json, Lang, PathCode};
use crate::AppState;

/// Every report (or those of one status), newest first, at most
/// [`LIST_MAX`], with everything.
pub async fn list_all(
    s: &AppState,
    status: Option<FeedbackStatus>,
) -> Result<Vec<FeedbackView>, ApiError> {
    let mut conn = s.pool.acquire().await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM feedback WHERE $1 IS NULL OR status = $1 \
         ORDER BY received_at DESC, code DESC LIMIT $2"
    ))
    .bind(status.map(FeedbackStatus::as_str))
    .bind(LIST_MAX)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(build_view(&mut conn, &report(r)?, Access::Full).await?);
    }
    Ok(out)
}

/// One report with everything, or 404 `feedback_not_found`.
pub async fn show(s: &AppState, raw_code: &str) -> Result<FeedbackView, ApiError> {
    let code = normalize_code(raw_code).ok_or_else(feedback_not_found)?;
    let row = find_in_pool(s, &code)
        .await?
        .ok_or_else(feedback_not_found)?;
    view_in_pool(s, &row, Access::Full).await
}

/// 422 `validation` at `field` when an officer's text is empty, too long
/// or has characters that are not allowed.
pub(super) fn officer_text(
    field: &str,
    text: &str,
    max: u32,
    lang: &str,
) -> Result<String, ApiError> {
    check_officer_text(text, max)
        .map_err(|p| ApiError::validation(vec![(field.to_string(), p)], lang))?;
    Ok(text.trim().to_string())
}

/// Moves a report with `action` (checked by [`next_status`]: 409
/// `invalid_transition` with the reason's code in `field`), recording a
/// timeline entry; `text` is the agency, the answer or the reason.
pub(super) async fn move_report(
    s: &AppState,
    raw_code: &str,
    action: FeedbackAction,
    text: &str,
    actor: &str,
    lang: &str,
) -> Result<FeedbackView, ApiError> {
    let (field, max) = match action {
        FeedbackAction::Assign => ("agency", AGENCY_MAX),
        FeedbackAction::Answer => ("text", ANSWER_MAX),
        FeedbackAction::Reject => ("reason", REASON_MAX),
    };
    let text = officer_text(field, text, max, lang)?;
    let code = normalize_code(raw_code).ok_or_else(feedback_not_found)?;
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    let row = find(&mut tx, &code).await?.ok_or_else(feedback_not_found)?;
    let to = next_status(row.status, action).map_err(|e| {
        ApiError::new(
            StatusCode::CONFLICT,
            ApiErrorBody::for_field(ErrorCode::InvalidTransition, e.code(), e.message(lang)),
        )
    })?;
    let at = s.clock.now().rfc3339();
    let (sql, name) = match action {
        FeedbackAction::Assign => (
            "UPDATE feedback SET status = $1, agency = $2 WHERE code = $3",
            "assign",
        ),
        FeedbackAction::Answer => (
            "UPDATE feedback SET status = $1, answer = $2, answered_at = $4 WHERE code = $3",
            "answer",
        ),
        FeedbackAction::Reject => (
            "UPDATE feedback SET status = $1, rejection = $2 WHERE code = $3",
            "reject",
        ),
    };
    let q = sqlx::query(sql)
        .bind(to.as_str())
        .bind(&text)
        .bind(&row.code);
    let q = if action == FeedbackAction::Answer {
        q.bind(&at)
    } else {
        q
    };
    q.execute(&mut *tx).await?;
    let agency = (action == FeedbackAction::Assign).then_some(text.as_str());
    add_event(&mut tx, &row.code, name, to, &at, actor, agency).await?;
    let row = find(&mut tx, &code).await?.ok_or_else(feedback_not_found)?;
    let v = build_view(&mut tx, &row, Access::Full).await?;
    tx.commit().await?;
    tracing::info!(feedback = %row.code, to = to.as_str(), actor, "feedback moved");
    Ok(v)
}

/// Assigns (or re-assigns) the report to an agency.
pub async fn assign(
    s: &AppState,
    code: &str,
    agency: &str,
    actor: &str,
    lang: &str,
) -> Result<FeedbackView, ApiError> {
    move_report(s, code, FeedbackAction::Assign, agency, actor, lang).await
}

/// Records the assigned agency's answer (final).
pub async fn answer(
    s: &AppState,
    code: &str,
    text: &str,
    actor: &str,
    lang: &str,
) -> Result<FeedbackView, ApiError> {
    move_report(s, code, FeedbackAction::Answer, text, actor, lang).await
}

/// Rejects the report with a reason (final).
pub async fn reject(
    s: &AppState,
    code: &str,
    reason: &str,
    actor: &str,
    lang: &str,
) -> Result<FeedbackView, ApiError> {
    move_report(s, code, FeedbackAction::Reject, reason, actor, lang).await
}

/// Puts an answered report on the public list, or takes it off. The same
/// again changes nothing and answers the view.
pub async fn publish(
    s: &AppState,
    raw_code: &str,
    published: bool,
    actor: &str,
) -> Result<FeedbackView, ApiError> {
    let code = normalize_code(raw_code).ok_or_else(feedback_not_found)?;
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    let row = find(&mut tx, &code).await?.ok_or_else(feedback_not_found)?;
    if row.status != FeedbackStatus::Answered {
        return Err(conflict(
            ErrorCode::WrongStatus,
            format!(
                "only answered reports can be published; this one is {}",
                row.status.as_str()
            ),
        ));
    }
    if row.published != published {
        sqlx::query("UPDATE feedback SET published = $1 WHERE code = $2")
            .bind(i64::from(published))
            .bind(&row.code)
            .execute(&mut *tx)
            .await?;
        let action = if published { "publish" } else { "unpublish" };
        let at = s.clock.now().rfc3339();
        add_event(&mut tx, &row.code, action, row.status, &at, actor, None).await?;
        tracing::info!(feedback = %row.code, published, actor, "feedback publication changed");
    }
    let row = find(&mut tx, &code).await?.ok_or_else(feedback_not_found)?;
    let v = build_view(&mut tx, &row, Access::Full).await?;
    tx.commit().await?;
    Ok(v)
}

/// A status from a query or the CLI; `all` (or nothing) is `None`.
pub fn status_filter(v: &str) -> Result<Option<FeedbackStatus>, String> {
    if v.is_empty() || v == "all" {
        return Ok(None);
    }
    FeedbackStatus::parse(v)
        .map(Some)
        .ok_or_else(|| "status is received, assigned, answered, rejected or all".to_string())
}

/// Reports, newest first (at most 200), with everything (contact and
/// position included).
#[utoipa::path(get, path = "/api/v1/officer/feedback", tag = "officer",
    security(("officer_token" = [])),
    params(("status" = Option<String>, Query, description = "received, assigned, answered, rejected, or all (the default)")),
    responses(
        (status = 200, body = [FeedbackView]),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter (status)"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
    ))]
pub async fn officer_list(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<FeedbackView>>, ApiError> {
    let mut status = None;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if k == "status" {
            status = status_filter(&v).map_err(|m| bad_parameter("status", &m))?;
        }
    }
    Ok(Json(list_all(&s, status).await?))
}

/// Assigns the report to the agency that will handle it (again to
/// re-assign): received or assigned → assigned.
#[utoipa::path(post, path = "/api/v1/officer/feedback/{code}/assign", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = FeedbackAssign, content_type = "application/json"),
    responses(
        (status = 200, body = FeedbackView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found"),
        (status = 409, body = ApiErrorBody, description = "invalid_transition (`field`: final)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`agency`: required, too_long, invalid_chars)"),
    ))]
pub async fn officer_assign(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Lang(lang): Lang,
    Json(b): Json<FeedbackAssign>,
) -> Result<Json<FeedbackView>, ApiError> {
    Ok(Json(assign(&s, &code, &b.agency, WHO, lang).await?))
}

/// Records the agency's answer: assigned → answered (final).
#[utoipa::path(post, path = "/api/v1/officer/feedback/{code}/answer", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = FeedbackAnswer, content_type = "application/json"),
    responses(
        (status = 200, body = FeedbackView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found"),
        (status = 409, body = ApiErrorBody, description = "invalid_transition (`field`: not_assigned, final)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`text`: required, too_long, invalid_chars)"),
    ))]
pub async fn officer_answer(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Lang(lang): Lang,
    Json(b): Json<FeedbackAnswer>,
) -> Result<Json<FeedbackView>, ApiError> {
    Ok(Json(answer(&s, &code, &b.text, WHO, lang).await?))
}

/// Rejects the report with a reason the citizen sees: received or
/// assigned → rejected (final).
#[utoipa::path(post, path = "/api/v1/officer/feedback/{code}/reject", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = FeedbackReject, content_type = "application/json"),
    responses(
        (status = 200, body = FeedbackView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found"),
        (status = 409, body = ApiErrorBody, description = "invalid_transition (`field`: final)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`reason`: required, too_long, invalid_chars)"),
    ))]
pub async fn officer_reject(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Lang(lang): Lang,
    Json(b): Json<FeedbackReject>,
) -> Result<Json<FeedbackView>, ApiError> {
    Ok(Json(reject(&s, &code, &b.reason, WHO, lang).await?))
}

/// Puts an answered report on the public list (`true`) or takes it off
/// (`false`). Its text, photos and answer become public; the contact and
/// the position never do.
#[utoipa::path(post, path = "/api/v1/officer/feedback/{code}/publish", tag = "officer",
    security(("officer_token" = [])),
    params(("code" = String, Path)),
    request_body(content = FeedbackPublish, content_type = "application/json"),
    responses(
        (status = 200, body = FeedbackView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 401, body = ApiErrorBody, description = "unauthorized"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: not answered"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
    ))]
pub async fn officer_publish(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    Json(b): Json<FeedbackPublish>,
) -> Result<Json<FeedbackView>, ApiError> {
    Ok(Json(publish(&s, &code, b.published, WHO).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_filters() {
        assert_eq!(status_filter(""), Ok(None));
        assert_eq!(status_filter("all"), Ok(None));
        assert_eq!(
            status_filter("answered"),
            Ok(Some(FeedbackStatus::Answered))
        );
        assert!(status_filter("done").is_err());
    }
}
