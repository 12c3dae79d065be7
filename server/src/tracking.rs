//! Following a dossier after submission: its view (public, for the citizen
//! with the secret, for officers), and every action that changes it. Each
//! action is one function used by the HTTP handlers (citizen and officer)
//! and by the `cuaso-server officer` CLI alike, so both go through the same
//! checks.
//!
//! Every status change goes through [`cuaso_domain::status::check_transition`]
//! and is written in ONE write transaction (`db::begin_write`) with its
//! event row and the dossier's new status, so the stored history always
//! replays (see `cuaso_domain::status::replay`).

use std::collections::HashSet;

use axum::http::StatusCode;
use cuaso_domain::api::Text;
use cuaso_domain::form::{Answers, FieldKind, FileType};
use cuaso_domain::status::{
    check_transition, clean_reason, deadline, timeliness, Actor, Event, Status, TransitionError,
    MAX_REASON,
};
use cuaso_domain::track::{
    DossierFile, DossierPrivate, DossierView, EntryDetails, MissingDocument, OfficerMove, Payment,
    PaymentDue, Rating, StatusSummary, Supplement, TimelineEntry, Withdrawal, MAX_COMMENT,
};
use cuaso_domain::validate::{check_text, is_upload_id, Problem};
use cuaso_domain::{ApiErrorBody, Date, ErrorCode, FieldProblem};
use sqlx::{Any, AnyConnection, Transaction};

use crate::http::gate::Locked;
use crate::http::ApiError;
use crate::uploads;
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

/// 422 `validation` with one entry per field.
pub fn validation(problems: Vec<(String, Problem)>, lang: &str) -> ApiError {
    let fields: Vec<FieldProblem> = problems
        .iter()
        .map(|(k, p)| p.to_field_problem(k, lang))
        .collect();
    let mut body = ApiErrorBody::new(
        ErrorCode::Validation,
        format!("{} field(s) need attention", fields.len()),
    );
    body.fields = fields;
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, body)
}

/// 409 `invalid_transition`: `field` is the [`TransitionError`] code and
/// `message` says why, in the request's language.
pub fn transition_error(e: TransitionError, lang: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ApiErrorBody::for_field(ErrorCode::InvalidTransition, e.code(), e.message(lang)),
    )
}

