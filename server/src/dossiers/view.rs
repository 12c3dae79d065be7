//! What a dossier looks like to its reader: the view of
//! `GET /api/v1/dossiers/{code}` (public, the citizen's, the officer's),
//! the status line of the batch refresh, the officer's list.

use cuaso_domain::api::Text;
use cuaso_domain::form::{Answers, FieldKind};
use cuaso_domain::status::{deadline, timeliness, Event, Status};
use cuaso_domain::track::{
    DossierFile, DossierPrivate, DossierView, EntryDetails, MissingDocument, Payment, PaymentDue,
    Rating, StatusSummary, TimelineEntry,
};
use cuaso_domain::Date;
use sqlx::AnyConnection;

use super::assisted::assisted_by;
use super::store::{
    corrupt, dossier_not_found, events, find, normalize_code, row_from, Access, DossierRow,
    RowTuple, StoredEvent, LIST_MAX, ROW_COLUMNS,
};
use crate::http::ApiError;
use crate::uploads;
use crate::AppState;

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

pub(super) type FileTuple = (String, String, i64, String, Option<String>);

pub(super) fn file_from(t: FileTuple) -> Option<DossierFile> {
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
pub(super) fn latest_documents(evs: &[StoredEvent]) -> Vec<MissingDocument> {
    evs.iter()
        .rev()
        .find(|e| e.event.status == Status::SupplementRequested)
        .map(|e| e.documents.clone())
        .unwrap_or_default()
}

pub(super) fn promised(row: &DossierRow) -> Result<Date, ApiError> {
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
        let assisted_by = assisted_by(conn, &row.code).await?;
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

/// The officer list: newest first, at most `LIST_MAX` (200), optionally only
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
