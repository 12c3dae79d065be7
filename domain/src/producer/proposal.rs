//! Correction proposals: what a producer may change on a listing, the
//! checks a proposal must pass, and the officer's review of it.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::product::{Photo, PointOfSale, Product};
use crate::validate::{check_text, Problem};

use super::listing::ListingStatus;

/// What a producer may change on a listing; the rest (name, stars,
/// certificate, GTIN) comes from the OCOP assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Proposal {
    pub description: Text,
    #[serde(default)]
    pub points_of_sale: Vec<PointOfSale>,
    #[serde(default)]
    pub photos: Vec<Photo>,
}

impl Proposal {
    /// The editable part of a product as it is now.
    pub fn of(p: &Product) -> Proposal {
        Proposal {
            description: p.description.clone(),
            points_of_sale: p.points_of_sale.clone(),
            photos: p.photos.clone(),
        }
    }

    /// The product with this proposal applied.
    pub fn apply(&self, p: &Product) -> Product {
        Product {
            description: self.description.clone(),
            points_of_sale: self.points_of_sale.clone(),
            photos: self.photos.clone(),
            ..p.clone()
        }
    }
}

/// `PUT /api/v1/me/products/{gtin}/proposal`: `submit` false keeps it as a
/// draft, true sends it for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalRequest {
    pub proposal: Proposal,
    pub submit: bool,
}

/// Limits on a proposal.
pub const DESCRIPTION_MAX: u32 = 2000;
pub const POS_MAX: usize = 10;
pub const POS_NAME_MAX: u32 = 120;
pub const POS_ADDRESS_MAX: u32 = 200;
pub const URL_MAX: usize = 300;
pub const PHOTOS_MAX: usize = 6;
pub const ALT_MAX: u32 = 200;

fn opt_text(key: String, s: &str, max: u32, multiline: bool, out: &mut Vec<(String, Problem)>) {
    let t = s.trim();
    if !t.is_empty() {
        if let Err(p) = check_text(t, max, multiline) {
            out.push((key, p));
        }
    }
}

fn req_text(key: String, s: &str, max: u32, multiline: bool, out: &mut Vec<(String, Problem)>) {
    if s.trim().is_empty() {
        out.push((key, Problem::Required));
    } else {
        opt_text(key, s, max, multiline, out);
    }
}

/// A photo URL a proposal may use: one of the server's own (`/public/…` or
/// `/api/v1/media/…`, no `..`, no query).
pub fn is_own_photo_url(url: &str) -> bool {
    (url.starts_with("/public/") || url.starts_with("/api/v1/media/"))
        && url.len() <= URL_MAX
        && !url.contains("..")
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
}

/// A shop's web address: `https://` and a host, no spaces.
pub fn is_shop_url(url: &str) -> bool {
    url.len() <= URL_MAX
        && url
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && url.chars().all(|c| c.is_ascii_graphic())
}

/// Checks a proposal; problems are keyed `description.vi`,
/// `points_of_sale.0.name.vi`, `photos.1.url`, `photos` …
pub fn check_proposal(p: &Proposal) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    req_text(
        "description.vi".into(),
        &p.description.vi,
        DESCRIPTION_MAX,
        true,
        &mut out,
    );
    opt_text(
        "description.en".into(),
        &p.description.en,
        DESCRIPTION_MAX,
        true,
        &mut out,
    );
    if p.points_of_sale.len() > POS_MAX {
        out.push((
            "points_of_sale".into(),
            Problem::TooMany {
                max: POS_MAX as u32,
            },
        ));
    }
    for (i, s) in p.points_of_sale.iter().enumerate().take(POS_MAX) {
        req_text(
            format!("points_of_sale.{i}.name.vi"),
            &s.name.vi,
            POS_NAME_MAX,
            false,
            &mut out,
        );
        opt_text(
            format!("points_of_sale.{i}.name.en"),
            &s.name.en,
            POS_NAME_MAX,
            false,
            &mut out,
        );
        if let Some(a) = &s.address {
            opt_text(
                format!("points_of_sale.{i}.address.vi"),
                &a.vi,
                POS_ADDRESS_MAX,
                false,
                &mut out,
            );
            opt_text(
                format!("points_of_sale.{i}.address.en"),
                &a.en,
                POS_ADDRESS_MAX,
                false,
                &mut out,
            );
        }
        if let Some(u) = &s.url {
            if !u.is_empty() && !is_shop_url(u) {
                out.push((format!("points_of_sale.{i}.url"), Problem::Url));
            }
        }
        if let Some(l) = &s.location {
            if !(l.lat.is_finite()
                && l.lon.is_finite()
                && l.lat.abs() <= 90.0
                && l.lon.abs() <= 180.0)
            {
                out.push((format!("points_of_sale.{i}.location"), Problem::NotAnOption));
            }
        }
    }
    if p.photos.is_empty() {
        out.push(("photos".into(), Problem::RequiredFile));
    }
    if p.photos.len() > PHOTOS_MAX {
        out.push((
            "photos".into(),
            Problem::TooManyFiles {
                max: PHOTOS_MAX as u32,
            },
        ));
    }
    for (i, ph) in p.photos.iter().enumerate().take(PHOTOS_MAX) {
        if !is_own_photo_url(&ph.url) {
            out.push((format!("photos.{i}.url"), Problem::FileIdInvalid));
        }
        req_text(
            format!("photos.{i}.alt.vi"),
            &ph.alt.vi,
            ALT_MAX,
            false,
            &mut out,
        );
        opt_text(
            format!("photos.{i}.alt.en"),
            &ph.alt.en,
            ALT_MAX,
            false,
            &mut out,
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Review
// ---------------------------------------------------------------------------

/// `POST /api/v1/officer/listings/{gtin}/approve|reject`; a rejection needs a
/// note (what to change), an approval may have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewDecision {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A review note's maximum length.
pub const NOTE_MAX: u32 = 1000;

/// One listing in the officer's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewItem {
    pub gtin: String,
    pub producer_id: String,
    pub name: Text,
    pub status: ListingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    /// RFC 3339, when the proposal was last saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}
