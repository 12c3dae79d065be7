//! The catalogue's and the system's routes: health, the province's
//! branding, the fields of administration, the procedure search and a
//! procedure's page.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;

use cuaso_domain::api::{is_procedure_code, AppConfig, Field, Health, Procedure, ProcedurePage};
use cuaso_domain::query::{ProcedureQuery, PER_PAGE};
use cuaso_domain::search::rank_where;
use cuaso_domain::{ApiErrorBody, ErrorCode};

use crate::http::{ApiError, Json};
use crate::AppState;

/// Liveness and readiness: answers `ok` only when the database answers.
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = ApiErrorBody)))]
pub(super) async fn health(State(s): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    let n: Result<(i64,), _> = sqlx::query_as("SELECT COUNT(*) FROM procedures")
        .fetch_one(&s.pool)
        .await;
    match n {
        Ok((n,)) => Ok(Json(Health {
            status: "ok".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            procedures: n as u32,
            now: s.clock.now().rfc3339(),
        })),
        Err(e) => {
            tracing::error!(error = %e, "health check: database failed");
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorBody::new(ErrorCode::Internal, "database unavailable"),
            ))
        }
    }
}

/// Province branding for the app.
#[utoipa::path(get, path = "/api/v1/config", tag = "system", responses((status = 200, body = AppConfig)))]
pub(super) async fn config(State(s): State<Arc<AppState>>) -> Json<AppConfig> {
    Json(s.config.clone())
}

/// Fields of administration (lĩnh vực) with their procedure counts.
#[utoipa::path(get, path = "/api/v1/fields", tag = "catalogue", responses((status = 200, body = [Field])))]
pub(super) async fn fields(State(s): State<Arc<AppState>>) -> Json<Vec<Field>> {
    Json(s.catalogue.fields.clone())
}

/// Searches the catalogue. Diacritics, case and extra spaces are ignored;
/// the closest names come first.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Search text, at most 100 characters"),
        ("field" = Option<String>, Query, description = "Field code, e.g. ho-tich"),
        ("page" = Option<u32>, Query, description = "1-based page, 1..=1000"),
    ),
    responses((status = 200, body = ProcedurePage), (status = 400, body = ApiErrorBody)))]
pub(super) async fn procedures(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProcedurePage>, ApiError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let query = ProcedureQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(ApiError::bad_request)?;
    if let Some(f) = &query.field {
        if !s.catalogue.has_field(f) {
            return Err(ApiError::bad_request(ApiErrorBody::for_field(
                ErrorCode::UnknownField,
                "field",
                format!("no field with code {f}"),
            )));
        }
    }
    let cat = &s.catalogue;
    let field = query.field.as_deref();
    let hits = rank_where(&query.q, &cat.docs, |i| {
        field.is_none_or(|f| cat.procedures[i].field == f)
    });
    let total = hits.len() as u32;
    let start = ((query.page - 1) * PER_PAGE) as usize;
    let items = hits
        .iter()
        .skip(start)
        .take(PER_PAGE as usize)
        .map(|&i| cat.procedures[i].summary())
        .collect();
    Ok(Json(ProcedurePage {
        items,
        total,
        page: query.page,
        per_page: PER_PAGE,
    }))
}

/// One procedure with everything its page shows.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "National procedure code, e.g. 1.001193")),
    responses((status = 200, body = Procedure), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(super) async fn procedure(
    State(s): State<Arc<AppState>>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<Procedure>, ApiError> {
    let Ok(Path(code)) = code else {
        return Err(invalid_code());
    };
    if !is_procedure_code(&code) {
        return Err(invalid_code());
    }
    s.catalogue
        .procedure(&code)
        .cloned()
        .map(Json)
        .ok_or_else(|| {
            ApiError::not_found(ErrorCode::ProcedureNotFound, format!("no procedure {code}"))
        })
}

pub(super) fn invalid_code() -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidCode,
        "code",
        "a procedure code looks like 1.001193",
    ))
}
