//! Civil dates and Vietnamese working days, without a date crate.
//!
//! [`Date`] is a proleptic Gregorian calendar date. Days are counted from
//! 1970-01-01 with Howard Hinnant's `days_from_civil` / `civil_from_days`
//! algorithms (<https://howardhinnant.github.io/date_algorithms.html>).
//!
//! Working days follow the calendar of state agencies: Monday to Friday,
//! less public holidays and the days off the government announces around
//! them, plus the Saturdays it declares working days in exchange. See
//! [`is_working_day`] and [`add_working_days`].

use core::fmt;

/// A calendar date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The date, if it exists (month 1–12, day within the month, leap years
    /// included).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, zero-padded, no spaces)
    /// into a real date. Anything else is `None`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: core::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        Date::new(num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_days(self) -> i32 {
        let m = i32::from(self.month);
        let d = i32::from(self.day);
        let y = if m <= 2 { self.year - 1 } else { self.year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i32::from(month <= 2);
        Date { year, month, day }
    }

    /// The local date at a Unix time, for a zone `utc_offset_secs` east of
    /// UTC (Vietnam: `7 * 3600`).
    pub fn from_unix(secs: i64, utc_offset_secs: i32) -> Date {
        Date::from_days((secs + i64::from(utc_offset_secs)).div_euclid(86_400) as i32)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.to_days() + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    pub fn add_days(self, n: i32) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// The same day `n` years later (or earlier); 29 February becomes
    /// 28 February in a common year.
    pub fn add_years(self, n: i32) -> Date {
        let year = self.year + n;
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// Whole years from `self` to `later` (an age: the count goes up on the
    /// anniversary). Negative when `later` is earlier.
    pub fn years_until(self, later: Date) -> i32 {
        let mut years = later.year - self.year;
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// `YYMMDD`, as in dossier codes: 2026-11-23 → `261123`.
    pub fn yymmdd(self) -> String {
        format!(
            "{:02}{:02}{:02}",
            self.year.rem_euclid(100),
            self.month,
            self.day
        )
    }

    /// How a person reads it: `23/11/2026` (vi) or `23 November 2026` (en).
    pub fn display(self, lang: &str) -> String {
        if lang == "en" {
            format!(
                "{} {} {}",
                self.day,
                MONTHS_EN[usize::from(self.month - 1)],
                self.year
            )
        } else {
            format!("{:02}/{:02}/{}", self.day, self.month, self.year)
        }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// ---------------------------------------------------------------------------
// Holidays
//
// Labour Code 2019 (45/2019/QH14), art. 112(1): paid public holidays are
//   Tết Dương lịch 1/1 (1 day); Tết Âm lịch (5 days, the Prime Minister fixes
//   which); Victory Day 30/4; International Labour Day 1/5; National Day 2/9
//   plus one day before or after it; Giỗ Tổ Hùng Vương 10/3 of the lunar
//   calendar. Art. 112(3): a holiday that falls on the weekly rest day is
//   made up on the next working day. The Ministry of Home Affairs (earlier
//   MOLISA) announces each year's days off for civil servants, sometimes
//   swapping a working day for a later Saturday ("hoán đổi", "làm bù").
//
// Not (yet) a holiday: the Politburo chose 24/11 as "Ngày Văn hóa Việt Nam"
// with the intent that it become a paid day off (Resolution 80-NQ/TW; the
// Government's Resolution 30/NQ-CP, 2/2026, tasks amending art. 112(1)).
// As of the sources read (2/2026) the Labour Code was not yet amended, so
// 24/11 is not in the table. Add it when the amendment is in force.
//
// DAYS_OFF lists, per year, every day state agencies are closed for a
// holiday: the holidays themselves (also when they fall on a weekend), the
// make-up days and the swapped days. WORKED_WEEKENDS lists the Saturdays
// worked in exchange.
//
// 2024–2026 are the announced schedules (sources below). Every other year
// is an ESTIMATE from the statutory rules (`estimated_days_off`): Tết is
// taken as the last day of the lunar year plus the first four days of the
// new year (the 2026 pattern), the National Day's extra day as the one next
// to a weekend, each holiday on a weekend made up on the next working day,
// and no swaps. The Prime Minister fixes the real days about a year ahead:
// add the year to DAYS_OFF then. The lunar dates come from `crate::lunar`
// (Hồ Ngọc Đức's astronomical algorithm at UTC+7, which also gives the
// announced 2024–2026 dates): Tết (mùng 1) 2027-02-06, 2028-01-26,
// 2029-02-13, 2030-02-02; Giỗ Tổ (10/3 âm lịch) 2027-04-16, 2028-04-04,
// 2029-04-23, 2030-04-12. Tết 2027, 2028 and 2030 also match a published
// astronomical calendar. Note 2030: the new moon falls just before midnight
// Vietnam time on 2 February, so Vietnam's Tết is 2/2 while China's
// (UTC+8) is 3/2.
//
// So a dossier received on 2030-12-30 gets a promised date in 2031 that
// skips New Year's Day and, for a long procedure, the estimated Tết break.
// ---------------------------------------------------------------------------

/// Years whose days off the government has announced (`DAYS_OFF`); the
/// others are estimated from the statutory rules.
pub const ANNOUNCED_YEARS: core::ops::RangeInclusive<i32> = 2024..=2026;

type Md = (u8, u8);

const DAYS_OFF: [(i32, &[Md]); 3] = [
    // 2024. Tết 8–14/2 (PM's approval, 11/2023; Tết is 10/2, a Saturday).
    // 30/4: Mon 29/4 off, worked Sat 4/5 (Government Office 2450/VPCP,
    // 4/2024). National Day Mon 2/9 + Tue 3/9.
    (
        2024,
        &[
            (1, 1),
            (2, 8),
            (2, 9),
            (2, 10),
            (2, 11),
            (2, 12),
            (2, 13),
            (2, 14),
            (4, 18),
            (4, 29),
            (4, 30),
            (5, 1),
            (9, 2),
            (9, 3),
        ],
    ),
    // 2025. Tết Mon 27/1 – Fri 31/1, break 25/1–2/2 (PM's approval,
    // 11/2024). Giỗ Tổ Mon 7/4. 30/4: Fri 2/5 off, worked Sat 26/4.
    // National Day Mon 1/9 + Tue 2/9 (break 30/8–2/9, Ministry of Home
    // Affairs, 8/2025).
    (
        2025,
        &[
            (1, 1),
            (1, 27),
            (1, 28),
            (1, 29),
            (1, 30),
            (1, 31),
            (4, 7),
            (4, 30),
            (5, 1),
            (5, 2),
            (9, 1),
            (9, 2),
        ],
    ),
    // 2026. New Year Thu 1/1 + Fri 2/1 swapped for Sat 10/1 (Government
    // Office 12729/VPCP-KGVX, 25/12/2025). Tết Mon 16/2 – Fri 20/2, break
    // 14/2–22/2, and National Day Tue 1/9 + Wed 2/9 with Mon 31/8 swapped
    // for Sat 22/8 (Ministry of Home Affairs notice 9441/TB-BNV, 16/10/2025).
    // Giỗ Tổ Sun 26/4, made up Mon 27/4. 30/4 Thu, 1/5 Fri.
    (
        2026,
        &[
            (1, 1),
            (1, 2),
            (2, 16),
            (2, 17),
            (2, 18),
            (2, 19),
            (2, 20),
            (4, 26),
            (4, 27),
            (4, 30),
            (5, 1),
            (8, 31),
            (9, 1),
            (9, 2),
        ],
    ),
];

/// Saturdays worked in exchange for a swapped day off (see `DAYS_OFF`).
const WORKED_WEEKENDS: [(i32, u8, u8); 4] =
    [(2024, 5, 4), (2025, 4, 26), (2026, 1, 10), (2026, 8, 22)];

/// Is `d` a day off for a public holiday: a holiday of the Labour Code
/// (art. 112), a day that makes up for one falling on a weekend, or a
/// working day swapped to lengthen a holiday? Holiday dates on a weekend
/// count too. Outside [`ANNOUNCED_YEARS`] the days are estimated.
pub fn is_public_holiday(d: Date) -> bool {
    if let Some((_, days)) = DAYS_OFF.iter().find(|(y, _)| *y == d.year) {
        return days.contains(&(d.month, d.day));
    }
    ESTIMATES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.iter().any(|(y, _)| *y == d.year) {
            if cache.len() >= 8 {
                cache.remove(0);
            }
            cache.push((d.year, estimated_days_off(d.year)));
        }
        cache
            .iter()
            .find(|(y, _)| *y == d.year)
            .is_some_and(|(_, days)| days.contains(&(d.month, d.day)))
    })
}

std::thread_local! {
    /// The estimated days off of the last few years asked about: working
    /// days are counted one day at a time, and the lunar dates cost a few
    /// hundred sines a year.
    static ESTIMATES: core::cell::RefCell<Vec<(i32, Vec<Md>)>> =
        const { core::cell::RefCell::new(Vec::new()) };
}

/// The days off of a year the government has not announced, by the rules
/// in the note above `ANNOUNCED_YEARS`, in chronological order.
fn estimated_days_off(year: i32) -> Vec<Md> {
    let d = |m: u8, day: u8| Date {
        year,
        month: m,
        day,
    };
    let tet = crate::lunar::tet(year);
    let national_day = d(9, 2);
    // The extra day: Friday 1/9 before a Saturday 2/9, Monday 3/9 after a
    // Sunday; otherwise the side that touches a weekend, else the day before.
    let extra = match national_day.weekday() {
        Weekday::Thu | Weekday::Sun | Weekday::Mon => d(9, 3),
        _ => d(9, 1),
    };
    let groups: [Vec<Date>; 5] = [
        vec![d(1, 1)],
        (-1..=3).map(|i| tet.add_days(i)).collect(),
        vec![crate::lunar::hung_kings(year)],
        vec![d(4, 30), d(5, 1)],
        vec![extra.min(national_day), extra.max(national_day)],
    ];
    let mut off: Vec<Date> = groups.iter().flatten().copied().collect();
    // A holiday on a weekend is made up on the next working day after its
    // group that is not itself a day off.
    for group in &groups {
        let mut day = group[group.len() - 1];
        for _ in group.iter().filter(|g| g.weekday().is_weekend()) {
            day = day.add_days(1);
            while day.weekday().is_weekend() || off.contains(&day) {
                day = day.add_days(1);
            }
            off.push(day);
        }
    }
    off.sort();
    off.into_iter()
        .filter(|x| x.year == year)
        .map(|x| (x.month, x.day))
        .collect()
}

/// Is `d` a working day for state agencies: Monday to Friday and not a
/// holiday day off, or a Saturday worked in exchange for one?
pub fn is_working_day(d: Date) -> bool {
    if WORKED_WEEKENDS.contains(&(d.year, d.month, d.day)) {
        return true;
    }
    !d.weekday().is_weekend() && !is_public_holiday(d)
}

/// The first working day on or after `d`.
pub fn next_working_day(mut d: Date) -> Date {
    while !is_working_day(d) {
        d = d.add_days(1);
    }
    d
}

/// The promised date for a statutory processing time of `n` working days.
///
/// A dossier received on a day that is not a working day (a weekend, a
/// holiday, online at night on a day off) counts as received on the next
/// working day. Counting starts on the working day after that: day 1 is the
/// first working day after receipt, and the result is the n-th one. With
/// `n = 0` the result is the day of receipt itself (moved to the next
/// working day if needed). Weekends, holidays and make-up days off are
/// skipped; Saturdays worked in exchange count.
///
/// Example: received Friday 2026-02-13 with 1 working day → Monday
/// 2026-02-23, the first working day after the Tết 2026 break.
pub fn add_working_days(received: Date, n: u32) -> Date {
    let mut d = next_working_day(received);
    for _ in 0..n {
        d = next_working_day(d.add_days(1));
    }
    d
}

#[cfg(test)]
mod tests;
