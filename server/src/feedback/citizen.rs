//! The citizen's feedback routes: the public list (published reports,
//! nothing that identifies the reporter), a report by its code (everything
//! with the secret, through `http::gate`), its photos, the rating.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use cuaso_domain::feedback::{
    check_rating, Category, FeedbackPage, FeedbackRating, FeedbackStatus, FeedbackView, PAGE_SIZE,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::store::{
    bad_parameter, build_view, conflict, feedback_not_found, find, no_store, report, view_in_pool,
    Access, Report, COLUMNS,
};
use super::PAGE_MAX;
use crate::http::gate;
use crate::http::{request_lang, ApiError, Json, PathCode};
use crate::uploads;
use crate::AppState;

/// The public list: published reports (answered, nothing that identifies
/// the reporter), newest answer first, [`PAGE_SIZE`] a page.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback",
    params(
        ("page" = Option<u32>, Query, description = "1-based page, 1..=1000"),
        ("category" = Option<Category>, Query, description = "Only this category"),
    ),
    responses(
        (status = 200, body = FeedbackPage, description = "each item with `content`, never `private`"),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter (page, category)"),
    ))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut page = 1u32;
    let mut category: Option<Category> = None;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match &*k {
            "page" => {
                page = v
                    .parse::<u32>()
                    .ok()
                    .filter(|p| (1..=PAGE_MAX).contains(p))
                    .ok_or_else(|| bad_parameter("page", "page is a number from 1 to 1000"))?;
            }
            "category" if v.is_empty() => category = None,
            "category" => {
                category = Some(Category::parse(&v).ok_or_else(|| {
                    bad_parameter(
                        "category",
                        "category is roads, environment, public_order, administration or other",
                    )
                })?);
            }
            _ => {}
        }
    }
    let cat = category.map(Category::as_str);
    let mut conn = s.pool.acquire().await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM feedback WHERE published = 1 AND ($1 IS NULL OR category = $1)",
    )
    .bind(cat)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM feedback WHERE published = 1 AND ($1 IS NULL OR category = $1) \
         ORDER BY answered_at DESC, code DESC LIMIT $2 OFFSET $3"
    ))
    .bind(cat)
    .bind(i64::from(PAGE_SIZE))
    .bind(i64::from((page - 1) * PAGE_SIZE))
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        items.push(build_view(&mut conn, &report(r)?, Access::Public).await?);
    }
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        Json(FeedbackPage {
            items,
            total: total.max(0) as u32,
            page,
            page_size: PAGE_SIZE,
        }),
    )
        .into_response())
}

/// A report by its code. Without the secret: category, commune, status,
/// dates and the timeline (with agencies), plus `content` once published;
/// never `private`. With the right secret in `X-Feedback-Secret`:
/// everything.
#[utoipa::path(get, path = "/api/v1/feedback/{code}", tag = "feedback",
    params(
        ("code" = String, Path, description = "PA-YYMMDD-XXXXX (case and spaces around are ignored)"),
        ("X-Feedback-Secret" = Option<String>, Header, description = "The secret from the receipt"),
    ),
    responses(
        (status = 200, body = FeedbackView, description = "public fields, or everything with the right secret"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found: unknown or malformed code, or wrong secret (one identical answer)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts: too many wrong secrets for this code or from this client, or too many unknown codes; see Retry-After"),
    ))]
pub async fn lookup(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let (row, secret): (Report, _) = gate::find(&s, &code, &headers, &ext, lang).await?;
    let access = if secret { Access::Full } else { Access::Public };
    let v = view_in_pool(&s, &row, access).await?;
    Ok(no_store(v))
}

