//! `POST /api/v1/dossiers`: an online application becomes a dossier (hồ sơ)
//! with a code, a secret, a promised date and, when a fee is due, where to
//! pay it. Idempotent under the `Idempotency-Key` header.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cuaso_domain::api::is_procedure_code;
use cuaso_domain::date::{add_working_days, Date};
use cuaso_domain::form::{Answers, DossierReceipt, FieldKind, FormSchema, NewDossier};
use cuaso_domain::validate::{answer_keys, clean_answers, file_ids, validate_answers, Problem};
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};
use sqlx::{Any, Transaction};

use crate::http::gate::secret_hash;
use crate::http::idempotency::{receipt_response, request_hash, IdempotencyKey, Receipts};
use crate::http::{request_lang, ApiError, Json};
use crate::uploads;
use crate::AppState;

/// The largest submission body accepted (answers only; files are uploaded first).
pub const BODY_LIMIT: usize = 256 * 1024;

/// Status of a dossier just submitted: Mới đăng ký.
pub const STATUS_NEW: u8 = 1;

/// Where submissions keep their receipts for retries.
const RECEIPTS: Receipts = Receipts {
    table: "idempotency",
    code_column: "dossier_code",
    what: "application",
};

/// Submits an application. Send the same `Idempotency-Key` when retrying:
/// the first success answers 201, every retry with the same body answers
/// 200 with the same receipt.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers",
    params(("Idempotency-Key" = String, Header,
        description = "8–64 of [A-Za-z0-9_-], new for each application, the same for its retries")),
    request_body(content = NewDossier, content_type = "application/json"),
    responses(
        (status = 201, body = DossierReceipt, description = "the dossier was created"),
        (status = 200, body = DossierReceipt, description = "a retry: the receipt first answered"),
        (status = 400, body = ApiErrorBody, description = "missing_idempotency_key, invalid_parameter (malformed JSON), invalid_code"),
        (status = 404, body = ApiErrorBody, description = "procedure_not_found"),
        (status = 413, body = ApiErrorBody, description = "body over 256 KiB"),
        (status = 415, body = ApiErrorBody, description = "not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (see fields), not_online, idempotency_mismatch"),
    ))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    Json(req): Json<NewDossier>,
) -> Result<Response, ApiError> {
    accept(&s, &headers, &key, &req, None).await
}

/// A submission, by the citizen (`assisted` `None`) or by a community
/// helper for them (`POST /api/v1/helper/dossiers`): the same checks and
/// receipt; a helper's consent problems are refused with the answers', and
/// the assist is recorded in the dossier's transaction.
pub async fn accept(
    s: &AppState,
    headers: &HeaderMap,
    key: &str,
    req: &NewDossier,
    assisted: Option<&crate::helpers::Assisted>,
) -> Result<Response, ApiError> {
    let lang = request_lang(headers);
    let hash = match assisted {
        Some(a) => a.request_hash.clone(),
        None => request_hash(req),
    };
    // One writer at a time: a concurrent request with the same key waits
    // here, then finds this one's row.
    let mut tx = crate::infra::db::begin_write(&s.pool).await?;
    match submit(s, &mut tx, key, &hash, req, lang, assisted).await {
        Ok(Outcome::Created { code, receipt }) => {
            tx.commit().await?;
            tracing::info!(
                dossier = %code,
                procedure = %req.procedure,
                helper = assisted.map(|a| a.username.as_str()),
                "dossier received"
            );
            Ok(receipt_response(StatusCode::CREATED, receipt))
        }
        Ok(Outcome::Replay(receipt)) => {
            let _ = tx.rollback().await;
            Ok(receipt_response(StatusCode::OK, receipt))
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

enum Outcome {
    /// A new dossier; the receipt JSON.
    Created { code: String, receipt: String },
    /// A retry: the receipt JSON first answered.
    Replay(String),
}

/// Everything a submission does, inside one write transaction.
async fn submit(
    s: &AppState,
    tx: &mut Transaction<'_, Any>,
    key: &str,
    hash: &str,
    req: &NewDossier,
    lang: &str,
    assisted: Option<&crate::helpers::Assisted>,
) -> Result<Outcome, ApiError> {
    if let Some(receipt) = RECEIPTS.replay(tx, key, hash, &s.clock).await? {
        return Ok(Outcome::Replay(receipt));
    }
    if !is_procedure_code(&req.procedure) {
        return Err(ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::InvalidCode,
            "procedure",
            "a procedure code looks like 1.001193",
        )));
    }
    let procedure = s.catalogue.procedure(&req.procedure).ok_or_else(|| {
        ApiError::not_found(
            ErrorCode::ProcedureNotFound,
            format!("no procedure {}", req.procedure),
        )
    })?;
    let (Some(form), Some(online)) = (
        procedure.form.as_ref(),
        s.catalogue.online.get(&procedure.code),
    ) else {
        return Err(not_online(&procedure.code));
    };
    if !procedure.online.can_apply_online() {
        return Err(not_online(&procedure.code));
    }
    let now = s.clock.now();
    let today = Date::new(now.year, now.month as u8, now.day as u8)
        .ok_or_else(|| ApiError::internal("the clock gave an impossible date"))?;

    let mut problems: Vec<(String, FieldProblem)> = validate_answers(form, &req.answers, today)
        .into_iter()
        .map(|(k, p)| {
            let fp = p.to_field_problem(&k, lang);
            (k, fp)
        })
        .collect();
    let answers = clean_answers(form, &req.answers);
    let attach = check_files(tx, form, &answers, lang, &mut problems).await?;
    sort_in_form_order(form, &mut problems);
    if let Some(a) = assisted {
        problems.extend(a.field_problems(lang));
    }
    if !problems.is_empty() {
        let mut body = ApiErrorBody::new(
            ErrorCode::Validation,
            format!("{} answer(s) need attention", problems.len()),
        );
        body.fields = problems.into_iter().map(|(_, p)| p).collect();
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, body));
    }

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
    let received_at = now.rfc3339();
    let promised_date = add_working_days(today, procedure.days).to_string();
    let fee = procedure
        .fees
        .online
        .or(procedure.fees.counter)
        .unwrap_or(0);
    let answers_json = serde_json::to_string(&answers).map_err(|_| ApiError::internal("json"))?;
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
    for (id, field) in &attach {
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
    let receipt = DossierReceipt {
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
    };
    let receipt = serde_json::to_string(&receipt).map_err(|_| ApiError::internal("json"))?;
    RECEIPTS
        .record(tx, key, hash, &code, &receipt, &s.clock)
        .await?;
    Ok(Outcome::Created { code, receipt })
}

