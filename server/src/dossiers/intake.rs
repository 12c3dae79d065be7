//! The checks of a submission, before anything is written: the procedure
//! (known, open online), the answers (the domain's validation, the same
//! the browser runs), the uploads the file answers name, and a helper's
//! consent. Any problem refuses the whole submission.

use std::collections::HashSet;

use axum::http::StatusCode;
use cuaso_domain::api::{is_procedure_code, Procedure};
use cuaso_domain::date::Date;
use cuaso_domain::form::{Answers, FieldKind, FormSchema, NewDossier};
use cuaso_domain::validate::{answer_keys, clean_answers, file_ids, validate_answers, Problem};
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};
use sqlx::{Any, Transaction};

use super::assisted::Assisted;
use crate::http::ApiError;
use crate::infra::clock::LocalTime;
use crate::infra::db::OnlineForm;
use crate::uploads;
use crate::AppState;

/// A submission that passed every check: what its dossier is made of.
pub(super) struct Intake<'a> {
    pub procedure: &'a Procedure,
    pub online: &'a OnlineForm,
    /// The answers as kept (hidden fields' answers dropped).
    pub answers: Answers,
    /// (upload id, field id) to attach.
    pub attach: Vec<(String, String)>,
    pub now: LocalTime,
    pub today: Date,
}

/// Every check of a submission (inside its transaction, so the uploads
/// cannot change before they are attached): 400 `invalid_code`, 404
/// `procedure_not_found`, 422 `not_online`, or 422 `validation` with every
/// problem of the answers, their uploads and a helper's consent, in the
/// form's order.
pub(super) async fn check<'a>(
    s: &'a AppState,
    tx: &mut Transaction<'_, Any>,
    req: &NewDossier,
    lang: &str,
    assisted: Option<&Assisted>,
) -> Result<Intake<'a>, ApiError> {
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
    Ok(Intake {
        procedure,
        online,
        answers,
        attach,
        now,
        today,
    })
}

/// Checks the uploads the file answers name: each exists, is not part of
/// another dossier nor named twice, has a type and size the slot takes.
/// Returns (upload id, field id) to attach when all is well.
pub(super) async fn check_files(
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
pub(super) fn sort_in_form_order(form: &FormSchema, problems: &mut [(String, FieldProblem)]) {
    let position = |key: &str| {
        form.fields()
            .position(|(_, f)| answer_keys(f).iter().any(|k| k == key))
            .unwrap_or(usize::MAX)
    };
    problems.sort_by_cached_key(|(k, _)| position(k));
}

pub(super) fn not_online(code: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ApiErrorBody::for_field(
            ErrorCode::NotOnline,
            "procedure",
            format!("procedure {code} cannot be applied for online"),
        ),
    )
}