/// A report's photo (metadata stripped when it was uploaded). Anyone may
/// see the photos of a published report; otherwise only with the secret.
#[utoipa::path(get, path = "/api/v1/feedback/{code}/photos/{n}", tag = "feedback",
    params(
        ("code" = String, Path),
        ("n" = u32, Path, description = "0 for the first photo"),
        ("X-Feedback-Secret" = Option<String>, Header, description = "Needed unless the report is published"),
    ),
    responses(
        (status = 200, description = "the photo (image/jpeg or image/png); `Cache-Control: private, no-store` unless published",
            content(("image/jpeg"), ("image/png"))),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found (unknown code, wrong secret, or not published and no secret); not_found (no photo n)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn photo(
    State(s): State<Arc<AppState>>,
    params: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    ext: Extensions,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let (raw, n) = params.map(|Path(p)| p).unwrap_or_default();
    let (row, secret): (Report, _) = gate::find(&s, &raw, &headers, &ext, lang).await?;
    if !secret && !row.published {
        return Err(feedback_not_found());
    }
    let no_photo = || ApiError::not_found(ErrorCode::NotFound, "no such photo");
    let Some(n) = n.parse::<u32>().ok().filter(|n| *n < 100) else {
        return Err(no_photo());
    };
    let up: Option<(String, String)> = sqlx::query_as(
        "SELECT id, type FROM uploads WHERE feedback_code = $1 AND feedback_photo = $2",
    )
    .bind(&row.code)
    .bind(i64::from(n))
    .fetch_optional(&s.pool)
    .await?;
    let Some((id, ty)) = up else {
        return Err(no_photo());
    };
    let ty = uploads::type_from_str(&ty).ok_or_else(no_photo)?;
    let bytes = tokio::fs::read(s.uploads_dir.join(&id))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, upload = %id, "feedback photo unreadable");
            ApiError::internal("the photo cannot be read")
        })?;
    let cache = if row.published {
        "public, no-cache"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ty.mime())),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Rates the answer, once, after the report is answered. Sending the same
/// rating again answers 200; a different one is 409 `already_rated`.
#[utoipa::path(post, path = "/api/v1/feedback/{code}/rating", tag = "feedback",
    params(("code" = String, Path), ("X-Feedback-Secret" = String, Header)),
    request_body(content = FeedbackRating, content_type = "application/json"),
    responses(
        (status = 200, body = FeedbackView, description = "everything, with the rating"),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 404, body = ApiErrorBody, description = "feedback_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status (not answered), already_rated"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large: body over 16 KiB"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`stars` 1–5, `comment` at most 1000 characters)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn rating(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
    // Read once the report is open: a wrong secret is refused first.
    body: Result<Json<FeedbackRating>, ApiError>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let row: Report = gate::open(&s, &code, &headers, &ext, lang).await?;
    let Json(req) = body?;
    let v = rate(&s, &row.code, &req, lang).await?;
    Ok(no_store(v))
}

/// Records the reporter's rating (see [`rating`]).
pub async fn rate(
    s: &AppState,
    code: &str,
    req: &FeedbackRating,
    lang: &str,
) -> Result<FeedbackView, ApiError> {
    let problems = check_rating(req);
    if !problems.is_empty() {
        return Err(ApiError::validation(problems, lang));
    }
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    let row = find(&mut tx, code).await?.ok_or_else(feedback_not_found)?;
    if let Some(seen) = &row.rating {
        if seen.stars == req.stars && seen.comment == comment {
            let v = build_view(&mut tx, &row, Access::Full).await?;
            let _ = tx.rollback().await;
            return Ok(v);
        }
        return Err(conflict(
            ErrorCode::AlreadyRated,
            "this report has been rated already",
        ));
    }
    if row.status != FeedbackStatus::Answered {
        return Err(conflict(
            ErrorCode::WrongStatus,
            format!(
                "a report is rated once it is answered; it is {}",
                row.status.as_str()
            ),
        ));
    }
    sqlx::query(
        "UPDATE feedback SET rating_stars = $1, rating_comment = $2, rated_at = $3 WHERE code = $4",
    )
    .bind(i64::from(req.stars))
    .bind(&comment)
    .bind(s.clock.now().rfc3339())
    .bind(&row.code)
    .execute(&mut *tx)
    .await?;
    let row = find(&mut tx, code).await?.ok_or_else(feedback_not_found)?;
    let v = build_view(&mut tx, &row, Access::Full).await?;
    tx.commit().await?;
    Ok(v)
}
