//! Opening hours: `HH:MM` times, the local time in Vietnam whatever the
//! phone's zone, and whether a site is open now (or when it opens next).

use super::*;

/// `HH:MM` → minutes after midnight (`24:00` → 1440).
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    // Two ASCII digits each: `str::parse` alone would take "+7".
    let digits = |x: &str| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// A moment in Vietnam's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    /// Minutes after midnight.
    pub minute: u16,
}

impl LocalTime {
    /// Vietnam's local time at a Unix time in seconds, whatever the time
    /// zone of the device that asks.
    pub fn vietnam(unix_secs: i64) -> LocalTime {
        let local = unix_secs + VN_OFFSET_SECS;
        LocalTime {
            date: Date::from_days(local.div_euclid(86_400) as i32),
            minute: (local.rem_euclid(86_400) / 60) as u16,
        }
    }

    /// `HH:MM`.
    pub fn hhmm(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }
}

/// Whether a site is open, from its hours and a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenState {
    /// No gate, no hours.
    AlwaysOpen,
    /// Open now, until `closes` (the same day).
    Open { closes: LocalTime },
    /// Closed now; opens next at `next` (within the coming 60 days), and
    /// today is special because of `reason`.
    Closed {
        next: Option<LocalTime>,
        reason: Option<ExceptionReason>,
    },
    /// No hours are known.
    Unknown,
}

fn weekday_number(d: Date) -> u8 {
    match d.weekday() {
        Weekday::Mon => 1,
        Weekday::Tue => 2,
        Weekday::Wed => 3,
        Weekday::Thu => 4,
        Weekday::Fri => 5,
        Weekday::Sat => 6,
        Weekday::Sun => 7,
    }
}

impl OpeningHours {
    /// Checks every time and date.
    pub fn check(&self) -> Result<(), String> {
        for r in &self.weekly {
            let (o, c) = (parse_hhmm(&r.open), parse_hhmm(&r.close));
            if r.days.is_empty() || r.days.iter().any(|d| !(1..=7).contains(d)) {
                return Err("weekly rule days must be 1–7".into());
            }
            match (o, c) {
                (Some(o), Some(c)) if o < c => {}
                _ => return Err(format!("bad weekly hours {}–{}", r.open, r.close)),
            }
        }
        for e in &self.exceptions {
            let (Some(from), Some(to)) = (Date::parse(&e.from), Date::parse(&e.to)) else {
                return Err(format!("bad exception dates {}–{}", e.from, e.to));
            };
            if to < from {
                return Err(format!("exception ends before it starts: {}", e.from));
            }
            match (&e.open, &e.close) {
                (None, None) => {}
                (Some(o), Some(c)) => match (parse_hhmm(o), parse_hhmm(c)) {
                    (Some(o), Some(c)) if o < c => {}
                    _ => return Err(format!("bad exception hours {o}–{c}")),
                },
                _ => return Err("an exception needs both open and close, or neither".into()),
            }
        }
        Ok(())
    }

    /// The exception covering `d`, if any (the first listed wins).
    pub fn exception_on(&self, d: Date) -> Option<&HoursException> {
        self.exceptions.iter().find(|e| {
            matches!((Date::parse(&e.from), Date::parse(&e.to)), (Some(f), Some(t)) if f <= d && d <= t)
        })
    }

    /// The opening intervals of a day, in minutes, sorted.
    pub fn intervals_on(&self, d: Date) -> Vec<(u16, u16)> {
        if let Some(e) = self.exception_on(d) {
            return match (
                e.open.as_deref().and_then(parse_hhmm),
                e.close.as_deref().and_then(parse_hhmm),
            ) {
                (Some(o), Some(c)) => vec![(o, c)],
                _ => Vec::new(),
            };
        }
        let wd = weekday_number(d);
        let mut v: Vec<(u16, u16)> = self
            .weekly
            .iter()
            .filter(|r| r.days.contains(&wd))
            .filter_map(|r| Some((parse_hhmm(&r.open)?, parse_hhmm(&r.close)?)))
            .collect();
        v.sort();
        v
    }

    /// Open or closed at `now` (Vietnam time), and when that changes.
    pub fn state_at(&self, now: LocalTime) -> OpenState {
        if self.always_open {
            return OpenState::AlwaysOpen;
        }
        if self.weekly.is_empty() && self.exceptions.is_empty() {
            return OpenState::Unknown;
        }
        let today = self.intervals_on(now.date);
        if let Some(&(_, c)) = today
            .iter()
            .find(|(o, c)| *o <= now.minute && now.minute < *c)
        {
            return OpenState::Open {
                closes: LocalTime {
                    date: now.date,
                    minute: c,
                },
            };
        }
        let reason = self.exception_on(now.date).map(|e| e.reason);
        let later_today = today
            .iter()
            .find(|(o, _)| *o > now.minute)
            .map(|&(o, _)| LocalTime {
                date: now.date,
                minute: o,
            });
        let next = later_today.or_else(|| {
            (1..=60).find_map(|i| {
                let d = now.date.add_days(i);
                self.intervals_on(d)
                    .first()
                    .map(|&(o, _)| LocalTime { date: d, minute: o })
            })
        });
        OpenState::Closed { next, reason }
    }
}
