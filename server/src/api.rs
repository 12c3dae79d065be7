//! `/api/v1`: JSON handlers. Every failure answers with [`ApiErrorBody`].

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cuaso_domain::api::{is_procedure_code, AppConfig, Field, Health, Procedure, ProcedurePage};
use cuaso_domain::query::{ProcedureQuery, PER_PAGE};
use cuaso_domain::search::rank_where;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use utoipa::OpenApi;

use crate::http::{routing, ApiError};
use crate::{accounts, dossiers, feedback, helpers, officer, products, sites, uploads, AppState};

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/config", get(config))
        .route("/v1/fields", get(fields))
        .route("/v1/procedures", get(procedures))
        .route("/v1/procedures/{code}", get(procedure))
        .merge(dossiers::router())
        .merge(feedback::router())
        .nest("/v1/officer", officer::router(state.clone()))
        .merge(products::router(state.clone()))
        .merge(sites::router())
        .merge(accounts::router(state.clone()))
        .merge(helpers::router(state.clone()))
        .merge(uploads::router())
        .route("/v1/openapi.json", get(openapi))
        .fallback(routing::not_found)
        .method_not_allowed_fallback(routing::method_not_allowed)
        .with_state(state)
}

/// Liveness and readiness: answers `ok` only when the database answers.
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = ApiErrorBody)))]
async fn health(State(s): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
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
async fn config(State(s): State<Arc<AppState>>) -> Json<AppConfig> {
    Json(s.config.clone())
}

/// Fields of administration (lĩnh vực) with their procedure counts.
#[utoipa::path(get, path = "/api/v1/fields", tag = "catalogue", responses((status = 200, body = [Field])))]
async fn fields(State(s): State<Arc<AppState>>) -> Json<Vec<Field>> {
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
async fn procedures(
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
async fn procedure(
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

fn invalid_code() -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidCode,
        "code",
        "a procedure code looks like 1.001193",
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cửa Số API",
        description = "Public services, tracking, traceability and tourism for a Vietnamese province."
    ),
    paths(
        health,
        config,
        fields,
        procedures,
        procedure,
    ),
    components(schemas(
        ApiErrorBody,
        ErrorCode,
        cuaso_domain::FieldProblem,
        cuaso_domain::status::Status,
        cuaso_domain::status::Actor,
        cuaso_domain::status::Timeliness,
        cuaso_domain::track::DossierView,
        cuaso_domain::track::TimelineEntry,
        cuaso_domain::track::EntryDetails,
        cuaso_domain::track::MissingDocument,
        cuaso_domain::track::DossierPrivate,
        cuaso_domain::track::DossierFile,
        cuaso_domain::track::PaymentDue,
        cuaso_domain::track::Payment,
        cuaso_domain::track::Rating,
        cuaso_domain::track::Supplement,
        cuaso_domain::track::Withdrawal,
        cuaso_domain::track::StatusQuery,
        cuaso_domain::track::StatusQueryItem,
        cuaso_domain::track::StatusAnswer,
        cuaso_domain::track::StatusSummary,
        cuaso_domain::track::OfficerMove,
        cuaso_domain::track::RequestedDocument,
        cuaso_domain::product::Product,
        cuaso_domain::product::Producer,
        cuaso_domain::product::ProducerKind,
        cuaso_domain::product::LatLon,
        cuaso_domain::product::Certificate,
        cuaso_domain::product::Photo,
        cuaso_domain::product::PointOfSale,
        cuaso_domain::product::BatchStatus,
        cuaso_domain::product::BatchSummary,
        cuaso_domain::product::Quantity,
        cuaso_domain::product::Batch,
        cuaso_domain::product::JourneyStep,
        cuaso_domain::product::Place,
        cuaso_domain::product::ProductSummary,
        cuaso_domain::product::ScanEvent,
        cuaso_domain::site::SiteList,
        cuaso_domain::site::SiteSummary,
        cuaso_domain::site::Site,
        cuaso_domain::site::SiteCategory,
        cuaso_domain::site::SiteText,
        cuaso_domain::site::Section,
        cuaso_domain::site::Note,
        cuaso_domain::site::NoteKind,
        cuaso_domain::site::OpeningHours,
        cuaso_domain::site::WeeklyRule,
        cuaso_domain::site::HoursException,
        cuaso_domain::site::ExceptionReason,
        cuaso_domain::site::Ticket,
        cuaso_domain::site::TicketKind,
        cuaso_domain::site::PhotoView,
        cuaso_domain::site::Nearby,
        cuaso_domain::producer::LoginRequest,
        cuaso_domain::producer::Session,
        cuaso_domain::producer::PasswordChange,
        cuaso_domain::producer::ListingStatus,
        cuaso_domain::producer::CertState,
        cuaso_domain::producer::Listing,
        cuaso_domain::producer::Listings,
        cuaso_domain::producer::DayCount,
        cuaso_domain::producer::BatchStats,
        cuaso_domain::producer::Proposal,
        cuaso_domain::producer::ProposalRequest,
        cuaso_domain::producer::ListingDetail,
        cuaso_domain::producer::ReviewDecision,
        cuaso_domain::producer::ReviewItem,
        cuaso_domain::producer::LabelData,
        cuaso_domain::producer::Role,
        cuaso_domain::helper::HelperInfo,
        cuaso_domain::helper::Consent,
        cuaso_domain::helper::AssistedDossier,
        cuaso_domain::helper::AssistedBy,
        cuaso_domain::helper::AssistedItem,
        cuaso_domain::helper::AssistedList,
        cuaso_domain::feedback::Category,
        cuaso_domain::feedback::FeedbackStatus,
        cuaso_domain::feedback::Position,
        cuaso_domain::feedback::Location,
        cuaso_domain::feedback::Contact,
        cuaso_domain::feedback::NewFeedback,
        cuaso_domain::feedback::FeedbackReceipt,
        cuaso_domain::feedback::FeedbackEvent,
        cuaso_domain::feedback::FeedbackAnswerView,
        cuaso_domain::feedback::FeedbackContent,
        cuaso_domain::feedback::FeedbackRating,
        cuaso_domain::feedback::FeedbackPrivate,
        cuaso_domain::feedback::FeedbackView,
        cuaso_domain::feedback::FeedbackPage,
        cuaso_domain::feedback::FeedbackAssign,
        cuaso_domain::feedback::FeedbackAnswer,
        cuaso_domain::feedback::FeedbackReject,
        cuaso_domain::feedback::FeedbackPublish,
    )),
    modifiers(&OfficerToken)
)]
struct Root;

/// The OpenAPI document: the routes here and each feature's.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = Root::openapi();
        doc.merge(accounts::ApiDoc::openapi());
        doc.merge(dossiers::ApiDoc::openapi());
        doc.merge(feedback::ApiDoc::openapi());
        doc.merge(products::ApiDoc::openapi());
        doc.merge(helpers::ApiDoc::openapi());
        doc.merge(sites::ApiDoc::openapi());
        doc.merge(uploads::ApiDoc::openapi());
        doc
    }
}

/// The officer routes' bearer token, as a security scheme.
struct OfficerToken;

impl utoipa::Modify for OfficerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "officer_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token configured with --officer-token (CUASO_OFFICER_TOKEN)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                cuaso_domain::producer::SESSION_COOKIE,
                "The producer's or helper's session, set by POST /api/v1/auth/login (HttpOnly, SameSite=Lax, Path=/api)",
            ))),
        );
        components.add_security_scheme(
            "csrf_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                cuaso_domain::producer::CSRF_HEADER,
                "The session's csrf token (Session.csrf): required with the cookie on every request but GET and HEAD; without it 403 csrf_required",
            ))),
        );
    }
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
