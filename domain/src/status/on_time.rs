//! The on-time rule: the deadline moved by the first supplement wait, and
//! where a dossier stands against it, counted in working days.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::date::{add_working_days, is_working_day, next_working_day, Date};

use super::timeline::{event_date, Event};
use super::Status;

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
