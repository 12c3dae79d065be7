//! Citizens' feedback (phản ánh, kiến nghị), the contract in
//! [`cuaso_domain::feedback`]: a report is sent with a code and a secret,
//! follows received → assigned → answered (or rejected), can be rated once
//! answered, and an answered report an officer publishes is shown to
//! everyone, without anything that identifies the reporter.
//!
//! What each reader sees:
//! - the code alone: category, commune, status, dates and the timeline
//!   (with the agencies' names); `content` only once published;
//! - the secret (`X-Feedback-Secret`) and officers: everything.
//!
//! A wrong secret answers exactly as an unknown code (404
//! `feedback_not_found`), and wrong secrets and unknown codes count against
//! the same limits as dossier lookups ([`crate::infra::limits`]).
//!
//! The officer API ([`crate::officer`]) and the CLI ([`crate::cli`]) move
//! reports through the same functions ([`assign`], [`answer`], [`reject`],
//! [`publish`]).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cuaso_domain::feedback::{
    check_feedback, check_officer_text, check_rating, next_status, normalize_code, Category,
    Contact, FeedbackAction, FeedbackAnswer, FeedbackAnswerView, FeedbackAssign, FeedbackContent,
    FeedbackEvent, FeedbackPage, FeedbackPrivate, FeedbackPublish, FeedbackRating, FeedbackReceipt,
    FeedbackReject, FeedbackStatus, FeedbackView, Location, NewFeedback, Position, AGENCY_MAX,
    ANSWER_MAX, CODE_ALPHABET, PAGE_SIZE, PHOTO_MAX_BYTES, REASON_MAX, SECRET_HEADER,
};
use cuaso_domain::form::FileType;
use cuaso_domain::validate::{normalize_phone, Problem};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::{AnyConnection, Row};

use crate::http::gate::{self, secret_hash, Locked};
use crate::http::idempotency::{receipt_response, request_hash, IdempotencyKey, Receipts};
use crate::http::officer::WHO;
use crate::http::{request_lang, ApiError, Json, PathCode};
use crate::uploads;
use crate::AppState;

/// The largest report body (text only: photos are uploaded first).
pub const BODY_LIMIT: usize = 64 * 1024;
/// The largest officer request body (an answer of 8000 characters fits).
pub const OFFICER_BODY_LIMIT: usize = 64 * 1024;
/// The largest rating body.
pub const RATING_BODY_LIMIT: usize = 16 * 1024;
/// The officer list answers at most this many reports.
pub const LIST_MAX: i64 = 200;
/// The public list's last page.
pub const PAGE_MAX: u32 = 1000;

/// The one answer for an unknown or malformed code, a wrong or missing
/// secret (on the secret-only actions), and an unpublished report's photo
/// asked for without the secret: codes cannot be probed.
pub fn feedback_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::FeedbackNotFound,
        "no feedback report matches this code and secret",
    )
}

fn conflict(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, ApiErrorBody::new(code, message))
}

fn bad_parameter(field: &str, message: &str) -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidParameter,
        field,
        message,
    ))
}

fn corrupt(what: &str) -> ApiError {
    tracing::error!(what, "feedback: stored data does not parse");
    ApiError::internal("stored data is damaged")
}

/// A report as stored.
#[derive(Debug, Clone)]
pub struct Report {
    pub code: String,
    secret_hash: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub position: Option<Position>,
    pub commune: String,
    pub address: String,
    pub contact: Contact,
    pub status: FeedbackStatus,
    pub agency: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub rejection: Option<String>,
    pub published: bool,
    pub rating: Option<FeedbackRating>,
    pub received_at: String,
}

impl Locked for Report {
    const SECRET_HEADER: &'static str = SECRET_HEADER;
    const WHAT: &'static str = "feedback";
    fn normalize_code(raw: &str) -> Option<String> {
        normalize_code(raw)
    }
    fn not_found() -> ApiError {
        feedback_not_found()
    }
    fn code(&self) -> &str {
        &self.code
    }
    fn secret_hash(&self) -> &str {
        &self.secret_hash
    }
    async fn find(s: &AppState, code: &str) -> Result<Option<Self>, ApiError> {
        find_in_pool(s, code).await
    }
}

const COLUMNS: &str = "code, secret_hash, category, title, description, lat, lon, accuracy_m, \
    commune, address, contact_name, contact_phone, contact_email, status, agency, answer, \
    answered_at, rejection, published, rating_stars, rating_comment, received_at";

