//! Dates as the pages need them: today on the device's calendar, and a date
//! written the Vietnamese way.

use cuaso_domain::date::Date;

/// Today on the device's calendar.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::new(
        d.get_full_year() as i32,
        d.get_month() as u8 + 1,
        d.get_date() as u8,
    )
    .unwrap_or(Date::new(2026, 1, 1).unwrap())
}

/// `2026-11-30` (or the start of an RFC 3339 time) → `30/11/2026`.
pub fn date_vn(iso: &str) -> String {
    match Date::parse(iso.get(..10).unwrap_or(iso)) {
        Some(d) => format!("{:02}/{:02}/{}", d.day, d.month, d.year),
        None => iso.to_string(),
    }
}
