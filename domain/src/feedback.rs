//! Citizens' feedback (phản ánh, kiến nghị): what a citizen reports, how a
//! report moves (received → assigned → answered or rejected), and what each
//! reader may see.
//!
//! Privacy, the same shape as dossiers:
//! - the code alone ([`FeedbackView`] without `content`/`private`) shows the
//!   category, the commune, the status and the timeline's dates;
//! - a report the agency answered and an officer **published** also shows its
//!   [`FeedbackContent`] (title, description, photos, the answer) to anyone,
//!   in the public list and by code: never the reporter's contact details or
//!   exact position;
//! - the secret (header [`SECRET_HEADER`]) shows everything, including
//!   [`FeedbackPrivate`].
//!
//! Routes (`/api/v1`):
//! - `POST /feedback` ([`NewFeedback`], `Idempotency-Key` header) → 201
//!   [`FeedbackReceipt`]; a retry with the same key and body → 200, same receipt.
//!   Photos are uploaded first with `POST /uploads` (JPEG or PNG, downscaled
//!   on the device); the server strips EXIF/XMP/text metadata from every photo
//!   it stores.
//! - `GET /feedback?page=&category=` → [`FeedbackPage`]: published reports only.
//! - `GET /feedback/{code}` (optional secret) → [`FeedbackView`]; a wrong
//!   secret answers 404 `feedback_not_found`, like a code that does not exist.
//! - `GET /feedback/{code}/photos/{n}` (n from 0): public once published,
//!   otherwise only with the secret.
//! - `POST /feedback/{code}/rating` ([`FeedbackRating`], with the secret): once,
//!   after an answer.
//! - Officer (bearer token), also as CLI `cuaso-server feedback …`:
//!   `GET /officer/feedback?status=`, `POST /officer/feedback/{code}/assign`
//!   ([`FeedbackAssign`]), `…/answer` ([`FeedbackAnswer`]), `…/reject`
//!   ([`FeedbackReject`]), `…/publish` ([`FeedbackPublish`]).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::validate::{check_email, check_text, normalize_phone, Problem};

/// The request header that carries a report's secret.
pub const SECRET_HEADER: &str = "X-Feedback-Secret";

pub const TITLE_MAX: u32 = 150;
pub const DESCRIPTION_MAX: u32 = 4000;
pub const PHOTOS_MAX: u32 = 3;
/// The largest photo accepted (already downscaled by the app).
pub const PHOTO_MAX_BYTES: u64 = 5 * 1024 * 1024;
pub const COMMUNE_MAX: u32 = 100;
pub const ADDRESS_MAX: u32 = 300;
pub const NAME_MAX: u32 = 100;
pub const AGENCY_MAX: u32 = 200;
pub const ANSWER_MAX: u32 = 8000;
pub const REASON_MAX: u32 = 1000;
pub const COMMENT_MAX: u32 = 1000;
/// Public list page size.
pub const PAGE_SIZE: u32 = 20;

/// What the report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Giao thông, chiếu sáng: roads, bridges, street lights.
    Roads,
    /// Môi trường, rác thải.
    Environment,
    /// An ninh, trật tự.
    PublicOrder,
    /// Thủ tục hành chính, thái độ cán bộ.
    Administration,
    /// Khác.
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Roads,
        Category::Environment,
        Category::PublicOrder,
        Category::Administration,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Roads => "roads",
            Category::Environment => "environment",
            Category::PublicOrder => "public_order",
            Category::Administration => "administration",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            Category::Roads => {
                if en {
                    "Roads and street lighting"
                } else {
                    "Giao thông, chiếu sáng"
                }
            }
            Category::Environment => {
                if en {
                    "Environment and waste"
                } else {
                    "Môi trường, rác thải"
                }
            }
            Category::PublicOrder => {
                if en {
                    "Public order"
                } else {
                    "An ninh, trật tự"
                }
            }
            Category::Administration => {
                if en {
                    "Administrative procedures and officials' conduct"
                } else {
                    "Thủ tục hành chính, thái độ cán bộ"
                }
            }
            Category::Other => {
                if en {
                    "Other"
                } else {
                    "Khác"
                }
            }
        }
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    /// Đã tiếp nhận: sent, waiting to be assigned.
    Received,
    /// Đã chuyển cơ quan xử lý: an agency is handling it.
    Assigned,
    /// Đã trả lời: the agency answered (final).
    Answered,
    /// Không xử lý: rejected with a reason (final).
    Rejected,
}

impl FeedbackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackStatus::Received => "received",
            FeedbackStatus::Assigned => "assigned",
            FeedbackStatus::Answered => "answered",
            FeedbackStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackStatus> {
        Some(match s {
            "received" => FeedbackStatus::Received,
            "assigned" => FeedbackStatus::Assigned,
            "answered" => FeedbackStatus::Answered,
            "rejected" => FeedbackStatus::Rejected,
            _ => return None,
        })
    }

    pub fn label(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            FeedbackStatus::Received => {
                if en {
                    "Received"
                } else {
                    "Đã tiếp nhận"
                }
            }
            FeedbackStatus::Assigned => {
                if en {
                    "Assigned to an agency"
                } else {
                    "Đã chuyển cơ quan xử lý"
                }
            }
            FeedbackStatus::Answered => {
                if en {
                    "Answered"
                } else {
                    "Đã trả lời"
                }
            }
            FeedbackStatus::Rejected => {
                if en {
                    "Not taken up"
                } else {
                    "Không xử lý"
                }
            }
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, FeedbackStatus::Answered | FeedbackStatus::Rejected)
    }
}

