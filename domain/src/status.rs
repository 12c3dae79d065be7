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
mod tests;
