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

use core::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::date::{add_working_days, is_working_day, next_working_day, Date};
use crate::validate::{check_text, Problem};

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

/// The longest reason, in characters as [`crate::validate::visible_len`]
/// counts them.
pub const MAX_REASON: u32 = 1000;

/// Why a move (or a stored history) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// `from` is final (3, 7, 8, 10): nothing leaves it.
    Final { from: Status, to: Status },
    /// No one may move a dossier from `from` to `to`.
    NotAllowed { from: Status, to: Status },
    /// The move exists, but not for this actor.
    WrongActor {
        from: Status,
        to: Status,
        actor: Actor,
    },
    /// Moving into this status (3, 5, 6, 8) needs a non-blank reason.
    ReasonRequired(Status),
    /// The reason is longer than [`MAX_REASON`].
    ReasonTooLong,
    /// The reason holds control characters (other than line breaks), tabs
    /// or direction overrides.
    ReasonInvalid,
    /// [`replay`]: a history must start with 1 Mới đăng ký by the citizen.
    InvalidStart,
    /// [`replay`]: `seq` not increasing, or `at` not RFC 3339 with an offset
    /// or earlier than the event before.
    InvalidEvent,
}

impl TransitionError {
    /// Stable, for the API and logs.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::Final { .. } => "status_final",
            TransitionError::NotAllowed { .. } => "transition_not_allowed",
            TransitionError::WrongActor { .. } => "wrong_actor",
            TransitionError::ReasonRequired(_) => "reason_required",
            TransitionError::ReasonTooLong => "reason_too_long",
            TransitionError::ReasonInvalid => "reason_invalid",
            TransitionError::InvalidStart => "invalid_start",
            TransitionError::InvalidEvent => "invalid_event",
        }
    }

    /// What is wrong and what is allowed, in `en` or (any other `lang`)
    /// Vietnamese.
    pub fn message(self, lang: &str) -> String {
        let en = lang == "en";
        let q = |s: Status| {
            if en {
                format!("“{}”", s.name(lang))
            } else {
                s.name(lang).to_string()
            }
        };
        match self {
            TransitionError::Final { from, to } => {
                if en {
                    format!(
                        "The dossier is at {}, a final status, so it cannot move to {}.",
                        q(from),
                        q(to)
                    )
                } else {
                    format!(
                        "Hồ sơ đang ở trạng thái {} nên không thể chuyển sang {}. Đây là trạng thái kết thúc.",
                        q(from),
                        q(to)
                    )
                }
            }
            TransitionError::NotAllowed { from, to } => {
                let mut next: Vec<Status> = Vec::new();
                for (f, t, _, _) in TRANSITIONS {
                    if f == from && !next.contains(&t) {
                        next.push(t);
                    }
                }
                let list = next.into_iter().map(q).collect::<Vec<_>>().join(", ");
                if en {
                    format!(
                        "A dossier cannot move from {} to {}. From {} it can move to: {list}.",
                        q(from),
                        q(to),
                        q(from)
                    )
                } else {
                    format!(
                        "Không thể chuyển hồ sơ từ {} sang {}. Từ {} chỉ có thể chuyển sang: {list}.",
                        q(from),
                        q(to),
                        q(from)
                    )
                }
            }
            TransitionError::WrongActor { from, to, actor } => {
                let who = TRANSITIONS
                    .iter()
                    .filter(|r| r.0 == from && r.1 == to)
                    .map(|r| r.2.who(en))
                    .collect::<Vec<_>>()
                    .join(if en { " or " } else { " hoặc " });
                if en {
                    format!(
                        "Only {who} can move a dossier from {} to {}; {} cannot.",
                        q(from),
                        q(to),
                        actor.who(en)
                    )
                } else {
                    format!(
                        "Chỉ {who} mới có thể chuyển hồ sơ từ {} sang {}; {} không thể làm việc này.",
                        q(from),
                        q(to),
                        actor.who(en)
                    )
                }
            }
            TransitionError::ReasonRequired(to) => {
                if en {
                    format!("Give a reason to move a dossier to {}.", q(to))
                } else {
                    format!("Cần ghi rõ lý do khi chuyển hồ sơ sang {}.", q(to))
                }
            }
            TransitionError::ReasonTooLong => {
                if en {
                    format!("The reason can be at most {MAX_REASON} characters long.")
                } else {
                    format!("Lý do dài tối đa {MAX_REASON} ký tự. Hãy viết ngắn gọn hơn.")
                }
            }
            TransitionError::ReasonInvalid => if en {
                "The reason holds characters that are not allowed (control characters, tabs, \
                 text direction marks). Use letters, digits, punctuation and line breaks."
            } else {
                "Lý do chứa ký tự không được phép (ký tự điều khiển, tab, ký tự đổi chiều văn bản). \
                 Chỉ dùng chữ, số, dấu câu và xuống dòng."
            }
            .to_string(),
            TransitionError::InvalidStart => if en {
                "A dossier's history must start with “Submitted”, by the applicant."
            } else {
                "Lịch sử hồ sơ phải bắt đầu bằng trạng thái Mới đăng ký do công dân nộp."
            }
            .to_string(),
            TransitionError::InvalidEvent => if en {
                "Event numbers must increase, and each time must be RFC 3339 with an offset \
                 and not earlier than the event before."
            } else {
                "Số thứ tự sự kiện phải tăng dần; thời điểm phải theo RFC 3339 có múi giờ \
                 và không sớm hơn sự kiện trước."
            }
            .to_string(),
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}

impl std::error::Error for TransitionError {}

/// A reason as stored: trimmed; blank is no reason. Refuses one longer than
/// [`MAX_REASON`] or holding control characters other than line breaks
/// (`\n`, `\r`), tabs, or direction overrides.
pub fn clean_reason(reason: Option<&str>) -> Result<Option<&str>, TransitionError> {
    let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    match check_text(r, MAX_REASON, true) {
        Err(Problem::TooLong { .. }) => Err(TransitionError::ReasonTooLong),
        Err(_) => Err(TransitionError::ReasonInvalid),
        Ok(()) if r.contains('\t') => Err(TransitionError::ReasonInvalid),
        Ok(()) => Ok(Some(r)),
    }
}

/// Is `actor` allowed to move a dossier from `from` to `to` with this
/// reason? Checks, in order: `from` final, the move exists, the actor may
/// make it, the reason ([`clean_reason`]; required into 3, 5, 6, 8).
pub fn check_transition(
    from: Status,
    to: Status,
    actor: Actor,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    if from.is_final() {
        return Err(TransitionError::Final { from, to });
    }
    let mut rows = TRANSITIONS.iter().filter(|r| r.0 == from && r.1 == to);
    let mut exists = false;
    let row = rows.find(|r| {
        exists = true;
        r.2 == actor
    });
    let Some(&(_, _, _, required)) = row else {
        return Err(if exists {
            TransitionError::WrongActor { from, to, actor }
        } else {
            TransitionError::NotAllowed { from, to }
        });
    };
    match clean_reason(reason)? {
        None if required => Err(TransitionError::ReasonRequired(to)),
        _ => Ok(()),
    }
}

/// Where `actor` may move a dossier from `from`, in table order.
pub fn next_statuses(from: Status, actor: Actor) -> Vec<Status> {
    TRANSITIONS
        .iter()
        .filter(|r| r.0 == from && r.2 == actor)
        .map(|r| r.1)
        .collect()
}

/// One entry of a dossier's timeline: the status it moved to, who moved it,
/// when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Event {
    /// Increasing along the timeline (1, 2, 3…).
    pub seq: u32,
    pub status: Status,
    /// RFC 3339 with an offset, e.g. `2026-11-24T09:15:00+07:00`.
    pub at: String,
    pub actor: Actor,
    /// Trimmed; always present on entries into 3, 5, 6 and 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// VND: the amount asked for (into 6) or paid (6 → 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
}

