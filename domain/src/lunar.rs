//! The Vietnamese lunisolar calendar (âm lịch), enough to find the lunar
//! holidays of any year: Tết (1/1) and Giỗ Tổ Hùng Vương (10/3).
//!
//! Hồ Ngọc Đức's algorithm ("Thuật toán tính âm lịch",
//! <https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html>): new
//! moons and the sun's longitude from Jean Meeus's "Astronomical
//! Algorithms" at Vietnam's meridian (UTC+7). The 11th lunar month is the one
//! holding the winter solstice; in a year of 13 months the first month with
//! no major solar term is the leap one. `date.rs` keeps the holidays the
//! government announced; this gives the dates of the years it has not
//! announced yet (a test checks it against every announced year).

use core::f64::consts::PI;

use crate::date::Date;

/// Vietnam's offset from UTC, in hours.
const TIME_ZONE: f64 = 7.0;

/// Julian day number of a Gregorian date.
fn jd_from_date(d: Date) -> i64 {
    // Days since 1970-01-01 plus the Julian day number of that date.
    i64::from(d.to_days()) + 2_440_588
}

fn date_from_jd(jd: i64) -> Date {
    Date::from_days((jd - 2_440_588) as i32)
}

/// The time (Julian day, UT) of the `k`-th new moon after 1900-01-01.
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.173_4 - 0.000_393 * t) * (m * dr).sin() + 0.002_1 * (2.0 * dr * m).sin();
    c1 += -0.406_8 * (mpr * dr).sin() + 0.016_1 * (dr * 2.0 * mpr).sin();
    c1 -= 0.000_4 * (dr * 3.0 * mpr).sin();
    c1 += 0.010_4 * (dr * 2.0 * f).sin() - 0.005_1 * (dr * (m + mpr)).sin();
    c1 += -0.007_4 * (dr * (m - mpr)).sin() + 0.000_4 * (dr * (2.0 * f + m)).sin();
    c1 += -0.000_4 * (dr * (2.0 * f - m)).sin() - 0.000_6 * (dr * (2.0 * f + mpr)).sin();
    c1 += 0.001_0 * (dr * (2.0 * f - mpr)).sin() + 0.000_5 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude, in radians in [0, 2π), at Julian day `jdn` (UT).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the 12 major solar terms (0..12) the sun is in at the start of
/// local day `day` (a Julian day number).
fn solar_term(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The local day (Julian day number) of the `k`-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The first day of the lunar month holding the winter solstice of `year`.
fn lunar_month_11(year: i32) -> i64 {
    let off = jd_from_date(Date {
        year,
        month: 12,
        day: 31,
    }) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k);
    if solar_term(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a 13-month year starting at month 11 `a11`: how many months after it
/// the leap month comes (the first month with no major solar term).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = solar_term(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = solar_term(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

/// The solar date of day `day` of the (non-leap) lunar month `month` of
/// lunar year `year`, in Vietnam.
pub fn to_solar(day: u8, month: u8, year: i32) -> Date {
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut off = (i64::from(month) - 11).rem_euclid(12);
    if b11 - a11 > 365 && off >= leap_month_offset(a11) {
        // A leap month comes before this one.
        off += 1;
    }
    date_from_jd(new_moon_day(k + off) + i64::from(day) - 1)
}

/// Tết Nguyên Đán: the first day of the lunar year that starts in `year`.
pub fn tet(year: i32) -> Date {
    to_solar(1, 1, year)
}

/// Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month.
pub fn hung_kings(year: i32) -> Date {
    to_solar(10, 3, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn tet_of_announced_and_published_years() {
        // 2024–2026 as the government announced them; 2027–2030 as date.rs's
        // table has them (2030: Vietnam's Tết is 2/2, China's 3/2).
        let tet_days = [
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
            (2029, d(2029, 2, 13)),
            (2030, d(2030, 2, 2)),
        ];
        for (y, want) in tet_days {
            assert_eq!(tet(y), want, "Tết {y}");
        }
    }

    #[test]
    fn hung_kings_day() {
        let days = [
            (2023, d(2023, 4, 29)), // a year with a leap 2nd month
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
            (2026, d(2026, 4, 26)),
            (2027, d(2027, 4, 16)),
            (2028, d(2028, 4, 4)),
            (2029, d(2029, 4, 23)),
            (2030, d(2030, 4, 12)),
        ];
        for (y, want) in days {
            assert_eq!(hung_kings(y), want, "Giỗ Tổ {y}");
        }
    }

    #[test]
    fn every_year_has_tet_between_21_january_and_20_february() {
        for y in 1990..=2100 {
            let t = tet(y);
            assert_eq!(t.year, y);
            assert!((d(y, 1, 21)..=d(y, 2, 20)).contains(&t), "Tết {y}: {t}");
            let h = hung_kings(y);
            assert!((d(y, 3, 25)..=d(y, 5, 1)).contains(&h), "Giỗ Tổ {y}: {h}");
        }
    }
}
