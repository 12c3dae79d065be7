//! The citizen's side of tracking: `GET /api/v1/dossiers/{code}` (public,
//! or everything with the secret), the batch status refresh, and what the
//! holder of the secret can do (supplements, withdrawal, rating, the
//! result download).
//!
//! The secret travels in the `X-Dossier-Secret` header only. An unknown
//! code, a malformed code, a missing secret (on the actions) and a wrong
//! secret all answer the same 404 `dossier_not_found`, byte for byte. Wrong
//! secrets are rate-limited (see [`crate::infra::limits`]).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use cuaso_domain::form::FileType;
use cuaso_domain::status::Status;
use cuaso_domain::track::{
    DossierView, Rating, StatusAnswer, StatusQuery, Supplement, Withdrawal, MAX_BATCH,
};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::store::{Access, DossierRow};
use super::{citizen, store, view};
use crate::http::gate;
use crate::http::{request_lang, ApiError, Json, PathCode};
use crate::infra::limits::client_ip;
use crate::AppState;

pub(super) fn view_response(v: DossierView) -> Response {
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(v),
    )
        .into_response()
}

/// A dossier by its code. Without the secret: the procedure, status, dates,
/// the timeline's statuses and dates and the on-time flag, nothing
/// personal. With the right secret in `X-Dossier-Secret`: everything
/// (`details` on each timeline entry, and `private`).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", tag = "tracking",
    params(
        ("code" = String, Path, description = "Dossier code, e.g. QT.XA-250307-0001 (case and spaces around are ignored)"),
        ("X-Dossier-Secret" = Option<String>, Header, description = "The lookup secret from the receipt"),
    ),
    responses(
        (status = 200, body = DossierView, description = "public fields, or everything with the right secret"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found: unknown or malformed code, or wrong secret (one identical answer)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts: too many wrong secrets for this code or from this client, or too many unknown codes; see Retry-After"),
    ))]
pub async fn lookup(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let (row, secret): (DossierRow, _) = gate::find(&s, &code, &headers, &ext, lang).await?;
    let access = if secret {
        Access::Citizen
    } else {
        Access::Public
    };
    let mut conn = s.pool.acquire().await?;
    let v = view::build_view(&s, &mut conn, &row, access).await?;
    Ok(view_response(v))
}

/// The statuses of several dossiers at once ("Hồ sơ của tôi"), public data
/// only, in the order asked; `null` for a code the server does not know.
#[utoipa::path(post, path = "/api/v1/dossiers/statuses", tag = "tracking",
    request_body(content = StatusQuery, content_type = "application/json"),
    responses(
        (status = 200, body = StatusAnswer),
        (status = 400, body = ApiErrorBody, description = "malformed JSON"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "invalid_parameter: more than 50 items"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts: too many unknown codes from this client"),
    ))]
pub async fn statuses(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    ext: Extensions,
    Json(q): Json<StatusQuery>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    if q.items.len() > MAX_BATCH {
        return Err(store::invalid_parameter(
            "items",
            format!("ask for at most {MAX_BATCH} dossiers at once"),
        ));
    }
    let ip = client_ip(&ext, &headers, s.behind_proxy);
    let now = s.clock.system_time();
    if let Some(wait) = s.limiter.misses_blocked(&ip, now) {
        return Err(gate::too_many(wait, lang));
    }
    let mut conn = s.pool.acquire().await?;
    let mut items = Vec::with_capacity(q.items.len());
    let mut misses = 0;
    for item in &q.items {
        let row = match store::normalize_code(&item.code) {
            Some(code) => store::find(&mut conn, &code).await?,
            None => None,
        };
        match row {
            Some(row) => items.push(Some(view::summary(&s, &mut conn, &row).await?)),
            None => {
                misses += 1;
                items.push(None);
            }
        }
    }
    s.limiter.missed(&ip, misses, now);
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(StatusAnswer { items }),
    )
        .into_response())
}

/// Sends the documents asked for (status 5): `files[i]` are upload ids for
/// `missing_documents[i]`. The dossier moves to 4. Retrying the same
/// request after it went through answers 200 with the view.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/supplements", tag = "tracking",
    params(("code" = String, Path), ("X-Dossier-Secret" = String, Header)),
    request_body(content = Supplement, content_type = "application/json"),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: not at status 5"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (fields `files.{i}`, `note`), invalid_parameter (`files`: one list per missing document)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn supplements(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
    // Read once the dossier is open: a wrong secret is refused first.
    body: Result<Json<Supplement>, ApiError>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let row: DossierRow = gate::open(&s, &code, &headers, &ext, lang).await?;
    let Json(req) = body?;
    let v = citizen::supplement(&s, &row.code, &req, lang).await?;
    Ok(view_response(v))
}

/// Withdraws the dossier (→ 7), where the state machine allows it (1, 2,
/// 4, 5, 6). Withdrawing a withdrawn dossier answers 200 with the view.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/withdraw", tag = "tracking",
    params(("code" = String, Path), ("X-Dossier-Secret" = String, Header)),
    request_body(content = Withdrawal, content_type = "application/json"),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 409, body = ApiErrorBody, description = "invalid_transition (`field`: status_final, transition_not_allowed…)"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`reason`)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn withdraw(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
    // Read once the dossier is open: a wrong secret is refused first.
    body: Result<Json<Withdrawal>, ApiError>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let row: DossierRow = gate::open(&s, &code, &headers, &ext, lang).await?;
    let Json(req) = body?;
    let v = citizen::withdraw(&s, &row.code, &req, lang).await?;
    Ok(view_response(v))
}