fn corrupt(what: &str) -> ApiError {
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
    const SECRET_HEADER: &'static str = cuaso_domain::track::SECRET_HEADER;
    const WHAT: &'static str = "dossier";
    fn normalize_code(raw: &str) -> Option<String> {
        normalize_code(raw)
    }
    fn not_found() -> ApiError {
        dossier_not_found()
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

type RowTuple = (String, String, String, i64, String, String, i64, String);

fn row_from(t: RowTuple) -> Result<DossierRow, ApiError> {
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

const ROW_COLUMNS: &str =
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

fn actor_from(s: &str) -> Actor {
    match s {
        "citizen" => Actor::Citizen,
        // A community helper submitting on the citizen's behalf.
        s if s.starts_with("helper:") => Actor::Citizen,
        s if s == "officer" || s.starts_with("officer:") => Actor::Officer,
        _ => Actor::System,
    }
}

type EventTuple = (
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

/// The answer of the form's applicant-name field: the first text field with
/// `autocomplete: name`, else `ho_ten`, else empty.
pub fn applicant_name(s: &AppState, procedure: &str, answers: &Answers) -> String {
    let field = s
        .catalogue
        .procedure(procedure)
        .and_then(|p| p.form.as_ref())
        .and_then(|form| {
            form.fields()
                .map(|(_, f)| f)
                .find(
                    |f| matches!(&f.kind, FieldKind::Text { autocomplete: Some(a) } if a == "name"),
                )
                .map(|f| f.id.clone())
        });
    field
        .and_then(|id| answers.get(&id).cloned())
        .or_else(|| answers.get("ho_ten").cloned())
        .unwrap_or_default()
}

type FileTuple = (String, String, i64, String, Option<String>);

fn file_from(t: FileTuple) -> Option<DossierFile> {
    Some(DossierFile {
        id: t.0,
        name: t.1,
        size: t.2.max(0) as u64,
        file_type: uploads::type_from_str(&t.3)?,
        field: t.4.unwrap_or_default(),
    })
}

/// The result file attached to a dossier, whatever its status.
pub async fn result_file(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<DossierFile>, ApiError> {
    let t: Option<FileTuple> = sqlx::query_as(
        "SELECT id, name, size, type, field FROM uploads WHERE dossier_code = $1 AND field = 'result'",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    ?;
    Ok(t.and_then(file_from))
}

/// The latest request for documents (the last move into 5).
fn latest_documents(evs: &[StoredEvent]) -> Vec<MissingDocument> {
    evs.iter()
        .rev()
        .find(|e| e.event.status == Status::SupplementRequested)
        .map(|e| e.documents.clone())
        .unwrap_or_default()
}

fn promised(row: &DossierRow) -> Result<Date, ApiError> {
    Date::parse(&row.promised_date).ok_or_else(|| corrupt("promised date"))
}

/// What `GET /api/v1/dossiers/{code}` answers, for `access`.
pub async fn build_view(
    s: &AppState,
    conn: &mut AnyConnection,
    row: &DossierRow,
    access: Access,
) -> Result<DossierView, ApiError> {
    let evs = events(conn, &row.code).await?;
    let domain_events: Vec<Event> = evs.iter().map(|e| e.event.clone()).collect();
    let promised_date = promised(row)?;
    let procedure = s.catalogue.procedure(&row.procedure_code);
    let private = access != Access::Public;
    let timeline = evs
        .iter()
        .map(|e| TimelineEntry {
            status: e.event.status,
            at: e.event.at.clone(),
            details: private.then(|| EntryDetails {
                actor: e.event.actor,
                reason: e.event.reason.clone(),
                amount: e.event.amount,
                documents: e.documents.clone(),
                payment_confirmed: e.payment_confirmed,
            }),
        })
        .collect();
    let private = if private {
        let answers: Answers =
            serde_json::from_str(&row.answers).map_err(|_| corrupt("dossier answers"))?;
        let files: Vec<FileTuple> = sqlx::query_as(
            "SELECT id, name, size, type, field FROM uploads WHERE dossier_code = $1 \
             AND (field IS NULL OR field NOT IN ('result', 'result_replaced')) ORDER BY rowid",
        )
        .bind(&row.code)
        .fetch_all(&mut *conn)
        .await?;
        let rating: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT stars, comment FROM ratings WHERE dossier_code = $1")
                .bind(&row.code)
                .fetch_optional(&mut *conn)
                .await?;
        let rating = rating.map(|(stars, comment)| Rating {
            stars: stars.clamp(1, 5) as u8,
            comment,
        });
        let result = match (access, row.status) {
            (Access::Officer, _) | (_, Status::Done | Status::Returned) => {
                result_file(conn, &row.code).await?
            }
            _ => None,
        };
        let payment_due = (row.status == Status::PaymentRequested).then(|| PaymentDue {
            amount: evs
                .iter()
                .rev()
                .find(|e| e.event.status == Status::PaymentRequested)
                .and_then(|e| e.event.amount)
                .unwrap_or(0),
            account: s.payment.clone(),
            purpose: row.code.clone(),
        });
        let payments = evs
            .iter()
            .filter(|e| e.payment_confirmed)
            .map(|e| Payment {
                amount: e.event.amount.unwrap_or(0),
                at: e.event.at.clone(),
            })
            .collect();
        let missing_documents = if row.status == Status::SupplementRequested {
            latest_documents(&evs)
        } else {
            Vec::new()
        };
        let assisted_by = crate::helpers::assisted_by(conn, &row.code).await?;
        Some(DossierPrivate {
            applicant_name: applicant_name(s, &row.procedure_code, &answers),
            answers,
            files: files.into_iter().filter_map(file_from).collect(),
            agency: procedure.map(|p| p.agency.clone()).unwrap_or_default(),
            contact: s
                .catalogue
                .online
                .get(&row.procedure_code)
                .map(|o| o.contact.clone())
                .unwrap_or_default(),
            fee: row.fee,
            payment_due,
            payments,
            missing_documents,
            result,
            can_withdraw: row.status.can_withdraw(),
            can_rate: row.status == Status::Returned && rating.is_none(),
            assisted_by,
            rating,
        })
    } else {
        None
    };
    Ok(DossierView {
        code: row.code.clone(),
        procedure: row.procedure_code.clone(),
        procedure_name: procedure.map(|p| p.name.clone()).unwrap_or_else(|| Text {
            vi: row.procedure_code.clone(),
            en: row.procedure_code.clone(),
        }),
        status: row.status,
        received_at: row.received_at.clone(),
        promised_date: row.promised_date.clone(),
        deadline: deadline(promised_date, &domain_events).to_string(),
        timeliness: timeliness(promised_date, &domain_events, s.clock.today()),
        timeline,
        private,
    })
}

/// One line of `POST /api/v1/dossiers/statuses`.
pub async fn summary(
    s: &AppState,
    conn: &mut AnyConnection,
    row: &DossierRow,
) -> Result<StatusSummary, ApiError> {
    let evs: Vec<Event> = events(conn, &row.code)
        .await?
        .into_iter()
        .map(|e| e.event)
        .collect();
    Ok(StatusSummary {
        code: row.code.clone(),
        status: row.status,
        updated_at: evs
            .last()
            .map(|e| e.at.clone())
            .unwrap_or_else(|| row.received_at.clone()),
        timeliness: timeliness(promised(row)?, &evs, s.clock.today()),
    })
}

/// The dossier's view, or 404 `dossier_not_found`.
pub async fn show(s: &AppState, code: &str, access: Access) -> Result<DossierView, ApiError> {
    let code = normalize_code(code).ok_or_else(dossier_not_found)?;
    let mut conn = s.pool.acquire().await?;
    let row = find(&mut conn, &code)
        .await?
        .ok_or_else(dossier_not_found)?;
    build_view(s, &mut conn, &row, access).await
}

/// The officer list: newest first, at most [`LIST_MAX`], optionally only
/// one status.
pub async fn list(s: &AppState, status: Option<Status>) -> Result<Vec<DossierView>, ApiError> {
    let mut conn = s.pool.acquire().await?;
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM dossiers WHERE ($1 IS NULL OR status = $1) \
         ORDER BY received_at DESC, code DESC LIMIT $2"
    );
    let rows: Vec<RowTuple> = sqlx::query_as(&sql)
        .bind(status.map(|st| i64::from(st.code())))
        .bind(LIST_MAX)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        let row = row_from(t)?;
        out.push(build_view(s, &mut conn, &row, Access::Officer).await?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------

/// A status change as written.
struct Move<'a> {
    to: Status,
    actor: Actor,
    /// The `actor` column: `citizen`, `officer:api`, `officer:cli`.
    who: &'a str,
    reason: Option<&'a str>,
    amount: Option<u64>,
    documents: &'a [MissingDocument],
    payment_confirmed: bool,
}

async fn begin(s: &AppState) -> Result<Transaction<'static, Any>, ApiError> {
    crate::infra::db::begin_write(&s.pool)
        .await
        .map_err(ApiError::from)
}

/// Checks the move with the domain and writes the event and the new status
/// (inside the caller's transaction). Updates `row.status`.
async fn record(
    s: &AppState,
    tx: &mut Transaction<'_, Any>,
    row: &mut DossierRow,
    m: Move<'_>,
    lang: &str,
) -> Result<(), ApiError> {
    check_transition(row.status, m.to, m.actor, m.reason).map_err(|e| transition_error(e, lang))?;
    let reason = clean_reason(m.reason).map_err(|e| transition_error(e, lang))?;
    let (seq,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_events WHERE dossier_code = $1",
    )
    .bind(&row.code)
    .fetch_one(&mut **tx)
    .await?;
    let documents = if m.documents.is_empty() {
        None
    } else {
        Some(serde_json::to_string(m.documents).map_err(|_| ApiError::internal("json"))?)
    };
    let at = s.clock.now().rfc3339();
    sqlx::query(
        "INSERT INTO dossier_events \
         (dossier_code, seq, status, at, actor, reason, amount, documents, payment_confirmed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.code)
    .bind(seq)
    .bind(i64::from(m.to.code()))
    .bind(&at)
    .bind(m.who)
    .bind(reason)
    .bind(m.amount.map(|a| a as i64))
    .bind(documents)
    .bind(i64::from(m.payment_confirmed))
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE dossiers SET status = $1, updated_at = $4 WHERE code = $2 AND status = $3",
    )
    .bind(i64::from(m.to.code()))
    .bind(&row.code)
    .bind(i64::from(row.status.code()))
    // Wall time, as the column's default (not the service clock).
    .bind(crate::infra::clock::utc_string(std::time::SystemTime::now()))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::internal("the dossier changed during the move"));
    }
    tracing::info!(dossier = %row.code, from = row.status.code(), to = m.to.code(), actor = m.who, "status changed");
    row.status = m.to;
    Ok(())
}

/// Loads the dossier for a write, or 404.
async fn find_for_update(
    tx: &mut Transaction<'_, Any>,
    code: &str,
) -> Result<DossierRow, ApiError> {
    let code = normalize_code(code).ok_or_else(dossier_not_found)?;
    find(tx, &code).await?.ok_or_else(dossier_not_found)
}

/// Builds the view inside the transaction, then commits.
async fn finish(
    s: &AppState,
    mut tx: Transaction<'_, Any>,
    row: &DossierRow,
    access: Access,
) -> Result<DossierView, ApiError> {
    let view = build_view(s, &mut tx, row, access).await?;
    tx.commit().await?;
    Ok(view)
}

fn check_amount(amount: Option<u64>) -> Result<u64, ApiError> {
    match amount {
        Some(a) if a > 0 && a <= MAX_AMOUNT => Ok(a),
        _ => Err(invalid_parameter(
            "amount",
            format!("amount must be a whole number of VND from 1 to {MAX_AMOUNT}"),
        )),
    }
}

/// Checks what an officer asks for and gives it the default limits.
pub fn missing_documents(
    docs: &[cuaso_domain::track::RequestedDocument],
) -> Result<Vec<MissingDocument>, ApiError> {
    if docs.is_empty() {
        return Err(invalid_parameter(
            "documents",
            "name at least one missing document when asking for more documents (status 5)",
        ));
    }
    if docs.len() > MAX_DOCUMENTS {
        return Err(invalid_parameter(
            "documents",
            format!("at most {MAX_DOCUMENTS} documents in one request"),
        ));
    }
    let mut out = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        let name = d.name.trim();
        if name.is_empty() || check_text(name, MAX_DOCUMENT_NAME, false).is_err() {
            return Err(invalid_parameter(
                &format!("documents.{i}.name"),
                format!("a document name is 1 to {MAX_DOCUMENT_NAME} characters on one line"),
            ));
        }
        let why = d.why.as_deref().map(str::trim).filter(|w| !w.is_empty());
        if let Some(w) = why {
            if check_text(w, MAX_DOCUMENT_WHY, true).is_err() || w.contains('\t') {
                return Err(invalid_parameter(
                    &format!("documents.{i}.why"),
                    format!("an explanation is at most {MAX_DOCUMENT_WHY} characters"),
                ));
            }
        }
        out.push(MissingDocument {
            name: name.to_string(),
            why: why.map(str::to_string),
            accept: DOC_ACCEPT.to_vec(),
            max_bytes: DOC_MAX_BYTES,
            max_files: DOC_MAX_FILES,
        });
    }
    Ok(out)
}

/// An officer moves a dossier (`who`: `officer:api` or `officer:cli`).
/// Into 5 needs documents, into 6 an amount; neither is taken elsewhere.
pub async fn officer_move(
    s: &AppState,
    code: &str,
    mv: &OfficerMove,
    who: &str,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let mut tx = begin(s).await?;
    let mut row = find_for_update(&mut tx, code).await?;
    check_transition(row.status, mv.to, Actor::Officer, mv.reason.as_deref())
        .map_err(|e| transition_error(e, lang))?;
    let amount = if mv.to == Status::PaymentRequested {
        Some(check_amount(mv.amount)?)
    } else if mv.amount.is_some() {
        return Err(invalid_parameter(
            "amount",
            "an amount goes only with a payment request (status 6); \
             confirm a payment with the payment endpoint",
        ));
    } else {
        None
    };
    let documents = if mv.to == Status::SupplementRequested {
        missing_documents(&mv.documents)?
    } else if !mv.documents.is_empty() {
        return Err(invalid_parameter(
            "documents",
            "documents go only with a request for more documents (status 5)",
        ));
    } else {
        Vec::new()
    };
    record(
        s,
        &mut tx,
        &mut row,
        Move {
            to: mv.to,
            actor: Actor::Officer,
            who,
            reason: mv.reason.as_deref(),
            amount,
            documents: &documents,
            payment_confirmed: false,
        },
        lang,
    )
    .await?;
    finish(s, tx, &row, Access::Officer).await
}

/// An officer confirms the payment asked for: the 6 → 4 move, recorded with
/// the amount and `payment_confirmed`. Only at status 6.
pub async fn confirm_payment(
    s: &AppState,
    code: &str,
    amount: u64,
    who: &str,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let amount = check_amount(Some(amount))?;
    let mut tx = begin(s).await?;
    let mut row = find_for_update(&mut tx, code).await?;
    if row.status != Status::PaymentRequested {
        return Err(wrong_status(format!(
            "no payment is asked for: the dossier is at status {}, not 6",
            row.status.code()
        )));
    }
    record(
        s,
        &mut tx,
        &mut row,
        Move {
            to: Status::Processing,
            actor: Actor::Officer,
            who,
            reason: None,
            amount: Some(amount),
            documents: &[],
            payment_confirmed: true,
        },
        lang,
    )
    .await?;
    finish(s, tx, &row, Access::Officer).await
}

/// May a result be attached now (status 4 or 9)? Checked before an upload
/// is stored, and again when attaching.
pub fn result_allowed(row: &DossierRow) -> Result<(), ApiError> {
    match row.status {
        Status::Processing | Status::Done => Ok(()),
        st => Err(wrong_status(format!(
            "a result is attached at status 4 or 9; the dossier is at status {}",
            st.code()
        ))),
    }
}

/// An officer attaches the result file (an upload not yet used). It
/// replaces an earlier result; the status does not change. Attaching the
/// same upload again answers the view.
pub async fn attach_result(
    s: &AppState,
    code: &str,
    upload: &str,
    who: &str,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let mut tx = begin(s).await?;
    let row = find_for_update(&mut tx, code).await?;
    if !is_upload_id(upload) {
        return Err(validation(
            vec![("upload".into(), Problem::FileIdInvalid)],
            lang,
        ));
    }
    let up: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT COALESCE(dossier_code, feedback_code), field FROM uploads WHERE id = $1",
    )
    .bind(upload)
    .fetch_optional(&mut *tx)
    .await?;
    match up {
        None => {
            return Err(validation(
                vec![("upload".into(), Problem::UploadMissing)],
                lang,
            ))
        }
        Some((Some(d), Some(f))) if d == row.code && f == "result" => {
            return finish(s, tx, &row, Access::Officer).await;
        }
        Some((Some(_), _)) => {
            return Err(validation(
                vec![("upload".into(), Problem::UploadInUse)],
                lang,
            ))
        }
        Some((None, _)) => {}
    }
    result_allowed(&row)?;
    sqlx::query(
        "UPDATE uploads SET field = 'result_replaced' WHERE dossier_code = $1 AND field = 'result'",
    )
    .bind(&row.code)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE uploads SET dossier_code = $1, field = 'result' WHERE id = $2 AND dossier_code IS NULL",
    )
    .bind(&row.code)
    .bind(upload)
    .execute(&mut *tx)
    .await
    ?;
    if done.rows_affected() != 1 {
        return Err(ApiError::internal("the upload changed while attaching it"));
    }
    tracing::info!(dossier = %row.code, upload, who, "result attached");
    finish(s, tx, &row, Access::Officer).await
}

