//! The moves of a dossier, by officers (API and CLI alike) and by the
//! citizen: each checked by [`cuaso_domain::status::check_transition`]
//! and written in ONE write transaction (`db::begin_write`) with its
//! event row and the dossier's new status, so the stored history always
//! replays (see `cuaso_domain::status::replay`).

use cuaso_domain::status::{check_transition, clean_reason, Actor, Status};
use cuaso_domain::track::{DossierView, MissingDocument, OfficerMove};
use cuaso_domain::validate::{check_text, is_upload_id, Problem};
use sqlx::{Any, Transaction};

use super::store::{
    dossier_not_found, find, find_in_pool, invalid_parameter, normalize_code, transition_error,
    wrong_status, Access, DossierRow, DOC_ACCEPT, DOC_MAX_BYTES, DOC_MAX_FILES, MAX_AMOUNT,
    MAX_DOCUMENTS, MAX_DOCUMENT_NAME, MAX_DOCUMENT_WHY,
};
use super::view::build_view;
use crate::http::ApiError;
use crate::AppState;

/// A status change as written.
pub(super) struct Move<'a> {
    pub(super) to: Status,
    pub(super) actor: Actor,
    /// The `actor` column: `citizen`, `officer:api`, `officer:cli`.
    pub(super) who: &'a str,
    pub(super) reason: Option<&'a str>,
    pub(super) amount: Option<u64>,
    pub(super) documents: &'a [MissingDocument],
    pub(super) payment_confirmed: bool,
}

pub(super) async fn begin(s: &AppState) -> Result<Transaction<'static, Any>, ApiError> {
    crate::infra::db::begin_write(&s.pool)
        .await
        .map_err(ApiError::from)
}

/// Checks the move with the domain and writes the event and the new status
/// (inside the caller's transaction). Updates `row.status`.
pub(super) async fn record(
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
pub(super) async fn find_for_update(
    tx: &mut Transaction<'_, Any>,
    code: &str,
) -> Result<DossierRow, ApiError> {
    let code = normalize_code(code).ok_or_else(dossier_not_found)?;
    find(tx, &code).await?.ok_or_else(dossier_not_found)
}

/// Builds the view inside the transaction, then commits.
pub(super) async fn finish(
    s: &AppState,
    mut tx: Transaction<'_, Any>,
    row: &DossierRow,
    access: Access,
) -> Result<DossierView, ApiError> {
    let view = build_view(s, &mut tx, row, access).await?;
    tx.commit().await?;
    Ok(view)
}

pub(super) fn check_amount(amount: Option<u64>) -> Result<u64, ApiError> {
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

/// Refuses, before anything is stored, a result for a dossier that does
/// not exist (404 `dossier_not_found`) or is not at 4 or 9 (409
/// `wrong_status`); attaching checks again.
pub async fn check_result_allowed(s: &AppState, code: &str) -> Result<(), ApiError> {
    let code = normalize_code(code).ok_or_else(dossier_not_found)?;
    let row = find_in_pool(s, &code)
        .await?
        .ok_or_else(dossier_not_found)?;
    result_allowed(&row)
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
        return Err(ApiError::validation(
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
            return Err(ApiError::validation(
                vec![("upload".into(), Problem::UploadMissing)],
                lang,
            ))
        }
        Some((Some(d), Some(f))) if d == row.code && f == "result" => {
            return finish(s, tx, &row, Access::Officer).await;
        }
        Some((Some(_), _)) => {
            return Err(ApiError::validation(
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
