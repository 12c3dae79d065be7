//! Tests of [`crate::date`]: civil dates, the day-off table and working-day arithmetic.

use super::*;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

#[test]
fn new_checks_month_lengths_and_leap_years() {
    assert!(Date::new(2024, 2, 29).is_some());
    assert!(Date::new(2000, 2, 29).is_some());
    assert!(Date::new(1900, 2, 29).is_none());
    assert!(Date::new(2026, 2, 29).is_none());
    assert!(Date::new(2026, 4, 31).is_none());
    assert!(Date::new(2026, 13, 1).is_none());
    assert!(Date::new(2026, 0, 1).is_none());
    assert!(Date::new(2026, 1, 0).is_none());
    assert!(Date::new(2026, 12, 31).is_some());
}

#[test]
fn parse_is_strict() {
    assert_eq!(Date::parse("2026-02-03"), Some(d(2026, 2, 3)));
    assert_eq!(Date::parse("2024-02-29"), Some(d(2024, 2, 29)));
    for bad in [
        "2026-02-30",
        "2026-2-3",
        " 2026-02-03",
        "2026-02-03 ",
        "２０２６-02-03",
        "２０２６－０２－０３",
        "2026/02/03",
        "20260203",
        "2026-02-3x",
        "+026-02-03",
        "2026-00-10",
        "",
        "2026-02-0٣",
    ] {
        assert_eq!(Date::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn display_round_trips() {
    let x = d(2026, 2, 3);
    assert_eq!(x.to_string(), "2026-02-03");
    assert_eq!(Date::parse(&x.to_string()), Some(x));
    assert_eq!(d(33, 1, 5).to_string(), "0033-01-05");
    assert_eq!(x.display("vi"), "03/02/2026");
    assert_eq!(x.display("en"), "3 February 2026");
    assert_eq!(d(2026, 11, 23).yymmdd(), "261123");
    assert_eq!(d(2005, 1, 9).yymmdd(), "050109");
}

#[test]
fn days_round_trip() {
    assert_eq!(d(1970, 1, 1).to_days(), 0);
    assert_eq!(d(1969, 12, 31).to_days(), -1);
    assert_eq!(d(2000, 3, 1).to_days(), 11_017);
    assert_eq!(Date::from_days(0), d(1970, 1, 1));
    assert_eq!(Date::from_days(-719_468), d(0, 3, 1));
    // Every day over a few centuries, both ways, in order.
    let mut prev = d(1799, 12, 31).to_days();
    let mut x = d(1800, 1, 1);
    while x.year < 2401 {
        let n = x.to_days();
        assert_eq!(n, prev + 1, "{x}");
        assert_eq!(Date::from_days(n), x);
        prev = n;
        x = if x.day < days_in_month(x.year, x.month) {
            Date {
                day: x.day + 1,
                ..x
            }
        } else if x.month < 12 {
            d(x.year, x.month + 1, 1)
        } else {
            d(x.year + 1, 1, 1)
        };
    }
}

#[test]
fn weekdays_and_arithmetic() {
    assert_eq!(d(1970, 1, 1).weekday(), Weekday::Thu);
    assert_eq!(d(2026, 2, 13).weekday(), Weekday::Fri);
    assert_eq!(d(2026, 2, 17).weekday(), Weekday::Tue);
    assert_eq!(d(1900, 1, 1).weekday(), Weekday::Mon);
    assert_eq!(d(2024, 2, 28).add_days(1), d(2024, 2, 29));
    assert_eq!(d(2026, 2, 28).add_days(1), d(2026, 3, 1));
    assert_eq!(d(2026, 1, 1).add_days(-1), d(2025, 12, 31));
    assert_eq!(d(2024, 2, 29).add_years(1), d(2025, 2, 28));
    assert_eq!(d(2024, 2, 29).add_years(-130), d(1894, 2, 28));
    assert_eq!(d(2000, 5, 10).years_until(d(2026, 5, 9)), 25);
    assert_eq!(d(2000, 5, 10).years_until(d(2026, 5, 10)), 26);
    // 2026-02-13 12:00 in Vietnam is 05:00 UTC.
    assert_eq!(Date::from_unix(1_770_958_800, 7 * 3600), d(2026, 2, 13));
    assert_eq!(Date::from_unix(-1, 0), d(1969, 12, 31));
}

#[test]
fn table_is_well_formed() {
    for (y, days) in DAYS_OFF {
        assert!(ANNOUNCED_YEARS.contains(&y));
        for &(m, day) in days {
            assert!(Date::new(y, m, day).is_some(), "{y}-{m}-{day}");
        }
        // The fixed-date holidays are always there.
        for md in [(1, 1), (4, 30), (5, 1), (9, 2)] {
            assert!(days.contains(&md), "{y} {md:?}");
        }
        // 11 statutory days; make-up and swapped days only add to them.
        assert!(days.len() >= 11, "{y}");
    }
    for (y, m, day) in WORKED_WEEKENDS {
        assert_eq!(d(y, m, day).weekday(), Weekday::Sat);
    }
    // Each year keeps the same number of working days as the plain
    // statutory calendar would give: every swap has its Saturday.
    let swapped = [d(2024, 4, 29), d(2025, 5, 2), d(2026, 1, 2), d(2026, 8, 31)];
    assert_eq!(swapped.len(), WORKED_WEEKENDS.len());
    for s in swapped {
        assert!(is_public_holiday(s) && !s.weekday().is_weekend());
    }
}

#[test]
fn weekends_are_skipped() {
    // Fri 2026-03-06 + 1 → Mon 2026-03-09.
    assert_eq!(add_working_days(d(2026, 3, 6), 1), d(2026, 3, 9));
    // Mon + 5 → next Mon.
    assert_eq!(add_working_days(d(2026, 3, 9), 5), d(2026, 3, 16));
    assert_eq!(add_working_days(d(2026, 3, 9), 10), d(2026, 3, 23));
    // Received on Saturday: counts as Monday, day 1 is Tuesday.
    assert_eq!(add_working_days(d(2026, 3, 7), 1), d(2026, 3, 10));
}

#[test]
fn tet_is_skipped() {
    assert_eq!(add_working_days(d(2026, 2, 13), 1), d(2026, 2, 23));
    assert_eq!(add_working_days(d(2026, 2, 12), 2), d(2026, 2, 23));
    for day in 16..=20 {
        assert!(!is_working_day(d(2026, 2, day)));
        assert!(is_public_holiday(d(2026, 2, day)));
    }
    assert!(is_working_day(d(2026, 2, 23)));
    assert!(!is_public_holiday(d(2026, 2, 14)));
    // 2025: Fri 24/1 + 1 → Mon 3/2.
    assert_eq!(add_working_days(d(2025, 1, 24), 1), d(2025, 2, 3));
    // 2030 estimate uses Vietnam's Tết (2/2), not China's (3/2).
    assert!(is_public_holiday(d(2030, 2, 2)));
    assert!(!is_working_day(d(2030, 2, 1)));
    assert_eq!(add_working_days(d(2030, 1, 31), 1), d(2030, 2, 8));
}

#[test]
fn april_30_and_may_1() {
    // 2026: Thu 30/4 and Fri 1/5.
    assert_eq!(add_working_days(d(2026, 4, 29), 1), d(2026, 5, 4));
    // 2024: Mon 29/4 swapped, Sat 4/5 worked.
    assert_eq!(add_working_days(d(2024, 4, 26), 1), d(2024, 5, 2));
    assert_eq!(add_working_days(d(2024, 5, 3), 1), d(2024, 5, 4));
    assert!(is_working_day(d(2024, 5, 4)));
    // 2025: Sat 26/4 worked, 30/4–2/5 off.
    assert_eq!(add_working_days(d(2025, 4, 25), 1), d(2025, 4, 26));
    assert_eq!(add_working_days(d(2025, 4, 26), 1), d(2025, 4, 28));
    assert_eq!(add_working_days(d(2025, 4, 29), 1), d(2025, 5, 5));
}

#[test]
fn compensatory_days() {
    // Giỗ Tổ 2026 is Sunday 26/4; Monday 27/4 is made up.
    assert!(is_public_holiday(d(2026, 4, 26)));
    assert!(!is_working_day(d(2026, 4, 27)));
    assert_eq!(add_working_days(d(2026, 4, 24), 1), d(2026, 4, 28));
    // New Year 2026: Fri 2/1 swapped for Sat 10/1.
    assert_eq!(add_working_days(d(2025, 12, 31), 1), d(2026, 1, 5));
    assert!(is_working_day(d(2026, 1, 10)));
    assert_eq!(add_working_days(d(2026, 1, 9), 1), d(2026, 1, 10));
    // National Day 2026: 31/8–2/9 off, Sat 22/8 worked.
    assert_eq!(add_working_days(d(2026, 8, 28), 1), d(2026, 9, 3));
    assert!(is_working_day(d(2026, 8, 22)));
    // Estimates: 1/1/2028 is a Saturday, made up Monday 3/1.
    assert!(!is_working_day(d(2028, 1, 3)));
}

#[test]
fn zero_days_is_the_day_of_receipt() {
    assert_eq!(add_working_days(d(2026, 3, 11), 0), d(2026, 3, 11));
    assert_eq!(add_working_days(d(2026, 3, 14), 0), d(2026, 3, 16));
    assert_eq!(add_working_days(d(2026, 2, 14), 0), d(2026, 2, 23));
    assert_eq!(add_working_days(d(2026, 1, 10), 0), d(2026, 1, 10));
}

#[test]
fn estimates_follow_the_statutory_rules() {
    // The estimates this table held before they were computed, worked out
    // by hand from the same rules:
    // 2027: Tết 5/2 (Fri, eve) – 9/2, Sat 6 and Sun 7 made up Wed 10 and
    //   Thu 11. Giỗ Tổ Fri 16/4. 1/5 Sat made up Mon 3/5. 2/9 Thu + Fri 3/9.
    // 2028: 1/1 Sat made up Mon 3/1. Tết 25/1 (Tue, eve) – 29/1, Sat 29
    //   made up Mon 31/1. Giỗ Tổ Tue 4/4. 30/4 Sun made up Tue 2/5 (Mon
    //   1/5 is itself a holiday). Fri 1/9 + Sat 2/9, made up Mon 4/9.
    // 2029: Tết Mon 12/2 (eve) – Fri 16/2. Giỗ Tổ Mon 23/4. 30/4 Mon,
    //   1/5 Tue. 2/9 Sun + Mon 3/9, Sunday made up Tue 4/9.
    // 2030: Tết 1/2 (Fri, eve) – 5/2, Sat 2 and Sun 3 made up Wed 6 and
    //   Thu 7. Giỗ Tổ Fri 12/4. 30/4 Tue, 1/5 Wed. 2/9 Mon + Tue 3/9.
    let by_hand: [(i32, &[Md]); 4] = [
        (
            2027,
            &[
                (1, 1),
                (2, 5),
                (2, 6),
                (2, 7),
                (2, 8),
                (2, 9),
                (2, 10),
                (2, 11),
                (4, 16),
                (4, 30),
                (5, 1),
                (5, 3),
                (9, 2),
                (9, 3),
            ][..],
        ),
        (
            2028,
            &[
                (1, 1),
                (1, 3),
                (1, 25),
                (1, 26),
                (1, 27),
                (1, 28),
                (1, 29),
                (1, 31),
                (4, 4),
                (4, 30),
                (5, 1),
                (5, 2),
                (9, 1),
                (9, 2),
                (9, 4),
            ][..],
        ),
        (
            2029,
            &[
                (1, 1),
                (2, 12),
                (2, 13),
                (2, 14),
                (2, 15),
                (2, 16),
                (4, 23),
                (4, 30),
                (5, 1),
                (9, 2),
                (9, 3),
                (9, 4),
            ][..],
        ),
        (
            2030,
            &[
                (1, 1),
                (2, 1),
                (2, 2),
                (2, 3),
                (2, 4),
                (2, 5),
                (2, 6),
                (2, 7),
                (4, 12),
                (4, 30),
                (5, 1),
                (9, 2),
                (9, 3),
            ][..],
        ),
    ];
    for (y, days) in by_hand {
        assert_eq!(estimated_days_off(y), days.to_vec(), "{y}");
    }
}

#[test]
fn the_first_year_after_the_table() {
    // Tết 2031 is 23/1 (Thu): eve Wed 22/1 – Sun 26/1, Sat 25 and Sun 26
    // made up Mon 27 and Tue 28.
    let off: Vec<Date> = (0..365)
        .map(|i| d(2031, 1, 1).add_days(i))
        .filter(|&x| is_public_holiday(x))
        .collect();
    assert_eq!(
        off,
        [
            d(2031, 1, 1),
            d(2031, 1, 22),
            d(2031, 1, 23),
            d(2031, 1, 24),
            d(2031, 1, 25),
            d(2031, 1, 26),
            d(2031, 1, 27),
            d(2031, 1, 28),
            d(2031, 4, 1),
            d(2031, 4, 30),
            d(2031, 5, 1),
            d(2031, 9, 1),
            d(2031, 9, 2),
        ]
    );
    // A dossier received on Monday 2030-12-30 with 5 working days:
    // 31/12, then 2, 3, 6 and 7 January (1/1 is New Year's Day).
    assert_eq!(add_working_days(d(2030, 12, 30), 5), d(2031, 1, 7));
    // With 20: the Tết break and its make-up days are skipped.
    assert_eq!(add_working_days(d(2030, 12, 30), 20), d(2031, 2, 4));
}