/// The citizen sends the documents asked for (status 5 → 4). A retry of a
/// request that already went through (same uploads, attached to this
/// dossier as its last supplement) answers the view again.
pub async fn supplement(
    s: &AppState,
    code: &str,
    req: &Supplement,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let note = match clean_reason(req.note.as_deref()) {
        Ok(n) => n,
        Err(TransitionError::ReasonTooLong) => {
            return Err(validation(
                vec![("note".into(), Problem::TooLong { max: MAX_REASON })],
                lang,
            ))
        }
        Err(_) => {
            return Err(validation(
                vec![("note".into(), Problem::InvalidChars)],
                lang,
            ))
        }
    };
    let mut tx = begin(s).await?;
    let mut row = find_for_update(&mut tx, code).await?;
    let evs = events(&mut tx, &row.code).await?;
    if row.status != Status::SupplementRequested {
        if already_sent(&mut tx, &row, &evs, req).await? {
            return finish(s, tx, &row, Access::Citizen).await;
        }
        return Err(wrong_status(format!(
            "no documents are asked for: the dossier is at status {}, not 5",
            row.status.code()
        )));
    }
    let docs = latest_documents(&evs);
    if req.files.len() != docs.len() {
        return Err(invalid_parameter(
            "files",
            format!(
                "send one list of upload ids for each of the {} missing documents",
                docs.len()
            ),
        ));
    }
    let mut problems: Vec<(String, Problem)> = Vec::new();
    let mut attach: Vec<&str> = Vec::new();
    let mut used: HashSet<&str> = HashSet::new();
    for (i, (ids, doc)) in req.files.iter().zip(&docs).enumerate() {
        let key = format!("files.{i}");
        if ids.is_empty() {
            problems.push((key, Problem::RequiredFile));
            continue;
        }
        if ids.len() > doc.max_files as usize {
            problems.push((key, Problem::TooManyFiles { max: doc.max_files }));
            continue;
        }
        for id in ids {
            let problem = if !is_upload_id(id) {
                Some(Problem::FileIdInvalid)
            } else if used.contains(id.as_str()) {
                Some(Problem::UploadInUse)
            } else {
                uploads::check(&mut tx, id, &doc.accept, doc.max_bytes).await?
            };
            if let Some(p) = problem {
                problems.push((key, p));
                break;
            }
            used.insert(id);
            attach.push(id);
        }
    }
    if !problems.is_empty() {
        return Err(validation(problems, lang));
    }
    for id in attach {
        let done = sqlx::query(
            "UPDATE uploads SET dossier_code = $1, field = 'supplement' \
             WHERE id = $2 AND dossier_code IS NULL",
        )
        .bind(&row.code)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(ApiError::internal("an upload changed while attaching it"));
        }
    }
    record(
        s,
        &mut tx,
        &mut row,
        Move {
            to: Status::Processing,
            actor: Actor::Citizen,
            who: "citizen",
            reason: note,
            amount: None,
            documents: &[],
            payment_confirmed: false,
        },
        lang,
    )
    .await?;
    finish(s, tx, &row, Access::Citizen).await
}

