//! What the holder of the secret does with a dossier: send the
//! documents asked for, withdraw it, rate the service.

use std::collections::HashSet;

use axum::http::StatusCode;
use cuaso_domain::status::{clean_reason, Actor, Status, TransitionError, MAX_REASON};
use cuaso_domain::track::{DossierView, Rating, Supplement, Withdrawal, MAX_COMMENT};
use cuaso_domain::validate::{check_text, is_upload_id, Problem};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::{Any, Transaction};

use super::moves::{begin, find_for_update, finish, record, Move};
use super::store::{events, invalid_parameter, wrong_status, Access, DossierRow, StoredEvent};
use super::view::latest_documents;
use crate::http::ApiError;
use crate::uploads;
use crate::AppState;

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
            return Err(ApiError::validation(
                vec![("note".into(), Problem::TooLong { max: MAX_REASON })],
                lang,
            ))
        }
        Err(_) => {
            return Err(ApiError::validation(
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
        return Err(ApiError::validation(problems, lang));
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
pub(super) async fn already_sent(
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
        return Err(ApiError::validation(vec![("reason".into(), p)], lang));
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
        return Err(ApiError::validation(problems, lang));
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
