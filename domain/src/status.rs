//! The dossier state machine, written once for the server and the app: the
//! 10 official statuses of the national portal, who may move a dossier from
//! one to another ([`TRANSITIONS`]), the event timeline, and the on-time rule.
//!
//! On-time rule (see `../shared/domain.md`): a dossier is done on time when
//! finished on or before the promised date. The working days spent waiting
//! for the citizen's first supplement are added to that date ([`deadline`]);
//! a second supplement request makes the dossier late whatever the dates.
//! Days left and days late are counted in **working days** (the agencies'
//! calendar of [`crate::date`]), the unit the promised date itself is
//! computed in.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

// Checking one move: its reason, and the errors with their messages.
mod transition;
// A dossier's events, and replaying a stored history.
mod timeline;
// The deadline and the on-time rule.
mod on_time;

pub use on_time::{deadline, timeliness, working_days_between, Timeliness};
pub use timeline::{event_date, replay, Event};
pub use transition::{check_transition, clean_reason, next_statuses, TransitionError, MAX_REASON};

/// A dossier status, numbered as on the national portal. Serialized as its
/// number (`4`); unknown numbers are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Status {
    /// 1 Mới đăng ký: submitted, not yet looked at.
    New = 1,
    /// 2 Được tiếp nhận.
    Accepted = 2,
    /// 3 Không được tiếp nhận (final, with a reason).
    NotAccepted = 3,
    /// 4 Đang xử lý.
    Processing = 4,
    /// 5 Yêu cầu bổ sung giấy tờ (with a reason: what is missing).
    SupplementRequested = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính (with a reason and an amount).
    PaymentRequested = 6,
    /// 7 Công dân yêu cầu rút hồ sơ (final).
    Withdrawn = 7,
    /// 8 Dừng xử lý (final, with a reason).
    Stopped = 8,
    /// 9 Đã xử lý xong: the result is ready.
    Done = 9,
    /// 10 Đã trả kết quả (final).
    Returned = 10,
}

impl Status {
    /// All statuses, in code order (`ALL[i].code() == i + 1`).
    pub const ALL: [Status; 10] = [
        Status::New,
        Status::Accepted,
        Status::NotAccepted,
        Status::Processing,
        Status::SupplementRequested,
        Status::PaymentRequested,
        Status::Withdrawn,
        Status::Stopped,
        Status::Done,
        Status::Returned,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// The official Vietnamese name, or plain English for `en`.
    pub fn name(self, lang: &str) -> &'static str {
        let (vi, en) = match self {
            Status::New => ("Mới đăng ký", "Submitted"),
            Status::Accepted => ("Được tiếp nhận", "Accepted"),
            Status::NotAccepted => ("Không được tiếp nhận", "Not accepted"),
            Status::Processing => ("Đang xử lý", "In progress"),
            Status::SupplementRequested => ("Yêu cầu bổ sung giấy tờ", "More documents needed"),
            Status::PaymentRequested => {
                ("Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested")
            }
            Status::Withdrawn => ("Công dân yêu cầu rút hồ sơ", "Withdrawn by the applicant"),
            Status::Stopped => ("Dừng xử lý", "Stopped"),
            Status::Done => ("Đã xử lý xong", "Processed"),
            Status::Returned => ("Đã trả kết quả", "Result returned"),
        };
        if lang == "en" {
            en
        } else {
            vi
        }
    }

    /// No move leaves 3, 7, 8 or 10.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::NotAccepted | Status::Withdrawn | Status::Stopped | Status::Returned
        )
    }

    /// May the citizen withdraw (move to 7) from here?
    pub fn can_withdraw(self) -> bool {
        matches!(
            self,
            Status::New
                | Status::Accepted
                | Status::Processing
                | Status::SupplementRequested
                | Status::PaymentRequested
        )
    }

    /// Does moving into this status need a reason (3, 5, 6, 8)?
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Status::NotAccepted
                | Status::SupplementRequested
                | Status::PaymentRequested
                | Status::Stopped
        )
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        Status::from_code(n).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Unsigned(n.into()),
                &"a dossier status code, 1 to 10",
            )
        })
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Status {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .enum_values(Some(1..=10u8))
            .description(Some(
                "Dossier status (national portal): 1 Mới đăng ký, 2 Được tiếp nhận, \
                 3 Không được tiếp nhận, 4 Đang xử lý, 5 Yêu cầu bổ sung giấy tờ, \
                 6 Yêu cầu thực hiện nghĩa vụ tài chính, 7 Công dân yêu cầu rút hồ sơ, \
                 8 Dừng xử lý, 9 Đã xử lý xong, 10 Đã trả kết quả. 3, 7, 8 and 10 are final.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for Status {}

/// Who makes a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The applicant (with the dossier's secret).
    Citizen,
    /// An agency officer (back office, officer API or CLI).
    Officer,
    /// The server on its own. No row of [`TRANSITIONS`] is the system's
    /// today: it cannot move a dossier.
    System,
}

impl Actor {
    /// For the timeline: `Công dân`, `Cán bộ`, `Hệ thống` (or English).
    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Actor::Citizen, false) => "Công dân",
            (Actor::Officer, false) => "Cán bộ",
            (Actor::System, false) => "Hệ thống",
            (Actor::Citizen, true) => "Applicant",
            (Actor::Officer, true) => "Officer",
            (Actor::System, true) => "System",
        }
    }

    /// In the middle of a sentence.
    fn who(self, en: bool) -> &'static str {
        match (self, en) {
            (Actor::Citizen, false) => "công dân",
            (Actor::Officer, false) => "cán bộ",
            (Actor::System, false) => "hệ thống",
            (Actor::Citizen, true) => "the applicant",
            (Actor::Officer, true) => "an officer",
            (Actor::System, true) => "the system",
        }
    }
}

use Actor::{Citizen as C, Officer as O};
use Status::*;

/// Every legal move: (from, to, who may make it, reason required). A move
/// that two actors may make has a row each. Nothing leaves a final status.
pub const TRANSITIONS: [(Status, Status, Actor, bool); 21] = [
    (New, Accepted, O, false),
    (New, NotAccepted, O, true),
    (New, Withdrawn, C, false),
    (Accepted, Processing, O, false),
    (Accepted, SupplementRequested, O, true),
    (Accepted, PaymentRequested, O, true),
    (Accepted, Withdrawn, C, false),
    (Accepted, Stopped, O, true),
    (Processing, SupplementRequested, O, true),
    (Processing, PaymentRequested, O, true),
    (Processing, Done, O, false),
    (Processing, Stopped, O, true),
    (Processing, Withdrawn, C, false),
    // The citizen sends the supplement, or the officer records it.
    (SupplementRequested, Processing, C, false),
    (SupplementRequested, Processing, O, false),
    (SupplementRequested, Withdrawn, C, false),
    (SupplementRequested, Stopped, O, true),
    // The officer confirms the payment.
    (PaymentRequested, Processing, O, false),
    (PaymentRequested, Withdrawn, C, false),
    (PaymentRequested, Stopped, O, true),
    (Done, Returned, O, false),
];

#[cfg(test)]
mod tests;
