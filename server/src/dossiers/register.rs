//! Writing a new dossier, once its submission passed the checks: its code
//! (the agency's counter of the day), the dossier and its first event
//! (the citizen's, or the helper's acting for them), the assist, the
//! uploads attached, and the receipt (with the secret, shown once).

use cuaso_domain::date::add_working_days;
use cuaso_domain::form::DossierReceipt;
use sqlx::{Any, Transaction};

use super::assisted::Assisted;
use super::intake::Intake;
use super::STATUS_NEW;
use crate::http::gate::secret_hash;
use crate::http::ApiError;
use crate::AppState;

/// Writes the dossier of `intake` (its submission's `Idempotency-Key`
/// is `key`) and answers its receipt.
pub(super) async fn register(
    s: &AppState,
    tx: &mut Transaction<'_, Any>,
    key: &str,
    intake: Intake<'_>,
    lang: &str,
    assisted: Option<&Assisted>,
) -> Result<DossierReceipt, ApiError> {
    let (procedure, online, today) = (intake.procedure, intake.online, intake.today);
    let day = today.yymmdd();
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO dossier_counters (agency, day, last) VALUES ($1, $2, 1) \
         ON CONFLICT (agency, day) DO UPDATE SET last = dossier_counters.last + 1 RETURNING last",
    )
    .bind(&online.agency_code)
    .bind(&day)
    .fetch_one(&mut **tx)
    .await?;
    let code = format!("{}-{}-{:04}", online.agency_code, day, n);
    let secret = crate::infra::random::secret();
    let received_at = intake.now.rfc3339();
    let promised_date = add_working_days(today, procedure.days).to_string();
    let fee = procedure
        .fees
        .online
        .or(procedure.fees.counter)
        .unwrap_or(0);
    let answers_json =
        serde_json::to_string(&intake.answers).map_err(|_| ApiError::internal("json"))?;
    sqlx::query(
        "INSERT INTO dossiers (code, procedure_code, agency_code, secret_hash, status, \
         received_at, promised_date, fee, answers, lang, idempotency_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&code)
    .bind(&procedure.code)
    .bind(&online.agency_code)
    .bind(secret_hash(&code, &secret))
    .bind(i64::from(STATUS_NEW))
    .bind(&received_at)
    .bind(&promised_date)
    .bind(fee as i64)
    .bind(&answers_json)
    .bind(lang)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO dossier_events (dossier_code, seq, status, at, actor, reason) \
         VALUES ($1, 1, $2, $3, $4, NULL)",
    )
    .bind(&code)
    .bind(i64::from(STATUS_NEW))
    .bind(&received_at)
    .bind(assisted.map_or_else(|| "citizen".to_string(), |a| a.actor()))
    .execute(&mut **tx)
    .await?;
    if let Some(a) = assisted {
        a.record(tx, &code, &received_at).await?;
    }
    for (id, field) in &intake.attach {
        let done = sqlx::query(
            "UPDATE uploads SET dossier_code = $1, field = $2 WHERE id = $3 AND dossier_code IS NULL",
        )
        .bind(&code)
        .bind(field)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(ApiError::internal(
                "an upload changed during the submission",
            ));
        }
    }
    Ok(DossierReceipt {
        code: code.clone(),
        secret,
        procedure: procedure.code.clone(),
        procedure_name: procedure.name.clone(),
        status: STATUS_NEW,
        received_at,
        promised_date,
        fee,
        agency: procedure.agency.clone(),
        contact: online.contact.clone(),
        payment: (fee > 0).then(|| s.payment.clone()),
    })
}