/// Clears the receipts older than 24 hours (see [`Receipts::purge`]).
pub async fn purge_receipts(
    pool: &sqlx::AnyPool,
    clock: &crate::infra::clock::Clock,
) -> Result<u64, sqlx::Error> {
    RECEIPTS.purge(pool, clock).await
}

/// Checks the uploads the file answers name: each exists, is not part of
/// another dossier nor named twice, has a type and size the slot takes.
/// Returns (upload id, field id) to attach when all is well.
async fn check_files(
    tx: &mut Transaction<'_, Any>,
    form: &FormSchema,
    answers: &Answers,
    lang: &str,
    problems: &mut Vec<(String, FieldProblem)>,
) -> Result<Vec<(String, String)>, ApiError> {
    let mut attach: Vec<(String, String)> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for (_, field) in form.fields() {
        let FieldKind::File {
            accept,
            max_bytes,
            max_files,
        } = &field.kind
        else {
            continue;
        };
        if problems.iter().any(|(k, _)| k == &field.id) {
            continue;
        }
        // Hidden fields have no answer left after cleaning.
        let Some(value) = answers.get(&field.id) else {
            continue;
        };
        let Ok(ids) = file_ids(value, *max_files) else {
            continue;
        };
        for id in ids {
            let problem = if used.contains(id) {
                Some(Problem::UploadInUse)
            } else {
                uploads::check(tx, id, accept, *max_bytes).await?
            };
            if let Some(p) = problem {
                problems.push((field.id.clone(), p.to_field_problem(&field.id, lang)));
                break;
            }
            used.insert(id.to_string());
            attach.push((id.to_string(), field.id.clone()));
        }
    }
    Ok(attach)
}

/// Orders problems by the position of their field in the form.
fn sort_in_form_order(form: &FormSchema, problems: &mut [(String, FieldProblem)]) {
    let position = |key: &str| {
        form.fields()
            .position(|(_, f)| answer_keys(f).iter().any(|k| k == key))
            .unwrap_or(usize::MAX)
    };
    problems.sort_by_cached_key(|(k, _)| position(k));
}

fn not_online(code: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ApiErrorBody::for_field(
            ErrorCode::NotOnline,
            "procedure",
            format!("procedure {code} cannot be applied for online"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_hash_ignores_answer_order_only() {
        let mut a = Answers::new();
        a.insert("b".into(), "2".into());
        a.insert("a".into(), "1".into());
        let r = NewDossier {
            procedure: "1.001193".into(),
            answers: a.clone(),
        };
        let json_reordered = r#"{"answers":{"a":"1","b":"2"},"procedure":"1.001193"}"#;
        let r2: NewDossier = serde_json::from_str(json_reordered).unwrap();
        assert_eq!(request_hash(&r), request_hash(&r2));
        a.insert("a".into(), "1 ".into());
        let r3 = NewDossier {
            procedure: "1.001193".into(),
            answers: a,
        };
        assert_ne!(request_hash(&r), request_hash(&r3));
    }
}