fn report(r: &sqlx::any::AnyRow) -> Result<Report, ApiError> {
    let get_s = |c: &str| r.try_get::<String, _>(c).map_err(ApiError::from);
    let get_o = |c: &str| r.try_get::<Option<String>, _>(c).map_err(ApiError::from);
    let lat: Option<f64> = r.try_get("lat")?;
    let lon: Option<f64> = r.try_get("lon")?;
    let accuracy: Option<i64> = r.try_get("accuracy_m")?;
    let stars: Option<i64> = r.try_get("rating_stars")?;
    let published: i64 = r.try_get("published")?;
    Ok(Report {
        code: get_s("code")?,
        secret_hash: get_s("secret_hash")?,
        category: Category::parse(&get_s("category")?).ok_or_else(|| corrupt("category"))?,
        title: get_s("title")?,
        description: get_s("description")?,
        position: match (lat, lon) {
            (Some(lat), Some(lon)) => Some(Position {
                lat,
                lon,
                accuracy_m: accuracy.and_then(|a| u32::try_from(a).ok()),
            }),
            _ => None,
        },
        commune: get_s("commune")?,
        address: get_s("address")?,
        contact: Contact {
            name: get_s("contact_name")?,
            phone: get_s("contact_phone")?,
            email: get_s("contact_email")?,
        },
        status: FeedbackStatus::parse(&get_s("status")?).ok_or_else(|| corrupt("status"))?,
        agency: get_o("agency")?,
        answer: get_o("answer")?,
        answered_at: get_o("answered_at")?,
        rejection: get_o("rejection")?,
        published: published != 0,
        rating: stars
            .map(|s| -> Result<FeedbackRating, ApiError> {
                Ok(FeedbackRating {
                    stars: u8::try_from(s).map_err(|_| corrupt("rating"))?,
                    comment: r.try_get("rating_comment")?,
                })
            })
            .transpose()?,
        received_at: get_s("received_at")?,
    })
}

/// The report with this (normalized) code.
pub async fn find(conn: &mut AnyConnection, code: &str) -> Result<Option<Report>, ApiError> {
    let r = sqlx::query(&format!("SELECT {COLUMNS} FROM feedback WHERE code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await?;
    r.as_ref().map(report).transpose()
}

async fn find_in_pool(s: &AppState, code: &str) -> Result<Option<Report>, ApiError> {
    let mut conn = s.pool.acquire().await?;
    find(&mut conn, code).await
}

/// Who is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The code alone: what the public list would show.
    Public,
    /// The holder of the secret, or an officer: everything.
    Full,
}

/// The photo URLs of a report, in order.
fn photo_urls(code: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("/api/v1/feedback/{code}/photos/{i}"))
        .collect()
}

