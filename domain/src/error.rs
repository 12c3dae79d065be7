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
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiErrorBody {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn for_field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        ApiErrorBody {
            code,
            message: message.into(),
            field: Some(field.to_string()),
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
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
    }
}
