//! The producer portal's contract: accounts and sessions, the producer's
//! listings, correction proposals and the officer's review, batch scan
//! figures and label data. The server checks with these functions and the
//! app words their problems with the same messages.
//!
//! Routes (all JSON; errors are [`crate::ApiErrorBody`]):
//! - `POST /api/v1/auth/login` ([`LoginRequest`] → [`Session`], sets the
//!   [`SESSION_COOKIE`]); `GET /api/v1/auth/session` (→ [`Session`] or 401);
//!   `POST /api/v1/auth/logout` (this device), `POST /api/v1/auth/logout-all`
//!   (every device); `POST /api/v1/auth/password` ([`PasswordChange`]).
//! - `GET /api/v1/me/products` (→ [`Listings`]),
//!   `GET /api/v1/me/products/{gtin}` (→ [`ListingDetail`]),
//!   `PUT /api/v1/me/products/{gtin}/proposal` ([`ProposalRequest`] → [`ListingDetail`]),
//!   `DELETE /api/v1/me/products/{gtin}/proposal`,
//!   `GET /api/v1/me/products/{gtin}/batches/{lot}/label` (→ [`LabelData`]),
//!   `POST /api/v1/me/photos` (multipart `file` → [`Photo`] url).
//! - Officer: `GET /api/v1/officer/listings?status=pending` (→ [`ReviewItem`]s),
//!   `POST /api/v1/officer/listings/{gtin}/approve` and `…/reject` ([`ReviewDecision`]).
//!
//! Every state-changing request of a signed-in producer (anything but GET,
//! HEAD and the login itself) carries [`CSRF_HEADER`] with the session's
//! [`Session::csrf`] token; without it the server answers 403
//! `csrf_required`. A missing, unknown or expired session answers 401
//! `session_required`; another producer's GTIN or lot answers 404 as if it
//! did not exist.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::date::Date;
use crate::product::{BatchSummary, Certificate, Photo, PointOfSale, Product, Quantity};
use crate::validate::{check_text, Problem};

/// The session cookie: HttpOnly, SameSite=Lax, `Secure` over https, Path=/api.
pub const SESSION_COOKIE: &str = "cuaso_session";
/// The header that must carry the session's CSRF token.
pub const CSRF_HEADER: &str = "x-cuaso-csrf";
/// A session ends after this long without a request.
pub const SESSION_IDLE_MINUTES: u32 = 30;
/// …and at the latest this long after login.
pub const SESSION_MAX_HOURS: u32 = 12;
/// Wrong passwords allowed per account, then per client, in one window.
pub const LOGIN_FAILURES_PER_ACCOUNT: u32 = 5;
pub const LOGIN_FAILURES_PER_CLIENT: u32 = 20;
/// The login rate-limit window and lockout, in minutes.
pub const LOGIN_WINDOW_MINUTES: u32 = 15;

// ---------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------

/// Password length in characters. No composition rules ("a special
/// character…"): length and not being a common password are what matter.
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// Passwords too common to allow (a short list of the most used ones that
/// are long enough to pass the length rule; compared case-insensitively).
const COMMON: &[&str] = &[
    "1234567890",
    "0123456789",
    "12345678910",
    "0987654321",
    "1111111111",
    "123456789a",
    "qwertyuiop",
    "1q2w3e4r5t",
    "matkhau123",
    "matkhau1234",
    "password123",
    "password1234",
    "abc1234567",
    "123456789abc",
    "anhyeuem123",
    "iloveyou123",
    "vietnam123",
    "vietnam1234",
];

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// Control or direction characters.
    InvalidChars,
    /// Contains the account name.
    ContainsUsername,
    /// On the list of common passwords, or one character repeated.
    TooCommon,
    /// The same as the current password.
    Unchanged,
}

