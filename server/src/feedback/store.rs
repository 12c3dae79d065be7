//! A feedback report as stored, and what each reader sees of it: the code
//! alone, the category, commune, status, dates and the timeline (with the
//! agencies' names), `content` once published; the secret
//! (`X-Feedback-Secret`) and officers, everything.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cuaso_domain::feedback::{
    normalize_code, Category, Contact, FeedbackAnswerView, FeedbackContent, FeedbackEvent,
    FeedbackPrivate, FeedbackRating, FeedbackStatus, FeedbackView, Location, Position,
    SECRET_HEADER,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::{AnyConnection, Row};

use crate::http::gate::{Lock, Locked};
use crate::http::{ApiError, Json};
use crate::AppState;

/// The one answer for an unknown or malformed code, a wrong or missing
/// secret (on the secret-only actions), and an unpublished report's photo
/// asked for without the secret: codes cannot be probed.
pub fn feedback_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::FeedbackNotFound,
        "no feedback report matches this code and secret",
    )
}

pub(super) fn conflict(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, ApiErrorBody::new(code, message))
}

pub(super) fn bad_parameter(field: &str, message: &str) -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidParameter,
        field,
        message,
    ))
}

pub(super) fn corrupt(what: &str) -> ApiError {
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
    const LOCK: Lock = Lock {
        secret_header: SECRET_HEADER,
        what: "feedback",
        normalize_code,
        not_found: feedback_not_found,
    };
    fn code_and_hash(&self) -> (&str, &str) {
        (&self.code, &self.secret_hash)
    }
    async fn find(s: &AppState, code: &str) -> Result<Option<Self>, ApiError> {
        find_in_pool(s, code).await
    }
}

pub(super) const COLUMNS: &str =
    "code, secret_hash, category, title, description, lat, lon, accuracy_m, \
    commune, address, contact_name, contact_phone, contact_email, status, agency, answer, \
    answered_at, rejection, published, rating_stars, rating_comment, received_at";

pub(super) fn report(r: &sqlx::any::AnyRow) -> Result<Report, ApiError> {
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

pub(super) async fn find_in_pool(s: &AppState, code: &str) -> Result<Option<Report>, ApiError> {
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
pub(super) fn photo_urls(code: &str, n: usize) -> Vec<String> {
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

pub(super) async fn view_in_pool(
    s: &AppState,
    r: &Report,
    access: Access,
) -> Result<FeedbackView, ApiError> {
    let mut conn = s.pool.acquire().await?;
    build_view(&mut conn, r, access).await
}

pub(super) fn no_store<T: serde::Serialize>(v: T) -> Response {
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(v),
    )
        .into_response()
}

pub(super) async fn add_event(
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