/// Parses RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` into its local
/// date and the Unix time.
fn parse_at(at: &str) -> Option<(Date, i64)> {
    let b = at.as_bytes();
    let date = Date::parse(at.get(..10)?)?;
    let num = |i: usize, max: u8| -> Option<i64> {
        let (h, l) = (*b.get(i)?, *b.get(i + 1)?);
        let n = (h as char).to_digit(10)? * 10 + (l as char).to_digit(10)?;
        (n <= u32::from(max)).then_some(i64::from(n))
    };
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    if b.get(16) != Some(&b':') {
        return None;
    }
    let secs = num(11, 23)? * 3600 + num(14, 59)? * 60 + num(17, 60)?;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let o = num(i + 1, 23)? * 3600 + num(i + 4, 59)? * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    Some((date, i64::from(date.to_days()) * 86_400 + secs - offset))
}

/// The date of an RFC 3339 time, in its own offset:
/// `2026-11-23T23:30:00-05:00` is 23 November. `None` unless RFC 3339 with
/// an offset.
pub fn event_date(at: &str) -> Option<Date> {
    parse_at(at).map(|(d, _)| d)
}

/// Checks a stored history and gives the status it ends in. The first event
/// must be 1 (Mới đăng ký) by the citizen; each next one a legal move from
/// the one before ([`check_transition`], with its actor and reason); `seq`
/// must increase and `at` must parse and never go back in time. On error,
/// the index of the first bad event (0 for an empty history).
pub fn replay(events: &[Event]) -> Result<Status, (usize, TransitionError)> {
    let first = events.first().ok_or((0, TransitionError::InvalidStart))?;
    if first.status != Status::New || first.actor != Actor::Citizen {
        return Err((0, TransitionError::InvalidStart));
    }
    clean_reason(first.reason.as_deref()).map_err(|e| (0, e))?;
    let mut prev: Option<(&Event, i64)> = None;
    for (i, ev) in events.iter().enumerate() {
        let t = parse_at(&ev.at).ok_or((i, TransitionError::InvalidEvent))?;
        if let Some((p, pt)) = prev {
            if ev.seq <= p.seq || t.1 < pt {
                return Err((i, TransitionError::InvalidEvent));
            }
            check_transition(p.status, ev.status, ev.actor, ev.reason.as_deref())
                .map_err(|e| (i, e))?;
        }
        prev = Some((ev, t.1));
    }
    Ok(events[events.len() - 1].status)
}

/// Working days `d` with `a < d <= b`; negative (those in `b < d <= a`)
/// when `b` is before `a`.
pub fn working_days_between(a: Date, b: Date) -> i32 {
    let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let n = (lo.to_days() + 1..=hi.to_days())
        .filter(|&d| is_working_day(Date::from_days(d)))
        .count();
    sign * n as i32
}

/// What a timeline says about the clock.
struct Clock {
    /// The first supplement request's date, and the date the dossier left
    /// status 5 after it (if it has).
    wait: Option<(Date, Option<Date>)>,
    supplements: u32,
    finished: Option<Date>,
}

fn clock(events: &[Event]) -> Clock {
    let mut c = Clock {
        wait: None,
        supplements: 0,
        finished: None,
    };
    let mut in_first_wait = false;
    let mut returned = None;
    for ev in events {
        let Some(date) = event_date(&ev.at) else {
            continue;
        };
        if in_first_wait && ev.status != Status::SupplementRequested {
            in_first_wait = false;
            c.wait = c.wait.map(|(start, _)| (start, Some(date)));
        }
        match ev.status {
            Status::SupplementRequested => {
                c.supplements += 1;
                if c.supplements == 1 {
                    c.wait = Some((date, None));
                    in_first_wait = true;
                }
            }
            Status::Done if c.finished.is_none() => c.finished = Some(date),
            Status::Returned if returned.is_none() => returned = Some(date),
            _ => {}
        }
    }
    c.finished = c.finished.or(returned);
    c
}