/// What an officer does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackAction {
    Assign,
    Answer,
    Reject,
}

/// Why a move is refused; `code()` is sent as the error's `field` with
/// `invalid_transition` (HTTP 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackTransitionError {
    /// Answered or rejected: nothing moves any more.
    Final,
    /// Answering needs an agency first.
    NotAssigned,
}

impl FeedbackTransitionError {
    pub fn code(self) -> &'static str {
        match self {
            FeedbackTransitionError::Final => "final",
            FeedbackTransitionError::NotAssigned => "not_assigned",
        }
    }

    pub fn message(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            FeedbackTransitionError::Final => {
                if en {
                    "The report has already been answered or rejected"
                } else {
                    "Phản ánh đã được trả lời hoặc từ chối"
                }
            }
            FeedbackTransitionError::NotAssigned => {
                if en {
                    "Assign the report to an agency before answering"
                } else {
                    "Cần chuyển phản ánh cho cơ quan xử lý trước khi trả lời"
                }
            }
        }
    }
}

/// The state machine: received → assigned (again, to re-assign) →
/// answered; received or assigned → rejected.
pub fn next_status(
    from: FeedbackStatus,
    action: FeedbackAction,
) -> Result<FeedbackStatus, FeedbackTransitionError> {
    use FeedbackAction as A;
    use FeedbackStatus as S;
    if from.is_final() {
        return Err(FeedbackTransitionError::Final);
    }
    match (from, action) {
        (_, A::Assign) => Ok(S::Assigned),
        (_, A::Reject) => Ok(S::Rejected),
        (S::Assigned, A::Answer) => Ok(S::Answered),
        (_, A::Answer) => Err(FeedbackTransitionError::NotAssigned),
    }
}

/// The device's position when the report was made (WGS 84).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
    /// Metres, as the device reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<u32>,
}

/// The mainland and near islands of Việt Nam, with a margin: a position
/// outside is refused with [`Problem::OutOfArea`].
pub const AREA: (f64, f64, f64, f64) = (8.0, 102.0, 23.5, 110.0);

impl Position {
    pub fn in_area(&self) -> bool {
        let (lat0, lon0, lat1, lon1) = AREA;
        self.lat.is_finite()
            && self.lon.is_finite()
            && (lat0..=lat1).contains(&self.lat)
            && (lon0..=lon1).contains(&self.lon)
    }
}

/// Where the problem is: the device's position, or (when the citizen
/// declines to share it) a commune and an address. The address may also
/// add detail to a position ("cột điện số 12").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// Xã, phường: required without a position.
    #[serde(default)]
    pub commune: String,
    /// Street, village, landmark: required without a position.
    #[serde(default)]
    pub address: String,
}

/// How the agency may reach the reporter: all optional, all empty for an
/// anonymous report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Contact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl Contact {
    pub fn is_anonymous(&self) -> bool {
        self.name.trim().is_empty() && self.phone.trim().is_empty() && self.email.trim().is_empty()
    }
}

/// `POST /api/v1/feedback`, with an `Idempotency-Key` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewFeedback {
    pub category: Category,
    pub title: String,
    pub description: String,
    /// Upload ids from `POST /api/v1/uploads` (JPEG or PNG), at most [`PHOTOS_MAX`].
    #[serde(default)]
    pub photos: Vec<String>,
    pub location: Location,
    #[serde(default)]
    pub contact: Contact,
}

