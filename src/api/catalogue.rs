//! The catalogue (`/api/v1/fields`, `/api/v1/procedures`).

use std::future::Future;

use cuaso_domain::api::{Field, Procedure, ProcedurePage};
use cuaso_domain::query::{encode, ProcedureQuery};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::{get_json, ApiError};

/// Fields of administration, in display order.
pub fn fields() -> impl Future<Output = Result<Vec<Field>, ApiError>> {
    get_json("/fields".into())
}

/// One page of catalogue search results.
pub fn procedures(q: &ProcedureQuery) -> impl Future<Output = Result<ProcedurePage, ApiError>> {
    let qs = q.to_query_string();
    get_json(if qs.is_empty() {
        "/procedures".into()
    } else {
        format!("/procedures?{qs}")
    })
}

/// One procedure. A malformed code never leaves the device: it gets the
/// same `invalid_code` answer the server would give.
pub fn procedure(code: &str) -> impl Future<Output = Result<Procedure, ApiError>> {
    let request = cuaso_domain::api::is_procedure_code(code)
        .then(|| get_json(format!("/procedures/{}", encode(code))));
    async move {
        match request {
            Some(fut) => fut.await,
            None => Err(ApiError::Client {
                status: 400,
                body: ApiErrorBody::for_field(ErrorCode::InvalidCode, "code", "bad code"),
            }),
        }
    }
}