fn deadline_at(promised: Date, c: &Clock, today: Option<Date>) -> Date {
    let lost = match c.wait {
        // The day the supplement comes in counts as a new day of receipt
        // (received on a day off: the next working day), so it is not
        // counted against the agency either, as in `add_working_days`.
        Some((start, Some(end))) => working_days_between(start, next_working_day(end)),
        Some((start, None)) => today.map_or(0, |t| working_days_between(start, t)),
        None => 0,
    };
    if lost > 0 {
        add_working_days(promised, lost as u32)
    } else {
        promised
    }
}

/// The date the result is due: `promised` moved later by the working days
/// spent waiting for the FIRST supplement request (5), from the working day
/// after the request up to and including the day the dossier left 5 (or the
/// next working day, if it left on a day off). A wait still open is not
/// counted here ([`timeliness`] counts it up to today); later supplement
/// requests are not counted at all: they make the dossier late.
pub fn deadline(promised: Date, events: &[Event]) -> Date {
    deadline_at(promised, &clock(events), None)
}

/// Where a dossier stands against its deadline. Day counts are working
/// days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Timeliness {
    /// Before the deadline; `days_left` ≥ 1 working days until it.
    OnTrack { days_left: i32 },
    /// Today is the deadline.
    DueToday,
    /// Not finished and late: past the deadline by `days_late` ≥ 1 working
    /// days (a deadline on Friday is 1 day late on Saturday and Monday), or
    /// `days_late` = 0 when late only because of a second supplement request.
    Late { days_late: i32 },
    /// Finished (9, or 10) on or before the deadline, with at most one
    /// supplement request.
    DoneOnTime,
    /// Finished after the deadline, or after a second supplement request.
    DoneLate,
    /// Not accepted (3), withdrawn (7) or stopped (8), or no events: there
    /// is no result to be on time with.
    NotApplicable,
}

impl Timeliness {
    /// The on-time flag: `None` when not applicable.
    pub fn on_time(self) -> Option<bool> {
        match self {
            Timeliness::OnTrack { .. } | Timeliness::DueToday | Timeliness::DoneOnTime => {
                Some(true)
            }
            Timeliness::Late { .. } | Timeliness::DoneLate => Some(false),
            Timeliness::NotApplicable => None,
        }
    }

    /// For the dossier page: "Còn 3 ngày làm việc", "Trễ hạn 2 ngày làm
    /// việc"… `None` when not applicable.
    pub fn label(self, lang: &str) -> Option<String> {
        let en = lang == "en";
        let days = |n: i32| match (en, n) {
            (true, 1) => "1 working day".to_string(),
            (true, _) => format!("{n} working days"),
            (false, _) => format!("{n} ngày làm việc"),
        };
        Some(match (self, en) {
            (Timeliness::OnTrack { days_left }, false) => format!("Còn {}", days(days_left)),
            (Timeliness::OnTrack { days_left }, true) => format!("{} left", days(days_left)),
            (Timeliness::DueToday, false) => "Đến hạn hôm nay".into(),
            (Timeliness::DueToday, true) => "Due today".into(),
            (Timeliness::Late { days_late: 0 }, false) => "Trễ hạn".into(),
            (Timeliness::Late { days_late: 0 }, true) => "Late".into(),
            (Timeliness::Late { days_late }, false) => format!("Trễ hạn {}", days(days_late)),
            (Timeliness::Late { days_late }, true) => format!("{} late", days(days_late)),
            (Timeliness::DoneOnTime, false) => "Đúng hạn".into(),
            (Timeliness::DoneOnTime, true) => "Done on time".into(),
            (Timeliness::DoneLate, false) => "Trễ hạn".into(),
            (Timeliness::DoneLate, true) => "Done late".into(),
            (Timeliness::NotApplicable, _) => return None,
        })
    }
}