/// Rates the service, once, after the result is returned (status 10).
/// Sending the same rating again answers 200.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/rating", tag = "tracking",
    params(("code" = String, Path), ("X-Dossier-Secret" = String, Header)),
    request_body(content = Rating, content_type = "application/json"),
    responses(
        (status = 200, body = DossierView),
        (status = 400, body = ApiErrorBody, description = "invalid_parameter: malformed JSON"),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found"),
        (status = 409, body = ApiErrorBody, description = "wrong_status (not 10), already_rated"),
        (status = 413, body = ApiErrorBody, description = "payload_too_large"),
        (status = 415, body = ApiErrorBody, description = "unsupported_type: not application/json"),
        (status = 422, body = ApiErrorBody, description = "validation (`stars` 1–5, `comment` at most 1000 characters)"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn rating(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
    // Read once the dossier is open: a wrong secret is refused first.
    body: Result<Json<Rating>, ApiError>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let row: DossierRow = gate::open(&s, &code, &headers, &ext, lang).await?;
    let Json(req) = body?;
    let v = citizen::rate(&s, &row.code, &req, lang).await?;
    Ok(view_response(v))
}

/// Downloads the result file, at status 9 or 10.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/result", tag = "tracking",
    params(("code" = String, Path), ("X-Dossier-Secret" = String, Header)),
    responses(
        (status = 200, description = "the file (application/pdf, image/jpeg or image/png), as an attachment",
            content(("application/pdf"), ("image/jpeg"), ("image/png"))),
        (status = 404, body = ApiErrorBody, description = "dossier_not_found; not_found when no result file is attached yet"),
        (status = 409, body = ApiErrorBody, description = "wrong_status: not at 9 or 10"),
        (status = 429, body = ApiErrorBody, description = "too_many_attempts"),
    ))]
pub async fn result(
    State(s): State<Arc<AppState>>,
    PathCode(code): PathCode,
    headers: HeaderMap,
    ext: Extensions,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let row: DossierRow = gate::open(&s, &code, &headers, &ext, lang).await?;
    if !matches!(row.status, Status::Done | Status::Returned) {
        return Err(store::wrong_status(format!(
            "the result is ready at status 9 or 10; the dossier is at status {}",
            row.status.code()
        )));
    }
    let mut conn = s.pool.acquire().await?;
    let Some(file) = view::result_file(&mut conn, &row.code).await? else {
        return Err(ApiError::not_found(
            ErrorCode::NotFound,
            "no result file is attached to this dossier yet",
        ));
    };
    drop(conn);
    let bytes = tokio::fs::read(s.uploads_dir.join(&file.id))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, upload = %file.id, "result file unreadable");
            ApiError::internal("the result file cannot be read")
        })?;
    let disposition = content_disposition(&file.name, file.file_type, &row.code);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.file_type.mime()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

pub(super) fn extension(t: FileType) -> &'static str {
    match t {
        FileType::Pdf => "pdf",
        FileType::Jpeg => "jpg",
        FileType::Png => "png",
    }
}

/// `attachment; filename="ascii.pdf"; filename*=UTF-8''…`: the ASCII name
/// is the stored name folded (no diacritics, words joined by `-`), the
/// UTF-8 one the stored name; both end in the type's extension.
pub fn content_disposition(name: &str, t: FileType, code: &str) -> String {
    let ext = extension(t);
    let stem = match name.rsplit_once('.') {
        Some((stem, e)) if !stem.is_empty() && e.len() <= 5 => stem,
        _ => name,
    };
    let mut ascii: String = cuaso_domain::fold::fold(stem)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect();
    if ascii.is_empty() {
        ascii = format!("ket-qua-{}", code.to_ascii_lowercase());
    }
    let full = format!("{}.{ext}", stem.trim());
    let encoded: String = full
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_are_safe_ascii() {
        assert_eq!(
            content_disposition(
                "Trích lục khai sinh.pdf",
                FileType::Pdf,
                "QT.XA-250307-0001"
            ),
            "attachment; filename=\"trich-luc-khai-sinh.pdf\"; \
             filename*=UTF-8''Tr%C3%ADch%20l%E1%BB%A5c%20khai%20sinh.pdf"
        );
        assert_eq!(
            content_disposition("\"; evil=\".png", FileType::Png, "QT.XA-250307-0001"),
            "attachment; filename=\"evil.png\"; filename*=UTF-8''%22%3B%20evil%3D%22.png"
        );
        assert_eq!(
            content_disposition("ảnh", FileType::Jpeg, "QT.XA-250307-0001"),
            "attachment; filename=\"anh.jpg\"; filename*=UTF-8''%E1%BA%A3nh.jpg"
        );
        assert!(content_disposition("…", FileType::Pdf, "QT.XA-250307-0001")
            .starts_with("attachment; filename=\"ket-qua-qt.xa-250307-0001.pdf\""));
    }
}
