//! Following a dossier: what `GET /api/v1/dossiers/{code}` answers, with and
//! without the secret, and what the citizen and the officer send back.
//!
//! Privacy: the code alone shows only [`DossierView`]'s public fields (the
//! procedure, status, dates, the timeline's status names and dates, and the
//! on-time flag). Everything personal, including the reasons officers write,
//! is in [`DossierPrivate`] and in [`TimelineEntry::details`], present only
//! when the request carries the secret (header [`SECRET_HEADER`]).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::form::{Answers, FileType, PaymentAccount};
use crate::status::{Actor, Status, Timeliness};

/// An agency code as used in dossier codes: dot-separated parts of
/// uppercase letters and digits, 2–20 characters (`QT.XA`, `H15.50`).
pub fn is_agency_code(code: &str) -> bool {
    (2..=20).contains(&code.len())
        && code.split('.').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}

/// A dossier code as typed: trimmed and upper-cased, then checked for the
/// shape `{agency}-{YYMMDD}-{NNNN}` (an [`is_agency_code`], 6 digits, 4 to 6
/// digits). `None` when malformed.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    let mut parts = code.rsplitn(3, '-');
    let (n, day, agency) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    (is_agency_code(agency) && digits(day, 6, 6) && digits(n, 4, 6)).then_some(code)
}

/// The request header that carries a dossier's lookup secret.
pub const SECRET_HEADER: &str = "X-Dossier-Secret";

/// `GET /api/v1/dossiers/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierView {
    pub code: String,
    pub procedure: String,
    pub procedure_name: Text,
    pub status: Status,
    /// RFC 3339.
    pub received_at: String,
    /// `YYYY-MM-DD`, as promised at submission.
    pub promised_date: String,
    /// `YYYY-MM-DD`: the promised date moved by the first supplement wait.
    pub deadline: String,
    pub timeliness: Timeliness,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Only with the right secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<DossierPrivate>,
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TimelineEntry {
    pub status: Status,
    /// RFC 3339.
    pub at: String,
    /// Only with the right secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<EntryDetails>,
}

/// Who made a move and why; only with the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntryDetails {
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// VND asked for (into 6) or paid (the 6 → 4 move that confirms payment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// Into 5: the documents asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<MissingDocument>,
    /// True on the 6 → 4 move that records a payment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub payment_confirmed: bool,
}

/// A document the officer asks for (status 5), and the upload slot for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MissingDocument {
    /// What is missing, in the officer's words.
    pub name: String,
    /// Why it is needed or what was wrong with the one sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub accept: Vec<FileType>,
    pub max_bytes: u64,
    pub max_files: u32,
}

/// What only the applicant (holder of the secret) sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierPrivate {
    pub applicant_name: String,
    pub answers: Answers,
    pub files: Vec<DossierFile>,
    pub agency: Text,
    pub contact: Text,
    /// Fee due at submission (VND).
    pub fee: u64,
    /// Status 6: what to pay now, and where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due: Option<PaymentDue>,
    /// Payments the agency has confirmed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment>,
    /// Status 5: the documents to send (from the latest request).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_documents: Vec<MissingDocument>,
    /// Status 9/10: the result to download.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<DossierFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    pub can_withdraw: bool,
    pub can_rate: bool,
    /// "Nộp hộ bởi": a community helper submitted it for the citizen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assisted_by: Option<crate::helper::AssistedBy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierFile {
    pub id: String,
    pub name: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub file_type: FileType,
    /// The form field, or `supplement`, or `result`.
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentDue {
    pub amount: u64,
    pub account: PaymentAccount,
    /// The transfer content to use: the dossier code.
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Payment {
    pub amount: u64,
    /// RFC 3339: when the agency confirmed it.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rating {
    /// 1–5.
    pub stars: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The longest rating comment, in characters.
pub const MAX_COMMENT: u32 = 1000;

/// `POST /api/v1/dossiers/{code}/supplements` (with the secret): the files
/// for the documents asked for, by their index in `missing_documents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Supplement {
    /// `files[i]`: upload ids for `missing_documents[i]`.
    pub files: Vec<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/v1/dossiers/{code}/withdraw` (with the secret).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Withdrawal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/dossiers/statuses`: several dossiers in one request (the
/// "Hồ sơ của tôi" refresh). At most [`MAX_BATCH`] items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusQuery {
    pub items: Vec<StatusQueryItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusQueryItem {
    pub code: String,
}

pub const MAX_BATCH: usize = 50;

/// One answer per asked code, in the same order; `None` for a code the
/// server does not know. Public fields only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusAnswer {
    pub items: Vec<Option<StatusSummary>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusSummary {
    pub code: String,
    pub status: Status,
    /// RFC 3339 of the latest timeline entry.
    pub updated_at: String,
    pub timeliness: Timeliness,
}

/// Officer API: `POST /api/v1/officer/dossiers/{code}/transitions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerMove {
    pub to: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Into 6: the amount to pay (VND, > 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// Into 5: the documents asked for (at least one). Limits default to
    /// PDF/JPG/PNG, 5 MB, 3 files when left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<RequestedDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RequestedDocument {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized_and_checked() {
        assert_eq!(
            normalize_code(" qt.xa-250307-0001 ").as_deref(),
            Some("QT.XA-250307-0001")
        );
        assert_eq!(
            normalize_code("H15.50-251203-2035").as_deref(),
            Some("H15.50-251203-2035")
        );
        for bad in [
            "",
            "<script>",
            "QT.XA-2503-0001",
            "QT..XA-250307-0001",
            "QT.XA-250307-01",
            "-250307-0001",
        ] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
    }
}