/// The view of `r` for `access`.
pub async fn build_view(
    conn: &mut AnyConnection,
    r: &Report,
    access: Access,
) -> Result<FeedbackView, ApiError> {
    let events: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT status, at, agency FROM feedback_events WHERE feedback_code = $1 \
         AND action IN ('receive', 'assign', 'answer', 'reject') ORDER BY seq",
    )
    .bind(&r.code)
    .fetch_all(&mut *conn)
    .await?;
    let timeline = events
        .into_iter()
        .map(|(status, at, agency)| {
            Ok(FeedbackEvent {
                status: FeedbackStatus::parse(&status).ok_or_else(|| corrupt("event status"))?,
                at,
                agency,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let full = access == Access::Full;
    let content = if full || r.published {
        let (photos,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE feedback_code = $1")
                .bind(&r.code)
                .fetch_one(&mut *conn)
                .await?;
        Some(FeedbackContent {
            title: r.title.clone(),
            description: r.description.clone(),
            photos: photo_urls(&r.code, photos.max(0) as usize),
            answer: match (&r.answer, &r.answered_at) {
                (Some(text), Some(at)) => Some(FeedbackAnswerView {
                    agency: r.agency.clone().unwrap_or_default(),
                    text: text.clone(),
                    at: at.clone(),
                }),
                _ => None,
            },
            rejection: r.rejection.clone().filter(|_| full),
        })
    } else {
        None
    };
    let private = full.then(|| FeedbackPrivate {
        location: Location {
            position: r.position.clone(),
            commune: r.commune.clone(),
            address: r.address.clone(),
        },
        contact: r.contact.clone(),
        rating: r.rating.clone(),
        can_rate: r.status == FeedbackStatus::Answered && r.rating.is_none(),
    });
    Ok(FeedbackView {
        code: r.code.clone(),
        category: r.category,
        status: r.status,
        commune: r.commune.clone(),
        received_at: r.received_at.clone(),
        timeline,
        published: r.published,
        content,
        private,
    })
}

async fn view_in_pool(s: &AppState, r: &Report, access: Access) -> Result<FeedbackView, ApiError> {
    let mut conn = s.pool.acquire().await?;
    build_view(&mut conn, r, access).await
}

fn no_store<T: serde::Serialize>(v: T) -> Response {
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(v),
    )
        .into_response()
}

/// A receipt answer, `no-store` (it holds the secret).
fn json_response(status: StatusCode, receipt: String) -> Response {
    let mut res = receipt_response(status, receipt);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

// ---------------------------------------------------------------------------
// Submission

/// Where reports keep their receipts for retries.
const RECEIPTS: Receipts = Receipts {
    table: "feedback_idempotency",
    code_column: "feedback_code",
    what: "report",
};

/// A new code's random part: 5 of [`CODE_ALPHABET`] (32 letters: no
/// modulo bias), never all digits.
fn random_tail() -> String {
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
    headers: HeaderMap,
    Json(req): Json<NewFeedback>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
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
async fn check_photos(
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

/// Clears the receipts older than 24 hours (see [`Receipts::purge`]).
pub async fn purge_receipts(
    pool: &sqlx::AnyPool,
    clock: &crate::infra::clock::Clock,
) -> Result<u64, sqlx::Error> {
    RECEIPTS.purge(pool, clock).await
}

async fn add_event(
    conn: &mut AnyConnection,
    code: &str,
    action: &str,
    status: FeedbackStatus,
    at: &str,
    actor: &str,
    agency: Option<&str>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO feedback_events (feedback_code, seq, action, status, at, actor, agency) \
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feedback_events WHERE feedback_code = $1), \
         $2, $3, $4, $5, $6)",
    )
    .bind(code)
    .bind(action)
    .bind(status.as_str())
    .bind(at)
    .bind(actor)
    .bind(agency)
    .execute(conn)
    .await
    ?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Reading

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
    let (row, access) = if gate::secret_of(&headers, SECRET_HEADER).is_some() {
        let row: Report = gate::open(&s, &code, &headers, &ext, lang).await?;
        (row, Access::Full)
    } else {
        let row: Report = gate::find_public(&s, &code, &headers, &ext, lang).await?;
        (row, Access::Public)
    };
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
    let row: Report = if gate::secret_of(&headers, SECRET_HEADER).is_some() {
        gate::open(&s, &raw, &headers, &ext, lang).await?
    } else {
        let row: Report = gate::find_public(&s, &raw, &headers, &ext, lang).await?;
        if !row.published {
            return Err(feedback_not_found());
        }
        row
    };
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

// ---------------------------------------------------------------------------
// Officers (API and CLI)

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
fn officer_text(field: &str, text: &str, max: u32, lang: &str) -> Result<String, ApiError> {
    check_officer_text(text, max)
        .map_err(|p| ApiError::validation(vec![(field.to_string(), p)], lang))?;
    Ok(text.trim().to_string())
}

/// Moves a report with `action` (checked by [`next_status`]: 409
/// `invalid_transition` with the reason's code in `field`), recording a
/// timeline entry; `text` is the agency, the answer or the reason.
async fn move_report(
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
    headers: HeaderMap,
    Json(b): Json<FeedbackAssign>,
) -> Result<Json<FeedbackView>, ApiError> {
    let lang = request_lang(&headers);
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
    headers: HeaderMap,
    Json(b): Json<FeedbackAnswer>,
) -> Result<Json<FeedbackView>, ApiError> {
    let lang = request_lang(&headers);
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
    headers: HeaderMap,
    Json(b): Json<FeedbackReject>,
) -> Result<Json<FeedbackView>, ApiError> {
    let lang = request_lang(&headers);
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
    fn new_codes_have_the_contract_shape() {
        for _ in 0..500 {
            let code = format!("PA-261124-{}", random_tail());
            assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
        }
    }

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
