//! A producer's listings: where each stands with the reviewers, the
//! certificate's state, batch scan figures and a batch's label data.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::date::Date;
use crate::product::{BatchSummary, Certificate, Photo, Product, Quantity};

use super::proposal::Proposal;

// ---------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------

/// Where a listing stands with the reviewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    /// A proposal saved but not sent (the public page shows the approved version).
    Draft,
    /// A proposal waits for an officer.
    Pending,
    /// The officer sent the proposal back; see the review note.
    ChangesRequested,
    /// Public, nothing outstanding.
    Published,
}

impl ListingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Draft => "draft",
            ListingStatus::Pending => "pending",
            ListingStatus::ChangesRequested => "changes_requested",
            ListingStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ListingStatus> {
        Some(match s {
            "draft" => ListingStatus::Draft,
            "pending" => ListingStatus::Pending,
            "changes_requested" => ListingStatus::ChangesRequested,
            "published" => ListingStatus::Published,
            _ => return None,
        })
    }

    pub fn label(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            ListingStatus::Draft => {
                if en {
                    "Draft"
                } else {
                    "Nháp"
                }
            }
            ListingStatus::Pending => {
                if en {
                    "Awaiting review"
                } else {
                    "Chờ duyệt"
                }
            }
            ListingStatus::ChangesRequested => {
                if en {
                    "Changes needed"
                } else {
                    "Cần chỉnh sửa"
                }
            }
            ListingStatus::Published => {
                if en {
                    "Published"
                } else {
                    "Đã công khai"
                }
            }
        }
    }
}

/// Days before expiry from which a certificate is flagged.
pub const CERT_WARN_DAYS: i32 = 90;
/// OCOP certificates are valid for 36 months.
pub const CERT_VALID_MONTHS: u32 = 36;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CertState {
    Valid,
    /// Expires within [`CERT_WARN_DAYS`]: time to apply for re-assessment.
    Expiring,
    Expired,
}

/// The certificate's state on `today`, and the days left (negative once
/// expired; 0 on the expiry day, which is still valid).
pub fn cert_state(expires: Date, today: Date) -> (CertState, i32) {
    let left = expires.to_days() - today.to_days();
    let state = if left < 0 {
        CertState::Expired
    } else if left <= CERT_WARN_DAYS {
        CertState::Expiring
    } else {
        CertState::Valid
    };
    (state, left)
}

/// One product on `/producer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Listing {
    pub gtin: String,
    pub name: Text,
    pub stars: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    pub status: ListingStatus,
    /// The reviewer's note, when changes were requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    pub certificate: Certificate,
    pub cert_state: CertState,
    pub cert_days_left: i32,
    /// Scans per day for the last 30 days, oldest first, today last.
    pub scans_30d: Vec<u32>,
    pub scans_30d_total: u32,
}

/// `GET /api/v1/me/products`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Listings {
    /// The server's date (Vietnam), `YYYY-MM-DD`: the figures end on it.
    pub today: String,
    pub producer_name: Text,
    pub listings: Vec<Listing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DayCount {
    /// `YYYY-MM-DD`
    pub day: String,
    pub count: u32,
}

/// A batch with its scan figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchStats {
    #[serde(flatten)]
    pub batch: BatchSummary,
    pub quantity: Quantity,
    /// The last 30 days, oldest first, every day present (0 when none).
    pub scans: Vec<DayCount>,
    pub scans_total: u32,
}

/// `GET /api/v1/me/products/{gtin}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ListingDetail {
    pub today: String,
    /// Exactly what the public `GET /api/v1/products/{gtin}` answers: the
    /// approved version.
    pub product: Product,
    pub status: ListingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    /// The draft, pending or sent-back proposal, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
    pub cert_state: CertState,
    pub cert_days_left: i32,
    /// Newest first, like `product.batches`.
    pub batches: Vec<BatchStats>,
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

/// `GET /api/v1/me/products/{gtin}/batches/{lot}/label`: what a batch's
/// label carries. `uri` is the canonical GS1 Digital Link
/// (`…/01/{gtin}/10/{lot}?17={YYMMDD}`) on the province's resolver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LabelData {
    pub uri: String,
    pub gtin: String,
    pub lot: String,
    /// `YYYY-MM-DD`
    pub expires: String,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_content: Option<String>,
    pub status: crate::product::BatchStatus,
}
