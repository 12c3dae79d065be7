//! The route table: `/api` assembled from each feature's routers (every
//! failure answers with [`ApiErrorBody`]), and the OpenAPI document
//! assembled from each feature's part (`GET /api/v1/openapi.json`).

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use utoipa::OpenApi;

use crate::http::{officer, routing};
use crate::{accounts, catalogue, dossiers, feedback, helpers, products, sites, uploads, AppState};

/// `/api`: every feature's routes, the officer API (each feature's
/// officer routes, and every unknown path under `/api/v1/officer`, behind
/// the token), the OpenAPI document, and the JSON fallbacks.
pub fn router(state: Arc<AppState>) -> Router {
    let officer = routing::with_fallbacks(
        Router::new()
            .merge(dossiers::officer_router())
            .merge(feedback::officer_router())
            .merge(products::officer_router()),
    )
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        officer::require_token,
    ));
    let api = Router::new()
        .merge(catalogue::router())
        .merge(uploads::router())
        .merge(dossiers::router())
        .merge(feedback::router())
        .nest("/v1/officer", officer)
        .merge(products::router(state.clone()))
        .merge(sites::router())
        .merge(accounts::router(state.clone()))
        .merge(helpers::router(state.clone()))
        .route("/v1/openapi.json", get(openapi));
    routing::with_fallbacks(api).with_state(state)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cửa Số API",
        description = "Public services, tracking, traceability and tourism for a Vietnamese province."
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
        cuaso_domain::site::Recording,
        cuaso_domain::site::Voice,
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
        doc.merge(catalogue::ApiDoc::openapi());
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