impl PasswordProblem {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::InvalidChars => "invalid_chars",
            PasswordProblem::ContainsUsername => "password_contains_username",
            PasswordProblem::TooCommon => "password_too_common",
            PasswordProblem::Unchanged => "password_unchanged",
        }
    }

    pub fn from_code(code: &str) -> Option<PasswordProblem> {
        Some(match code {
            "password_too_short" => PasswordProblem::TooShort,
            "password_too_long" => PasswordProblem::TooLong,
            "invalid_chars" => PasswordProblem::InvalidChars,
            "password_contains_username" => PasswordProblem::ContainsUsername,
            "password_too_common" => PasswordProblem::TooCommon,
            "password_unchanged" => PasswordProblem::Unchanged,
            _ => return None,
        })
    }

    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            PasswordProblem::TooShort => {
                if en {
                    format!("Use at least {PASSWORD_MIN} characters")
                } else {
                    format!("Dùng ít nhất {PASSWORD_MIN} ký tự")
                }
            }
            PasswordProblem::TooLong => {
                if en {
                    format!("Use {PASSWORD_MAX} characters or fewer")
                } else {
                    format!("Dùng tối đa {PASSWORD_MAX} ký tự")
                }
            }
            PasswordProblem::InvalidChars => if en {
                "The password contains a control character. Remove it and try again"
            } else {
                "Mật khẩu có ký tự điều khiển. Xoá ký tự đó rồi nhập lại"
            }
            .into(),
            PasswordProblem::ContainsUsername => if en {
                "Do not put your account name in the password"
            } else {
                "Không dùng tên đăng nhập trong mật khẩu"
            }
            .into(),
            PasswordProblem::TooCommon => if en {
                "This password is too easy to guess. Try a short sentence you will remember"
            } else {
                "Mật khẩu này quá dễ đoán. Hãy thử một câu ngắn mà bạn dễ nhớ"
            }
            .into(),
            PasswordProblem::Unchanged => if en {
                "Choose a password different from the current one"
            } else {
                "Chọn mật khẩu khác mật khẩu hiện tại"
            }
            .into(),
        }
    }
}

/// The password rules, stated up front on every form that sets one.
pub fn password_rules(lang: &str) -> Vec<String> {
    if lang == "en" {
        vec![
            format!("At least {PASSWORD_MIN} characters (at most {PASSWORD_MAX})."),
            "Any letters, digits, spaces or signs, Vietnamese included. No special character is required.".into(),
            "Not your account name, and not a common password such as 1234567890.".into(),
        ]
    } else {
        vec![
            format!("Ít nhất {PASSWORD_MIN} ký tự (tối đa {PASSWORD_MAX})."),
            "Dùng chữ, số, dấu cách hay ký hiệu nào cũng được, kể cả tiếng Việt có dấu. Không bắt buộc ký tự đặc biệt.".into(),
            "Không chứa tên đăng nhập, không dùng mật khẩu phổ biến như 1234567890.".into(),
        ]
    }
}

/// Checks a new password against [`password_rules`].
pub fn check_password(username: &str, password: &str) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(PasswordProblem::TooShort);
    }
    if n > PASSWORD_MAX {
        return Err(PasswordProblem::TooLong);
    }
    if check_text(password, PASSWORD_MAX as u32, false).is_err() {
        return Err(PasswordProblem::InvalidChars);
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if user.chars().count() >= 3 && lower.contains(&user) {
        return Err(PasswordProblem::ContainsUsername);
    }
    let first = lower.chars().next();
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| Some(c) == first) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

/// Account names: 3–40 of `a-z`, `0-9`, `.`, `-`, `_` (lower case).
pub fn is_username(s: &str) -> bool {
    (3..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/// `POST /api/v1/auth/login`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in producer, as login and `GET /api/v1/auth/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Session {
    pub username: String,
    pub producer_id: String,
    pub producer_name: Text,
    /// Send it back in [`CSRF_HEADER`] on every state-changing request.
    pub csrf: String,
    /// The session ends after this many minutes without a request.
    pub idle_minutes: u32,
    /// The initial password from `producer add` must be changed first.
    #[serde(default)]
    pub must_change_password: bool,
    /// Producer (the OCOP portal) or helper (assisted applications).
    #[serde(default)]
    pub role: Role,
    /// For a helper: who and which team. `producer_id` and `producer_name`
    /// are empty then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helper: Option<crate::helper::HelperInfo>,
}

/// What an account is for. A producer session cannot use helper routes and
/// the other way round (403 `forbidden`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Producer,
    Helper,
}

/// `POST /api/v1/auth/password`. A wrong `current` answers 400
/// `validation` with field `current`, code `wrong_password`; a refused
/// `new` answers the [`PasswordProblem`] code at field `new`. Success ends
/// the producer's other sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

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

#[cfg(test)]
mod tests;
