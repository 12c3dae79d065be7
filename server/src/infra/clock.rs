//! The server's clock, in Vietnam's time (UTC+7, no daylight saving).
//! Injectable so tests can pick "today".

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Vietnam's offset from UTC, in seconds.
pub const VN_OFFSET_SECS: i64 = 7 * 3600;

/// Where the time comes from.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(SystemTime::now))
    }

    /// Always the same instant.
    pub fn fixed(at: SystemTime) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// Any source of time (tests move it forward).
    pub fn from_fn(f: impl Fn() -> SystemTime + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    /// Starts at `at` and runs on with the machine's clock (tests and
    /// demos that must see one date: `--clock-start`).
    pub fn starting_at(at: SystemTime) -> Clock {
        let began = std::time::Instant::now();
        Clock(Arc::new(move || at + began.elapsed()))
    }

    /// The local (UTC+7) date and time now.
    pub fn now(&self) -> LocalTime {
        LocalTime::from_system((self.0)())
    }

    /// The instant now.
    pub fn system_time(&self) -> SystemTime {
        (self.0)()
    }

    /// Today in Vietnam.
    pub fn today(&self) -> cuaso_domain::Date {
        let n = self.now();
        cuaso_domain::Date::new(n.year, n.month as u8, n.day as u8)
            .expect("the calendar gives real dates")
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// A wall-clock time in Vietnam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl LocalTime {
    pub fn from_system(t: SystemTime) -> LocalTime {
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        };
        LocalTime::from_unix(secs)
    }

    /// From seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix(secs: i64) -> LocalTime {
        let local = secs + VN_OFFSET_SECS;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// `YYYY-MM-DD`.
    pub fn date_string(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// RFC 3339 with the `+07:00` offset.
    pub fn rfc3339(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}+07:00",
            self.date_string(),
            self.hour,
            self.minute,
            self.second
        )
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as SQLite's `strftime('%Y-%m-%dT%H:%M:%SZ')`
/// writes it, so the two compare as strings.
pub fn utc_string(t: SystemTime) -> String {
    let l = LocalTime::from_system(t - Duration::from_secs(VN_OFFSET_SECS as u64));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        l.date_string(),
        l.hour,
        l.minute,
        l.second
    )
}

/// Parses an RFC 3339 instant: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`
/// (`t` or a space for `T`, `z` for `Z`).
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = cuaso_domain::Date::parse(&s[..10])?;
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        o if o.len() == 6 && o.as_bytes()[3] == b':' => {
            let sign = match o.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = o[1..3].parse().ok()?;
            let om: i64 = o[4..6].parse().ok()?;
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let secs = i64::from(date.to_days()) * 86_400 + h * 3600 + mi * 60 + sec - offset;
    Some(if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    })
}

/// The instant at a Vietnamese wall-clock time (for tests and fixtures).
pub fn vn_time(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> SystemTime {
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60) - VN_OFFSET_SECS;
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_vietnam_time() {
        // 2024-12-31T17:30:00Z is already New Year's Day in Vietnam.
        let t = LocalTime::from_unix(1_735_666_200);
        assert_eq!(t.rfc3339(), "2025-01-01T00:30:00+07:00");
        assert_eq!(
            LocalTime::from_unix(0).rfc3339(),
            "1970-01-01T07:00:00+07:00"
        );
        // A leap day.
        let t = LocalTime::from_system(vn_time(2024, 2, 29, 23, 59));
        assert_eq!(t.rfc3339(), "2024-02-29T23:59:00+07:00");
    }

    #[test]
    fn civil_round_trips() {
        for days in [-1_000_000, -1, 0, 1, 10_957, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn rfc3339_instants() {
        assert_eq!(
            parse_rfc3339("2026-11-23T09:00:00+07:00"),
            Some(vn_time(2026, 11, 23, 9, 0))
        );
        assert_eq!(
            parse_rfc3339("2026-11-23T02:00:00Z"),
            Some(vn_time(2026, 11, 23, 9, 0))
        );
        assert_eq!(
            parse_rfc3339("2026-11-22T21:00:00.5-05:00"),
            Some(vn_time(2026, 11, 23, 9, 0))
        );
        for bad in [
            "2026-11-23",
            "2026-11-23T09:00:00",
            "2026-11-23T25:00:00Z",
            "2026-02-30T09:00:00Z",
            "2026-11-23T09:00:00+7",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        let c = Clock::starting_at(vn_time(2026, 11, 23, 9, 0));
        assert_eq!(c.today().to_string(), "2026-11-23");
        assert!(c.system_time() >= vn_time(2026, 11, 23, 9, 0));
    }

    #[test]
    fn fixed_clock() {
        let c = Clock::fixed(vn_time(2025, 3, 7, 10, 0));
        assert_eq!(c.now().date_string(), "2025-03-07");
        assert_eq!(c.today().to_string(), "2025-03-07");
        assert_eq!(utc_string(c.system_time()), "2025-03-07T03:00:00Z");
        assert_eq!(
            utc_string(vn_time(2025, 1, 1, 3, 4)),
            "2024-12-31T20:04:00Z"
        );
    }
}
