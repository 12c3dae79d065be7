//! A dossier's timeline: its events, their RFC 3339 times, and replaying a
//! stored history to check it and find the status it ends in.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::date::Date;

use super::transition::{check_transition, clean_reason, TransitionError};
use super::{Actor, Status};

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
pub(super) fn parse_at(at: &str) -> Option<(Date, i64)> {
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