/// Problems with a report, keyed by field: `title`, `description`,
/// `photos`, `location.position`, `location.commune`, `location.address`,
/// `contact.name`, `contact.phone`, `contact.email`. The server answers them
/// as 422 `validation`; the app shows them at the fields.
pub fn check_feedback(f: &NewFeedback) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    // `required`: what to enter, in words (vi, en), when it is required.
    let mut text = |key: &str, v: &str, max: u32, required: Option<(&str, &str)>, multiline: bool| {
        let v = v.trim();
        if v.is_empty() {
            if let Some((vi, en)) = required {
                out.push((key.to_string(), Problem::missing(vi, en)));
            }
        } else if let Err(p) = check_text(v, max, multiline) {
            out.push((key.to_string(), p));
        }
    };
    text("title", &f.title, TITLE_MAX, Some(("tiêu đề", "a title")), false);
    let what = ("nội dung phản ánh", "what is wrong");
    text("description", &f.description, DESCRIPTION_MAX, Some(what), true);
    let no_position = f.location.position.is_none();
    let commune = ("xã, phường nơi xảy ra", "the commune or ward where it is");
    let address = ("địa chỉ hoặc mô tả nơi xảy ra", "the address, or where it is");
    text(
        "location.commune",
        &f.location.commune,
        COMMUNE_MAX,
        no_position.then_some(commune),
        false,
    );
    text(
        "location.address",
        &f.location.address,
        ADDRESS_MAX,
        no_position.then_some(address),
        true,
    );
    text("contact.name", &f.contact.name, NAME_MAX, None, false);
    if let Some(p) = &f.location.position {
        if !p.in_area() {
            out.push(("location.position".into(), Problem::OutOfArea));
        }
    }
    let phone = f.contact.phone.trim();
    if !phone.is_empty() {
        if let Err(p) = normalize_phone(phone) {
            out.push(("contact.phone".into(), p));
        }
    }
    let email = f.contact.email.trim();
    if !email.is_empty() {
        if let Err(p) = check_email(email) {
            out.push(("contact.email".into(), p));
        }
    }
    if f.photos.len() > PHOTOS_MAX as usize {
        out.push(("photos".into(), Problem::TooManyFiles { max: PHOTOS_MAX }));
    } else if f.photos.iter().any(|id| !crate::validate::is_upload_id(id))
        || (1..f.photos.len()).any(|i| f.photos[..i].contains(&f.photos[i]))
    {
        out.push(("photos".into(), Problem::FileIdInvalid));
    }
    out
}

/// Is this a feedback code: `PA-{YYMMDD}-{5 of 0-9 A-Z without I L O U}`?
/// Returns it trimmed and upper-cased. Distinct from dossier codes (whose
/// last part is digits only).
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    let rest = code.strip_prefix("PA-")?;
    let (day, tail) = rest.split_once('-')?;
    let ok = day.len() == 6
        && day.bytes().all(|b| b.is_ascii_digit())
        && tail.len() == 5
        && tail.bytes().all(|b| CODE_ALPHABET.contains(&b))
        && !tail.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(code)
}

/// The random part's alphabet (Crockford's base 32: no I, L, O, U).
pub const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The answer to a new report (201 the first time, 200 for a retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackReceipt {
    /// `PA-YYMMDD-XXXXX`.
    pub code: String,
    /// Shown once: needed to see the report's details and to rate the answer.
    pub secret: String,
    /// RFC 3339.
    pub received_at: String,
}

/// One step of a report's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackEvent {
    pub status: FeedbackStatus,
    /// RFC 3339.
    pub at: String,
    /// Into `assigned`: the agency handling it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// The agency's answer, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackAnswerView {
    pub agency: String,
    pub text: String,
    /// RFC 3339.
    pub at: String,
}

/// What the report says; public once published, otherwise secret only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackContent {
    pub title: String,
    pub description: String,
    /// URLs of the (metadata-stripped) photos, `/api/v1/feedback/{code}/photos/{n}`.
    pub photos: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<FeedbackAnswerView>,
    /// Why it was not taken up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<String>,
}

/// The reporter's rating of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackRating {
    /// 1–5.
    pub stars: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What only the holder of the secret (and officers) see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackPrivate {
    pub location: Location,
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<FeedbackRating>,
    pub can_rate: bool,
}

/// `GET /api/v1/feedback/{code}`, and each item of the public list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackView {
    pub code: String,
    pub category: Category,
    pub status: FeedbackStatus,
    /// The commune named in the report (empty when only a position was given).
    pub commune: String,
    /// RFC 3339.
    pub received_at: String,
    /// Oldest first.
    pub timeline: Vec<FeedbackEvent>,
    /// Shown in the public list.
    pub published: bool,
    /// Present when published, or with the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<FeedbackContent>,
    /// Only with the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<FeedbackPrivate>,
}

/// `GET /api/v1/feedback`: published reports, newest answer first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackPage {
    pub items: Vec<FeedbackView>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

/// `POST /api/v1/officer/feedback/{code}/assign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackAssign {
    pub agency: String,
}

/// `POST /api/v1/officer/feedback/{code}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackAnswer {
    pub text: String,
}

/// `POST /api/v1/officer/feedback/{code}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackReject {
    pub reason: String,
}

/// `POST /api/v1/officer/feedback/{code}/publish`: only answered reports
/// can be published; `false` takes one off the public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedbackPublish {
    pub published: bool,
}

/// Checks an officer's text (agency, answer, reason): required, one limit each.
pub fn check_officer_text(v: &str, max: u32) -> Result<(), Problem> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Problem::Required);
    }
    check_text(v, max, true)
}

/// Checks a rating: 1–5 stars, an optional comment.
pub fn check_rating(r: &FeedbackRating) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    if !(1..=5).contains(&r.stars) {
        out.push(("stars".into(), Problem::RequiredChoice));
    }
    if let Some(c) = r
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if let Err(p) = check_text(c, COMMENT_MAX, true) {
            out.push(("comment".into(), p));
        }
    }
    out
}

#[cfg(test)]
mod tests;