/// Did this supplement already go through? The dossier is at 4 right after
/// the citizen's 5 → 4, and every upload named is attached to it as a
/// supplement.
async fn already_sent(
    tx: &mut Transaction<'_, Any>,
    row: &DossierRow,
    evs: &[StoredEvent],
    req: &Supplement,
) -> Result<bool, ApiError> {
    let [.., before, last] = evs else {
        return Ok(false);
    };
    if row.status != Status::Processing
        || last.event.status != Status::Processing
        || last.event.actor != Actor::Citizen
        || before.event.status != Status::SupplementRequested
    {
        return Ok(false);
    }
    let ids: Vec<&String> = req.files.iter().flatten().collect();
    if ids.is_empty() {
        return Ok(false);
    }
    for id in ids {
        let up: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT dossier_code, field FROM uploads WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        let ok = matches!(up, Some((Some(d), Some(f))) if d == row.code && f == "supplement");
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The citizen withdraws the dossier (→ 7) where the domain allows it.
/// Withdrawing again answers the view.
pub async fn withdraw(
    s: &AppState,
    code: &str,
    req: &Withdrawal,
    lang: &str,
) -> Result<DossierView, ApiError> {
    if let Err(e) = clean_reason(req.reason.as_deref()) {
        let p = match e {
            TransitionError::ReasonTooLong => Problem::TooLong { max: MAX_REASON },
            _ => Problem::InvalidChars,
        };
        return Err(validation(vec![("reason".into(), p)], lang));
    }
    let mut tx = begin(s).await?;
    let mut row = find_for_update(&mut tx, code).await?;
    if row.status == Status::Withdrawn {
        return finish(s, tx, &row, Access::Citizen).await;
    }
    record(
        s,
        &mut tx,
        &mut row,
        Move {
            to: Status::Withdrawn,
            actor: Actor::Citizen,
            who: "citizen",
            reason: req.reason.as_deref(),
            amount: None,
            documents: &[],
            payment_confirmed: false,
        },
        lang,
    )
    .await?;
    finish(s, tx, &row, Access::Citizen).await
}

/// The citizen rates the service once, at status 10. The same rating sent
/// again answers the view; a different one is 409 `already_rated`.
pub async fn rate(
    s: &AppState,
    code: &str,
    req: &Rating,
    lang: &str,
) -> Result<DossierView, ApiError> {
    let mut problems = Vec::new();
    if !(1..=5).contains(&req.stars) {
        problems.push(("stars".to_string(), Problem::NotAnOption));
    }
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = comment {
        if let Err(p) = check_text(c, MAX_COMMENT, true) {
            problems.push(("comment".to_string(), p));
        }
    }
    if !problems.is_empty() {
        return Err(validation(problems, lang));
    }
    let mut tx = begin(s).await?;
    let row = find_for_update(&mut tx, code).await?;
    let seen: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT stars, comment FROM ratings WHERE dossier_code = $1")
            .bind(&row.code)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((stars, c)) = seen {
        if stars == i64::from(req.stars) && c.as_deref() == comment {
            return finish(s, tx, &row, Access::Citizen).await;
        }
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ApiErrorBody::new(
                ErrorCode::AlreadyRated,
                "this dossier has been rated already",
            ),
        ));
    }
    if row.status != Status::Returned {
        return Err(wrong_status(format!(
            "a dossier is rated once its result is returned (status 10); it is at status {}",
            row.status.code()
        )));
    }
    sqlx::query("INSERT INTO ratings (dossier_code, stars, comment, at) VALUES ($1, $2, $3, $4)")
        .bind(&row.code)
        .bind(i64::from(req.stars))
        .bind(comment)
        .bind(s.clock.now().rfc3339())
        .execute(&mut *tx)
        .await?;
    finish(s, tx, &row, Access::Citizen).await
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