/// The on-time rule for a dossier promised for `promised`, seen on `today`
/// (see [`Timeliness`] and [`deadline`]; an open wait for the first
/// supplement counts up to today, so the days left hold still while the
/// citizen has the dossier). Finished is the date of the first 9 (or of 10
/// if there is no 9). Events whose `at` does not parse are ignored.
pub fn timeliness(promised: Date, events: &[Event], today: Date) -> Timeliness {
    match events.last().map(|e| e.status) {
        None | Some(Status::NotAccepted | Status::Withdrawn | Status::Stopped) => {
            return Timeliness::NotApplicable
        }
        _ => {}
    }
    let c = clock(events);
    let due = deadline_at(promised, &c, Some(today));
    if let Some(done) = c.finished {
        return if done <= due && c.supplements < 2 {
            Timeliness::DoneOnTime
        } else {
            Timeliness::DoneLate
        };
    }
    if c.supplements >= 2 {
        return Timeliness::Late {
            days_late: working_days_between(due, today).max(0),
        };
    }
    match today.cmp(&due) {
        core::cmp::Ordering::Less => Timeliness::OnTrack {
            days_left: working_days_between(today, due).max(1),
        },
        core::cmp::Ordering::Equal => Timeliness::DueToday,
        core::cmp::Ordering::Greater => Timeliness::Late {
            days_late: working_days_between(due, today).max(1),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::add_working_days;
    use Actor::System as S;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    const ACTORS: [Actor; 3] = [C, O, S];

    fn ev(seq: u32, status: Status, at: &str, actor: Actor, reason: Option<&str>) -> Event {
        Event {
            seq,
            status,
            at: at.to_string(),
            actor,
            reason: reason.map(str::to_string),
            amount: None,
        }
    }

    /// A history from (status, date, actor); reasons filled in where needed.
    fn history(steps: &[(Status, Date, Actor)]) -> Vec<Event> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(s, date, a))| {
                let at = format!("{date}T{:02}:00:00+07:00", 8 + i % 10);
                ev(i as u32 + 1, s, &at, a, s.needs_reason().then_some("Lý do"))
            })
            .collect()
    }

    #[test]
    fn codes_names_and_serde() {
        let vi = [
            "Mới đăng ký",
            "Được tiếp nhận",
            "Không được tiếp nhận",
            "Đang xử lý",
            "Yêu cầu bổ sung giấy tờ",
            "Yêu cầu thực hiện nghĩa vụ tài chính",
            "Công dân yêu cầu rút hồ sơ",
            "Dừng xử lý",
            "Đã xử lý xong",
            "Đã trả kết quả",
        ];
        for (i, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(s.code()), i + 1);
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert_eq!(s.name("vi"), vi[i]);
            assert_eq!(s.name(""), vi[i]);
            assert!(s.name("en").is_ascii());
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, (i + 1).to_string());
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
        }
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
        for bad in ["0", "11", "255", "256", "-1", "\"4\"", "4.5", "null"] {
            assert!(serde_json::from_str::<Status>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::to_string(&Actor::Citizen).unwrap(),
            "\"citizen\""
        );
        assert_eq!(
            serde_json::from_str::<Actor>("\"officer\"").unwrap(),
            Actor::Officer
        );
        assert_eq!(Actor::System.name("vi"), "Hệ thống");
    }

    #[test]
    fn flags_agree_with_the_table() {
        for s in Status::ALL {
            let out: Vec<_> = TRANSITIONS.iter().filter(|r| r.0 == s).collect();
            assert_eq!(s.is_final(), out.is_empty(), "{s:?}");
            assert_eq!(
                s.can_withdraw(),
                out.iter().any(|r| r.1 == Withdrawn && r.2 == C),
                "{s:?}"
            );
        }
        for (from, to, actor, required) in TRANSITIONS {
            assert_eq!(required, to.needs_reason(), "{from:?}→{to:?}");
            assert_ne!(from, to);
            assert_ne!(actor, S);
            let same = TRANSITIONS
                .iter()
                .filter(|r| (r.0, r.1, r.2) == (from, to, actor));
            assert_eq!(same.count(), 1);
        }
        assert_eq!(next_statuses(New, O), [Accepted, NotAccepted]);
        assert_eq!(next_statuses(New, C), [Withdrawn]);
        assert_eq!(
            next_statuses(SupplementRequested, C),
            [Processing, Withdrawn]
        );
        assert_eq!(
            next_statuses(Processing, O),
            [SupplementRequested, PaymentRequested, Done, Stopped]
        );
        assert!(next_statuses(Returned, O).is_empty());
        assert!(next_statuses(Processing, S).is_empty());
    }

    #[test]
    fn every_legal_move_is_accepted_with_the_right_actor_and_reason() {
        for (from, to, actor, required) in TRANSITIONS {
            assert_eq!(
                check_transition(from, to, actor, Some("Thiếu giấy tờ")),
                Ok(())
            );
            assert_eq!(
                check_transition(from, to, actor, Some("  Dòng 1\r\nDòng 2  ")),
                Ok(())
            );
            let none = check_transition(from, to, actor, None);
            if required {
                assert_eq!(none, Err(TransitionError::ReasonRequired(to)));
            } else {
                assert_eq!(none, Ok(()));
            }
        }
    }

    #[test]
    fn the_whole_grid() {
        for from in Status::ALL {
            for to in Status::ALL {
                for actor in ACTORS {
                    let got = check_transition(from, to, actor, Some("Lý do"));
                    let legal = TRANSITIONS.contains(&(from, to, actor, to.needs_reason()));
                    let exists = TRANSITIONS.iter().any(|r| r.0 == from && r.1 == to);
                    let want = if from.is_final() {
                        Err(TransitionError::Final { from, to })
                    } else if legal {
                        Ok(())
                    } else if exists {
                        Err(TransitionError::WrongActor { from, to, actor })
                    } else {
                        Err(TransitionError::NotAllowed { from, to })
                    };
                    assert_eq!(got, want, "{from:?}→{to:?} by {actor:?}");
                }
            }
        }
        // A few by hand.
        let na = |from, to| Err(TransitionError::NotAllowed { from, to });
        assert_eq!(
            check_transition(New, Processing, O, None),
            na(New, Processing)
        );
        assert_eq!(
            check_transition(Processing, Returned, O, None),
            na(Processing, Returned)
        );
        assert_eq!(
            check_transition(Processing, Processing, O, None),
            na(Processing, Processing)
        );
        assert_eq!(
            check_transition(Done, Withdrawn, C, None),
            na(Done, Withdrawn)
        );
        assert_eq!(
            check_transition(Accepted, Processing, C, None),
            Err(TransitionError::WrongActor {
                from: Accepted,
                to: Processing,
                actor: C
            })
        );
        assert_eq!(
            check_transition(New, Withdrawn, O, None),
            Err(TransitionError::WrongActor {
                from: New,
                to: Withdrawn,
                actor: O
            })
        );
        assert!(check_transition(SupplementRequested, Processing, S, None).is_err());
        for from in [NotAccepted, Withdrawn, Stopped, Returned] {
            for to in Status::ALL {
                for actor in ACTORS {
                    assert_eq!(
                        check_transition(from, to, actor, Some("x")),
                        Err(TransitionError::Final { from, to })
                    );
                }
            }
        }
    }

    #[test]
    fn reasons() {
        let r = |s: &str| check_transition(Processing, Stopped, O, Some(s));
        let required = Err(TransitionError::ReasonRequired(Stopped));
        assert_eq!(check_transition(Processing, Stopped, O, None), required);
        assert_eq!(r(""), required);
        assert_eq!(r(" \n\t "), required);
        assert_eq!(r(&"a".repeat(1000)), Ok(()));
        assert_eq!(r(&format!("  {}  ", "a".repeat(1000))), Ok(()));
        assert_eq!(r(&"a".repeat(1001)), Err(TransitionError::ReasonTooLong));
        // Combining marks do not count: 1000 decomposed "ệ" are 1000 long.
        assert_eq!(r(&"e\u{0323}\u{0302}".repeat(1000)), Ok(()));
        for bad in [
            "a\u{0}b",
            "a\tb",
            "a\u{7}",
            "a\u{1b}[31m",
            "a\u{85}b",
            "a\u{202E}b",
        ] {
            assert_eq!(r(bad), Err(TransitionError::ReasonInvalid), "{bad:?}");
        }
        // Optional reasons are checked too; blank is none.
        assert_eq!(
            check_transition(Accepted, Processing, O, Some("a\u{0}")),
            Err(TransitionError::ReasonInvalid)
        );
        assert_eq!(
            check_transition(Accepted, Processing, O, Some("   ")),
            Ok(())
        );
        assert_eq!(
            clean_reason(Some("  Thiếu ảnh 4x6 \n")),
            Ok(Some("Thiếu ảnh 4x6"))
        );
        assert_eq!(clean_reason(Some(" ")), Ok(None));
        assert_eq!(clean_reason(None), Ok(None));
    }

    #[test]
    fn error_codes_and_messages() {
        let all = [
            TransitionError::Final {
                from: Returned,
                to: Processing,
            },
            TransitionError::NotAllowed {
                from: New,
                to: Done,
            },
            TransitionError::WrongActor {
                from: Accepted,
                to: Processing,
                actor: C,
            },
            TransitionError::ReasonRequired(NotAccepted),
            TransitionError::ReasonTooLong,
            TransitionError::ReasonInvalid,
            TransitionError::InvalidStart,
            TransitionError::InvalidEvent,
        ];
        let mut codes: Vec<_> = all.iter().map(|e| e.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for e in all {
            assert!(e
                .code()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!(!e.message("vi").is_empty() && !e.message("en").is_empty());
            assert_ne!(e.message("vi"), e.message("en"));
            assert_eq!(e.to_string(), e.message("en"));
        }
        assert!(all[0].message("vi").starts_with(
            "Hồ sơ đang ở trạng thái Đã trả kết quả nên không thể chuyển sang Đang xử lý."
        ));
        assert_eq!(
            all[1].message("vi"),
            "Không thể chuyển hồ sơ từ Mới đăng ký sang Đã xử lý xong. Từ Mới đăng ký chỉ có thể \
             chuyển sang: Được tiếp nhận, Không được tiếp nhận, Công dân yêu cầu rút hồ sơ."
        );
        assert_eq!(
            all[2].message("vi"),
            "Chỉ cán bộ mới có thể chuyển hồ sơ từ Được tiếp nhận sang Đang xử lý; công dân \
             không thể làm việc này."
        );
        assert_eq!(
            all[2].message("en"),
            "Only an officer can move a dossier from “Accepted” to “In progress”; the applicant \
             cannot."
        );
        let both = TransitionError::WrongActor {
            from: SupplementRequested,
            to: Processing,
            actor: S,
        };
        assert!(both
            .message("vi")
            .starts_with("Chỉ công dân hoặc cán bộ mới"));
        assert_eq!(
            all[3].message("vi"),
            "Cần ghi rõ lý do khi chuyển hồ sơ sang Không được tiếp nhận."
        );
    }

    #[test]
    fn event_dates() {
        let ok = [
            ("2026-11-24T09:15:00+07:00", d(2026, 11, 24)),
            ("2026-11-23T23:30:00-05:00", d(2026, 11, 23)),
            ("2026-11-24T02:00:00Z", d(2026, 11, 24)),
            ("2026-11-24t02:00:00.123456z", d(2026, 11, 24)),
            ("2026-11-24 02:00:00+00:00", d(2026, 11, 24)),
            ("2016-12-31T23:59:60Z", d(2016, 12, 31)),
        ];
        for (s, want) in ok {
            assert_eq!(event_date(s), Some(want), "{s}");
        }
        for bad in [
            "",
            "2026-11-24",
            "2026-11-24T09:15:00",
            "2026-11-24T09:15+07:00",
            "2026-11-24T24:00:00Z",
            "2026-11-24T09:60:00Z",
            "2026-02-30T09:15:00+07:00",
            "2026-11-24T09:15:00+0700",
            "2026-11-24T09:15:00.+07:00",
            "2026-11-24T09:15:00+07:00 ",
            "2026-11-24X09:15:00Z",
            "2026-11-24T09:15:00+07:0é",
            "２026-11-24T09:15:00Z",
        ] {
            assert_eq!(event_date(bad), None, "{bad:?}");
        }
        // The same instant in two offsets.
        assert_eq!(
            parse_at("2026-11-24T06:00:00+07:00").unwrap().1,
            parse_at("2026-11-23T23:00:00Z").unwrap().1
        );
    }

    #[test]
    fn event_json() {
        let mut e = ev(1, New, "2026-11-24T09:15:00+07:00", C, None);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"seq":1,"status":1,"at":"2026-11-24T09:15:00+07:00","actor":"citizen"}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        e.status = PaymentRequested;
        e.reason = Some("Lệ phí".into());
        e.amount = Some(20_000);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""status":6"#) && json.contains(r#""amount":20000"#));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        assert!(serde_json::from_str::<Event>(&json.replace(":6,", ":12,")).is_err());
        let t = serde_json::to_string(&Timeliness::OnTrack { days_left: 3 }).unwrap();
        assert_eq!(t, r#"{"type":"on_track","days_left":3}"#);
        let t = serde_json::to_string(&Timeliness::DoneOnTime).unwrap();
        assert_eq!(t, r#"{"type":"done_on_time"}"#);
    }

    #[test]
    fn replay_checks_histories() {
        let day = d(2026, 3, 2);
        let good = history(&[
            (New, day, C),
            (Accepted, day, O),
            (Processing, day, O),
            (SupplementRequested, day, O),
            (Processing, day, C),
            (PaymentRequested, day, O),
            (Processing, day, O),
            (Done, day, O),
            (Returned, day, O),
        ]);
        assert_eq!(replay(&good), Ok(Returned));
        assert_eq!(replay(&good[..1]), Ok(New));
        assert_eq!(replay(&good[..4]), Ok(SupplementRequested));
        assert_eq!(replay(&[]), Err((0, TransitionError::InvalidStart)));
        assert_eq!(replay(&good[1..]), Err((0, TransitionError::InvalidStart)));
        let mut by_officer = good.clone();
        by_officer[0].actor = O;
        assert_eq!(replay(&by_officer), Err((0, TransitionError::InvalidStart)));
        // A skipped step.
        let mut skip = good.clone();
        skip.remove(1);
        assert_eq!(
            replay(&skip),
            Err((
                1,
                TransitionError::NotAllowed {
                    from: New,
                    to: Processing
                }
            ))
        );
        // A missing reason.
        let mut no_reason = good.clone();
        no_reason[3].reason = None;
        assert_eq!(
            replay(&no_reason),
            Err((3, TransitionError::ReasonRequired(SupplementRequested)))
        );
        // Wrong actor.
        let mut wrong = good.clone();
        wrong[2].actor = C;
        assert!(matches!(
            replay(&wrong),
            Err((2, TransitionError::WrongActor { .. }))
        ));
        // Anything after a final status.
        let mut after = good.clone();
        after.push(ev(10, Processing, "2026-03-03T08:00:00+07:00", O, None));
        assert_eq!(
            replay(&after),
            Err((
                9,
                TransitionError::Final {
                    from: Returned,
                    to: Processing
                }
            ))
        );
        // Time and sequence.
        let mut back = good.clone();
        back[4].at = "2026-03-02T00:59:00Z".into(); // 07:59 in Vietnam, before 11:00.
        assert_eq!(replay(&back), Err((4, TransitionError::InvalidEvent)));
        let mut same_seq = good.clone();
        same_seq[2].seq = 2;
        assert_eq!(replay(&same_seq), Err((2, TransitionError::InvalidEvent)));
        let mut bad_at = good.clone();
        bad_at[0].at = "2026-03-02".into();
        assert_eq!(replay(&bad_at), Err((0, TransitionError::InvalidEvent)));
        // Equal times and gaps in seq are fine; offsets are compared as instants.
        let mut ok = good.clone();
        ok[1].at = ok[0].at.clone();
        ok[2].seq = 30;
        for (i, e) in ok.iter_mut().enumerate().skip(3) {
            e.seq = 30 + i as u32;
        }
        ok[3].at = "2026-03-02T04:00:00Z".into(); // 11:00 in Vietnam
        assert_eq!(replay(&ok), Ok(Returned));
    }

    /// Received Monday 2 March 2026 with 5 working days: due Monday 9 March.
    fn march(done: Option<Date>) -> (Date, Vec<Event>) {
        let r = d(2026, 3, 2);
        let promised = add_working_days(r, 5);
        assert_eq!(promised, d(2026, 3, 9));
        let mut steps = vec![
            (New, r, C),
            (Accepted, r, O),
            (Processing, d(2026, 3, 3), O),
        ];
        if let Some(done) = done {
            steps.push((Done, done, O));
            steps.push((Returned, done.add_days(3), O));
        }
        (promised, history(&steps))
    }

    #[test]
    fn on_time_and_late_without_supplements() {
        let (p, evs) = march(None);
        assert_eq!(deadline(p, &evs), p);
        let t = |today| timeliness(p, &evs, today);
        assert_eq!(t(d(2026, 3, 4)), Timeliness::OnTrack { days_left: 3 });
        assert_eq!(t(d(2026, 3, 7)), Timeliness::OnTrack { days_left: 1 });
        assert_eq!(t(d(2026, 3, 9)), Timeliness::DueToday);
        assert_eq!(t(d(2026, 3, 10)), Timeliness::Late { days_late: 1 });
        assert_eq!(t(d(2026, 3, 11)), Timeliness::Late { days_late: 2 });
        assert_eq!(t(d(2026, 3, 14)), Timeliness::Late { days_late: 4 });
        assert_eq!(t(d(2026, 3, 4)).on_time(), Some(true));
        assert_eq!(t(d(2026, 3, 11)).on_time(), Some(false));

        let (p, evs) = march(Some(d(2026, 3, 9)));
        // The first 9 counts, not the later 10.
        assert_eq!(timeliness(p, &evs, d(2026, 4, 1)), Timeliness::DoneOnTime);
        let (p, evs) = march(Some(d(2026, 3, 10)));
        assert_eq!(timeliness(p, &evs, d(2026, 3, 10)), Timeliness::DoneLate);
        assert_eq!(Timeliness::DoneLate.on_time(), Some(false));
    }

    #[test]
    fn labels() {
        let l = |t: Timeliness, lang| t.label(lang);
        assert_eq!(
            l(Timeliness::OnTrack { days_left: 3 }, "vi").unwrap(),
            "Còn 3 ngày làm việc"
        );
        assert_eq!(
            l(Timeliness::OnTrack { days_left: 1 }, "en").unwrap(),
            "1 working day left"
        );
        assert_eq!(
            l(Timeliness::Late { days_late: 2 }, "vi").unwrap(),
            "Trễ hạn 2 ngày làm việc"
        );
        assert_eq!(
            l(Timeliness::Late { days_late: 0 }, "vi").unwrap(),
            "Trễ hạn"
        );
        assert_eq!(l(Timeliness::DueToday, "en").unwrap(), "Due today");
        assert_eq!(l(Timeliness::NotApplicable, "vi"), None);
    }

    #[test]
    fn supplement_wait_extends_the_deadline_over_a_weekend() {
        // Promised Mon 9/3. More documents asked Thu 5/3, sent Mon 9/3:
        // Fri 6 and Mon 9 are lost, so the deadline is Wed 11/3.
        let r = d(2026, 3, 2);
        let base = [
            (New, r, C),
            (Accepted, r, O),
            (Processing, r, O),
            (SupplementRequested, d(2026, 3, 5), O),
            (Processing, d(2026, 3, 9), C),
        ];
        let p = d(2026, 3, 9);
        assert_eq!(deadline(p, &history(&base)), d(2026, 3, 11));
        let mut done = base.to_vec();
        done.push((Done, d(2026, 3, 11), O));
        assert_eq!(
            timeliness(p, &history(&done), d(2026, 3, 20)),
            Timeliness::DoneOnTime
        );
        done[5].1 = d(2026, 3, 12);
        assert_eq!(
            timeliness(p, &history(&done), d(2026, 3, 20)),
            Timeliness::DoneLate
        );
        // Sent on Saturday counts as received Monday: the same deadline.
        let mut sat = base.to_vec();
        sat[4].1 = d(2026, 3, 7);
        assert_eq!(deadline(p, &history(&sat)), d(2026, 3, 11));
        // Sent the day it was asked: nothing lost.
        let mut same = base.to_vec();
        same[4].1 = d(2026, 3, 5);
        assert_eq!(deadline(p, &history(&same)), p);
        // Withdrawn while waiting: no deadline to keep.
        let mut gone = base.to_vec();
        gone[4] = (Withdrawn, d(2026, 3, 6), C);
        assert_eq!(
            timeliness(p, &history(&gone), d(2026, 3, 30)),
            Timeliness::NotApplicable
        );
    }

    #[test]
    fn supplement_wait_across_tet_2026() {
        // Promised Tue 24/2/2026. Asked Thu 12/2, sent Sat 21/2 (Tết break
        // 14–22/2): Fri 13/2 and Mon 23/2 are lost → Thu 26/2.
        let r = d(2026, 2, 9);
        let evs = history(&[
            (New, r, C),
            (Accepted, r, O),
            (Processing, r, O),
            (SupplementRequested, d(2026, 2, 12), O),
            (Processing, d(2026, 2, 21), C),
        ]);
        assert_eq!(deadline(d(2026, 2, 24), &evs), d(2026, 2, 26));
        assert_eq!(
            timeliness(d(2026, 2, 24), &evs, d(2026, 2, 25)),
            Timeliness::OnTrack { days_left: 1 }
        );
    }

    #[test]
    fn supplement_wait_across_hung_kings_and_may_day_2026() {
        // Asked Fri 24/4, sent Mon 4/5: Tue 28 and Wed 29/4 and Mon 4/5 are
        // lost (27/4, 30/4, 1/5 are days off). Promised Wed 29/4 → Wed 6/5.
        let r = d(2026, 4, 20);
        let evs = history(&[
            (New, r, C),
            (Accepted, r, O),
            (SupplementRequested, d(2026, 4, 24), O),
            (Processing, d(2026, 5, 4), C),
            (Done, d(2026, 5, 6), O),
        ]);
        assert_eq!(deadline(d(2026, 4, 29), &evs), d(2026, 5, 6));
        assert_eq!(
            timeliness(d(2026, 4, 29), &evs, d(2026, 5, 7)),
            Timeliness::DoneOnTime
        );
    }

    #[test]
    fn an_open_wait_holds_the_days_left_still() {
        let r = d(2026, 3, 2);
        let evs = history(&[
            (New, r, C),
            (Accepted, r, O),
            (Processing, r, O),
            (SupplementRequested, d(2026, 3, 5), O),
        ]);
        let p = d(2026, 3, 11);
        assert_eq!(deadline(p, &evs), p);
        for today in [
            d(2026, 3, 5),
            d(2026, 3, 6),
            d(2026, 3, 7),
            d(2026, 3, 10),
            d(2026, 3, 30),
        ] {
            assert_eq!(
                timeliness(p, &evs, today),
                Timeliness::OnTrack { days_left: 4 },
                "{today}"
            );
        }
    }

    #[test]
    fn a_second_supplement_request_is_late() {
        let r = d(2026, 3, 2);
        let mut steps = vec![
            (New, r, C),
            (Accepted, r, O),
            (Processing, r, O),
            (SupplementRequested, d(2026, 3, 3), O),
            (Processing, d(2026, 3, 4), C),
            (SupplementRequested, d(2026, 3, 4), O),
        ];
        let p = d(2026, 3, 30);
        let evs = history(&steps);
        assert_eq!(
            timeliness(p, &evs, d(2026, 3, 5)),
            Timeliness::Late { days_late: 0 }
        );
        assert_eq!(Timeliness::Late { days_late: 0 }.on_time(), Some(false));
        // Only the first wait moves the deadline (Wed 4/3 lost: → 31/3).
        steps.push((Processing, d(2026, 3, 20), C));
        assert_eq!(deadline(p, &history(&steps)), d(2026, 3, 31));
        assert_eq!(
            timeliness(p, &history(&steps), d(2026, 4, 2)),
            Timeliness::Late { days_late: 2 }
        );
        // Done weeks early, still late.
        steps.push((Done, d(2026, 3, 20), O));
        assert_eq!(
            timeliness(p, &history(&steps), d(2026, 3, 20)),
            Timeliness::DoneLate
        );
    }

    #[test]
    fn final_without_a_result_is_not_applicable() {
        let r = d(2026, 3, 2);
        let p = d(2026, 3, 9);
        for end in [(NotAccepted, r, O), (Withdrawn, r, C)] {
            let evs = history(&[(New, r, C), end]);
            assert_eq!(
                timeliness(p, &evs, d(2026, 4, 1)),
                Timeliness::NotApplicable
            );
        }
        let evs = history(&[(New, r, C), (Accepted, r, O), (Stopped, r, O)]);
        assert_eq!(
            timeliness(p, &evs, d(2026, 4, 1)),
            Timeliness::NotApplicable
        );
        assert_eq!(timeliness(p, &[], r), Timeliness::NotApplicable);
        assert_eq!(Timeliness::NotApplicable.on_time(), None);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn openapi_schemas() {
        use utoipa::PartialSchema;
        let status = serde_json::to_value(Status::schema()).unwrap();
        assert_eq!(status["type"], "integer");
        assert_eq!(
            status["enum"],
            serde_json::json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        );
        assert_eq!(<Status as ToSchema>::name(), "Status");
        let event = serde_json::to_value(Event::schema()).unwrap().to_string();
        assert!(event.contains("#/components/schemas/Status"), "{event}");
        assert!(event.contains("#/components/schemas/Actor"), "{event}");
        let t = serde_json::to_value(Timeliness::schema())
            .unwrap()
            .to_string();
        assert!(t.contains("on_track") && t.contains("days_left"), "{t}");
    }

    /// xorshift64*: a tiny deterministic generator for the property test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random calls, applied only when `check_transition` accepts them,
    /// never reach an illegal state or history.
    #[test]
    fn property_no_sequence_of_calls_reaches_an_illegal_state() {
        let long = "x".repeat(1001);
        let reasons: [Option<&str>; 9] = [
            None,
            Some(""),
            Some("   "),
            Some("Thiếu bản sao giấy khai sinh"),
            Some("Dòng 1\nDòng 2"),
            Some(&long),
            Some("a\u{0}b"),
            Some("a\tb"),
            Some("\u{202E}abc"),
        ];
        let mut reached = [false; 10];
        let mut accepted_moves = std::collections::BTreeSet::new();
        for seed in 1..=3000u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let start = d(2026, 1, 1).add_days(rng.below(700) as i32);
            let mut day = start;
            let mut history = vec![ev(1, New, &format!("{start}T08:00:00+07:00"), C, None)];
            let mut state = New;
            for step in 0..40u32 {
                let to = Status::ALL[rng.below(10)];
                let actor = ACTORS[rng.below(3)];
                let reason = reasons[rng.below(reasons.len())];
                let result = check_transition(state, to, actor, reason);
                if state.is_final() {
                    assert_eq!(result, Err(TransitionError::Final { from: state, to }));
                    continue;
                }
                let Ok(()) = result else {
                    // A refused move written into the history anyway is
                    // caught by replay at that index.
                    if step % 7 == 0 {
                        let mut bad = history.clone();
                        let at = format!("{day}T{:02}:{:02}:00+07:00", 8, step + 10);
                        bad.push(Event {
                            reason: reason.map(str::to_string),
                            ..ev(history.len() as u32 + 1, to, &at, actor, None)
                        });
                        assert_eq!(replay(&bad), Err((history.len(), result.unwrap_err())));
                    }
                    continue;
                };
                let row = TRANSITIONS
                    .iter()
                    .find(|r| (r.0, r.1, r.2) == (state, to, actor));
                assert!(
                    row.is_some(),
                    "{state:?}→{to:?} by {actor:?} not in the table"
                );
                let kept = clean_reason(reason).unwrap();
                if to.needs_reason() {
                    assert!(kept.is_some_and(|r| !r.is_empty() && r == r.trim()));
                }
                accepted_moves.insert((state.code(), to.code(), actor as u8));
                day = day.add_days(rng.below(4) as i32);
                let at = format!("{day}T{:02}:{:02}:00+07:00", 8, step + 10);
                history.push(ev(history.len() as u32 + 1, to, &at, actor, kept));
                state = to;
                assert!(Status::ALL.contains(&state));
                assert_eq!(Status::from_code(state.code()), Some(state));
                reached[usize::from(state.code() - 1)] = true;
                assert_eq!(replay(&history), Ok(state));
            }
            assert_eq!(replay(&history), Ok(state));
            for e in &history {
                if e.status.needs_reason() {
                    assert!(e.reason.as_deref().is_some_and(|r| !r.trim().is_empty()));
                }
            }
            // The clock never panics and agrees with the end state.
            let promised = add_working_days(start, 1 + rng.below(20) as u32);
            let t = timeliness(promised, &history, day.add_days(rng.below(30) as i32));
            match state {
                NotAccepted | Withdrawn | Stopped => assert_eq!(t, Timeliness::NotApplicable),
                Done | Returned => {
                    assert!(matches!(t, Timeliness::DoneOnTime | Timeliness::DoneLate))
                }
                _ => assert!(
                    t.on_time().is_some()
                        && !matches!(t, Timeliness::DoneOnTime | Timeliness::DoneLate)
                ),
            }
            assert!(deadline(promised, &history) >= promised);
        }
        // The walk covered every status (1 is the start) and every row.
        assert!(reached[1..].iter().all(|&r| r));
        assert_eq!(accepted_moves.len(), TRANSITIONS.len());
    }
}
