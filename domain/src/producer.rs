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
//!
//! [`Photo`]: crate::product::Photo

// Passwords, login and sessions.
mod account;
// Listings, certificate states, batch figures and label data.
mod listing;
// Proposals, their checks and the review.
mod proposal;

pub use account::{
    check_password, is_username, password_rules, LoginRequest, PasswordChange, PasswordProblem,
    Role, Session, CSRF_HEADER, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_CLIENT,
    LOGIN_WINDOW_MINUTES, PASSWORD_MAX, PASSWORD_MIN, SESSION_COOKIE, SESSION_IDLE_MINUTES,
    SESSION_MAX_HOURS,
};
pub use listing::{
    cert_state, BatchStats, CertState, DayCount, LabelData, Listing, ListingDetail, ListingStatus,
    Listings, CERT_VALID_MONTHS, CERT_WARN_DAYS,
};
pub use proposal::{
    check_proposal, is_own_photo_url, is_shop_url, Proposal, ProposalRequest, ReviewDecision,
    ReviewItem, ALT_MAX, DESCRIPTION_MAX, NOTE_MAX, PHOTOS_MAX, POS_ADDRESS_MAX, POS_MAX,
    POS_NAME_MAX, URL_MAX,
};

#[cfg(test)]
mod tests;
