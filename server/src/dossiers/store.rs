//! A dossier as stored: its row and events, the codes (normalized by the
//! domain), who is looking ([`Access`]), and the refusals every action
//! shares. Every status change goes through
//! [`cuaso_domain::status::check_transition`] (see `moves.rs`).

use axum::http::StatusCode;
use cuaso_domain::form::FileType;
use cuaso_domain::status::{Actor, Event, Status, TransitionError};
use cuaso_domain::track::MissingDocument;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::AnyConnection;

use crate::http::gate::{Lock, Locked};
use crate::http::ApiError;
use crate::AppState;

/// Defaults for a document asked for (status 5) when the officer gives only
/// its name: PDF, JPEG or PNG, at most 5 MiB a file, at most 3 files.
pub const DOC_ACCEPT: [FileType; 3] = [FileType::Pdf, FileType::Jpeg, FileType::Png];
pub const DOC_MAX_BYTES: u64 = 5 * 1024 * 1024;
pub const DOC_MAX_FILES: u32 = 3;
/// At most this many documents in one request.
pub const MAX_DOCUMENTS: usize = 20;
/// The longest document name and explanation, in characters.
pub const MAX_DOCUMENT_NAME: u32 = 200;
pub const MAX_DOCUMENT_WHY: u32 = 1000;
/// The largest amount an officer can ask for or confirm (VND).
pub const MAX_AMOUNT: u64 = 1_000_000_000_000;
/// The officer list answers at most this many dossiers.
pub const LIST_MAX: i64 = 200;

/// The one answer for an unknown code, a malformed code, a wrong secret or
/// a missing secret: codes cannot be probed.
pub fn dossier_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::DossierNotFound,
        "no dossier matches this code and secret",
    )
}

pub fn wrong_status(message: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ApiErrorBody::new(ErrorCode::WrongStatus, message),
    )
}

pub fn invalid_parameter(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ApiErrorBody::for_field(ErrorCode::InvalidParameter, field, message),
    )
}

/// 409 `invalid_transition`: `field` is the [`TransitionError`] code and
/// `message` says why, in the request's language.
pub fn transition_error(e: TransitionError, lang: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ApiErrorBody::for_field(ErrorCode::InvalidTransition, e.code(), e.message(lang)),
    )
}

pub(super) fn corrupt(what: &str) -> ApiError {
    tracing::error!(what, "tracking: stored data does not parse");
    ApiError::internal("stored data is damaged")
}

pub use cuaso_domain::track::normalize_code;

/// A dossier as stored.
#[derive(Debug, Clone)]
pub struct DossierRow {
    pub code: String,
    pub procedure_code: String,
    pub secret_hash: String,
    pub status: Status,
    pub received_at: String,
    pub promised_date: String,
    pub fee: u64,
    pub answers: String,
}

impl Locked for DossierRow {
    const LOCK: Lock = Lock {
        secret_header: cuaso_domain::track::SECRET_HEADER,
        what: "dossier",
        normalize_code,
        not_found: dossier_not_found,
    };
    fn code_and_hash(&self) -> (&str, &str) {
        (&self.code, &self.secret_hash)
    }
    async fn find(s: &AppState, code: &str) -> Result<Option<Self>, ApiError> {
        find_in_pool(s, code).await
    }
}

pub(super) type RowTuple = (String, String, String, i64, String, String, i64, String);

pub(super) fn row_from(t: RowTuple) -> Result<DossierRow, ApiError> {
    let status = u8::try_from(t.3)
        .ok()
        .and_then(Status::from_code)
        .ok_or_else(|| corrupt("dossier status"))?;
    Ok(DossierRow {
        code: t.0,
        procedure_code: t.1,
        secret_hash: t.2,
        status,
        received_at: t.4,
        promised_date: t.5,
        fee: t.6.max(0) as u64,
        answers: t.7,
    })
}

pub(super) const ROW_COLUMNS: &str =
    "code, procedure_code, secret_hash, status, received_at, promised_date, fee, answers";

/// The dossier with this (normalized) code.
pub async fn find(conn: &mut AnyConnection, code: &str) -> Result<Option<DossierRow>, ApiError> {
    let t: Option<RowTuple> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM dossiers WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    t.map(row_from).transpose()
}

/// [`find`] on a connection from the pool.
pub async fn find_in_pool(s: &AppState, code: &str) -> Result<Option<DossierRow>, ApiError> {
    let mut conn = s.pool.acquire().await?;
    find(&mut conn, code).await
}

/// One row of `dossier_events`, with what the domain's [`Event`] leaves out.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub event: Event,
    pub documents: Vec<MissingDocument>,
    pub payment_confirmed: bool,
}

pub(super) fn actor_from(s: &str) -> Actor {
    match s {
        "citizen" => Actor::Citizen,
        // A community helper submitting on the citizen's behalf.
        s if s.starts_with("helper:") => Actor::Citizen,
        s if s == "officer" || s.starts_with("officer:") => Actor::Officer,
        _ => Actor::System,
    }
}

pub(super) type EventTuple = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
);

/// The timeline, oldest first.
pub async fn events(conn: &mut AnyConnection, code: &str) -> Result<Vec<StoredEvent>, ApiError> {
    let rows: Vec<EventTuple> = sqlx::query_as(
        "SELECT seq, status, at, actor, reason, amount, documents, payment_confirmed \
         FROM dossier_events WHERE dossier_code = $1 ORDER BY seq",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(
            |(seq, status, at, actor, reason, amount, documents, paid)| {
                let status = u8::try_from(status)
                    .ok()
                    .and_then(Status::from_code)
                    .ok_or_else(|| corrupt("event status"))?;
                let documents = match documents {
                    Some(d) => serde_json::from_str(&d).map_err(|_| corrupt("event documents"))?,
                    None => Vec::new(),
                };
                Ok(StoredEvent {
                    event: Event {
                        seq: seq as u32,
                        status,
                        at,
                        actor: actor_from(&actor),
                        reason,
                        amount: amount.map(|a| a.max(0) as u64),
                    },
                    documents,
                    payment_confirmed: paid != 0,
                })
            },
        )
        .collect()
}

/// Who is looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The code alone: public fields only.
    Public,
    /// The applicant, with the secret.
    Citizen,
    /// An officer: everything, and the result file as soon as it is attached.
    Officer,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::gate::normalize_secret;

    #[test]
    fn codes_and_secrets_are_normalized() {
        assert_eq!(
            normalize_code(" qt.xa-250307-0001 ").as_deref(),
            Some("QT.XA-250307-0001")
        );
        assert_eq!(
            normalize_code("QT.CA.XNC-250307-12345").as_deref(),
            Some("QT.CA.XNC-250307-12345")
        );
        for bad in [
            "",
            "QT.XA",
            "QT.XA-2503-0001",
            "QT.XA-250307-01",
            "QT..XA-250307-0001",
            "-250307-0001",
            "QT.XA-250307-0001-1",
            "QT XA-250307-0001",
            "../etc/passwd",
        ] {
            assert_eq!(normalize_code(bad), None, "{bad:?}");
        }
        assert_eq!(normalize_secret(" abcd-efgh "), "ABCDEFGH");
    }
}
