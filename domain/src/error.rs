//! The API's error body. The `code` is stable and machine-readable; the app
//! turns it into a message in the user's language. `message` is for developers.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Every error the API can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No such route under `/api`.
    NotFound,
    /// A query parameter is malformed or out of range; `field` names it.
    InvalidParameter,
    /// A text parameter is longer than allowed; `field` names it.
    TooLong,
    /// A path parameter has the wrong shape (e.g. a procedure code).
    InvalidCode,
    /// No procedure has that code.
    ProcedureNotFound,
    /// No field (lĩnh vực) has that code.
    UnknownField,
    /// The method is not allowed on this route.
    MethodNotAllowed,
    /// The server failed; retrying later may help.
    Internal,
    /// Answers failed validation; `fields` says which and why.
    Validation,
    /// The procedure cannot be applied for online.
    NotOnline,
    /// An upload is larger than allowed (HTTP 413).
    PayloadTooLarge,
    /// An upload's bytes are not an accepted file type (HTTP 415).
    UnsupportedType,
    /// `POST /dossiers` needs an `Idempotency-Key` header (8–64 of `[A-Za-z0-9_-]`).
    MissingIdempotencyKey,
    /// The `Idempotency-Key` was already used with a different body (HTTP 422).
    IdempotencyMismatch,
    /// A request with this `Idempotency-Key` is still being handled (HTTP 409).
    IdempotencyInProgress,
    /// No dossier has that code, or the secret is wrong: one answer for
    /// both, so codes cannot be probed (HTTP 404).
    DossierNotFound,
    /// Too many wrong secrets for this dossier or from this client; the
    /// message says when to try again (HTTP 429, `Retry-After`).
    TooManyAttempts,
    /// The officer API needs `Authorization: Bearer <token>` (HTTP 401).
    Unauthorized,
    /// The status change is not allowed; `field` holds the
    /// `status::TransitionError` code, `message` says why (HTTP 409).
    InvalidTransition,
    /// The dossier has been rated already (HTTP 409).
    AlreadyRated,
    /// Not possible in the dossier's current status, e.g. rating before
    /// the result is returned, or a supplement when none was asked (HTTP 409).
    WrongStatus,
    /// No product has that GTIN (HTTP 404).
    ProductNotFound,
    /// The product has no batch with that lot (HTTP 404).
    BatchNotFound,
    /// A GTIN, lot or Digital Link that breaks the GS1 syntax rules;
    /// `field` holds the `gs1::Gs1Error` code (HTTP 400).
    BadDigitalLink,
    /// No tourism site has that slug (HTTP 404).
    SiteNotFound,
    /// Wrong account name or password: one answer for both (HTTP 401).
    LoginFailed,
    /// No session, or it has ended: sign in again (HTTP 401).
    SessionRequired,
    /// A state-changing request without the session's `X-Cuaso-Csrf`
    /// token (HTTP 403).
    CsrfRequired,
    /// Signed in, but this account's role cannot do this (a producer on a
    /// helper route, or the other way round) (HTTP 403).
    Forbidden,
    /// No feedback report has that code, or the secret is wrong: one answer
    /// for both (HTTP 404).
    FeedbackNotFound,
    /// A code this version of the app does not know yet.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::TooLong => "too_long",
            ErrorCode::InvalidCode => "invalid_code",
            ErrorCode::ProcedureNotFound => "procedure_not_found",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::Validation => "validation",
            ErrorCode::NotOnline => "not_online",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedType => "unsupported_type",
            ErrorCode::MissingIdempotencyKey => "missing_idempotency_key",
            ErrorCode::IdempotencyMismatch => "idempotency_mismatch",
            ErrorCode::IdempotencyInProgress => "idempotency_in_progress",
            ErrorCode::DossierNotFound => "dossier_not_found",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::AlreadyRated => "already_rated",
            ErrorCode::WrongStatus => "wrong_status",
            ErrorCode::ProductNotFound => "product_not_found",
            ErrorCode::BatchNotFound => "batch_not_found",
            ErrorCode::BadDigitalLink => "bad_digital_link",
            ErrorCode::SiteNotFound => "site_not_found",
            ErrorCode::LoginFailed => "login_failed",
            ErrorCode::SessionRequired => "session_required",
            ErrorCode::CsrfRequired => "csrf_required",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::FeedbackNotFound => "feedback_not_found",
            ErrorCode::Unknown => "unknown",
        }
    }
}

/// The JSON body of every 4xx and 5xx answer from `/api`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    /// English, for developers and logs; never shown to citizens as is.
    pub message: String,
    /// The parameter or form field the error concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `validation`: every field that failed, in form order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldProblem {
    /// The answer key (`name`, `address.commune`, …).
    pub field: String,
    /// Stable code of the rule that failed (see `validate::Problem::code`).
    pub code: String,
    /// Parameters of the message (a limit, a length…), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// In the language the request asked for (`Accept-Language`), for logs
    /// and other clients; the app words it itself from `code`.
    pub message: String,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiErrorBody {
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }

    pub fn for_field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        ApiErrorBody {
            code,
            message: message.into(),
            field: Some(field.to_string()),
            fields: Vec::new(),
        }
    }
}

impl core::fmt::Display for ApiErrorBody {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_omits_empty_field() {
        let e = ApiErrorBody::new(ErrorCode::ProcedureNotFound, "no procedure 1.000000");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"code":"procedure_not_found","message":"no procedure 1.000000"}"#
        );
        assert_eq!(serde_json::from_str::<ApiErrorBody>(&json).unwrap(), e);
    }

    #[test]
    fn field_is_kept() {
        let e =
            ApiErrorBody::for_field(ErrorCode::InvalidParameter, "page", "page must be 1..1000");
        let v: serde_json::Value = serde_json::to_value(&e).unwrap();
        assert_eq!(v["field"], "page");
        assert_eq!(v["code"], "invalid_parameter");
    }

    #[test]
    fn unknown_codes_from_a_newer_server_still_parse() {
        let e: ApiErrorBody =
            serde_json::from_str(r#"{"code":"quota_exceeded","message":"x"}"#).unwrap();
        assert_eq!(e.code, ErrorCode::Unknown);
    }

    #[test]
    fn as_str_matches_serde() {
        for c in [
            ErrorCode::NotFound,
            ErrorCode::InvalidParameter,
            ErrorCode::TooLong,
            ErrorCode::InvalidCode,
            ErrorCode::ProcedureNotFound,
            ErrorCode::UnknownField,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Internal,
            ErrorCode::Validation,
            ErrorCode::NotOnline,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedType,
            ErrorCode::MissingIdempotencyKey,
            ErrorCode::IdempotencyMismatch,
            ErrorCode::IdempotencyInProgress,
            ErrorCode::DossierNotFound,
            ErrorCode::TooManyAttempts,
            ErrorCode::Unauthorized,
            ErrorCode::InvalidTransition,
            ErrorCode::AlreadyRated,
            ErrorCode::WrongStatus,
            ErrorCode::ProductNotFound,
            ErrorCode::BatchNotFound,
            ErrorCode::BadDigitalLink,
            ErrorCode::SiteNotFound,
            ErrorCode::LoginFailed,
            ErrorCode::SessionRequired,
            ErrorCode::CsrfRequired,
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
    }
}
