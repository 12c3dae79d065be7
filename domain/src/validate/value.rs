//! Checks of one typed value: text (length and characters), the CCCD
//! number, mobile phones, emails, dates and upload ids.

use crate::address::CCCD_PROVINCE_CODES;
use crate::date::Date;
use crate::form::DateRule;

use super::problem::Problem;

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Characters as a reader counts them: combining marks do not add length.
pub fn visible_len(s: &str) -> usize {
    s.chars().filter(|&c| !is_combining(c)).count()
}

fn is_forbidden(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !multiline,
        '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Checks a (trimmed, non-empty) text answer: length, then characters.
pub fn check_text(s: &str, max: u32, multiline: bool) -> Result<(), Problem> {
    let max_us = max as usize;
    // Bytes bound chars from above: skip counting a huge answer.
    if s.len() > 12 * max_us || visible_len(s) > max_us || s.chars().count() > 3 * max_us {
        return Err(Problem::TooLong { max });
    }
    if s.chars().any(|c| is_forbidden(c, multiline)) {
        return Err(Problem::InvalidChars);
    }
    Ok(())
}

/// The digits of a number typed with spaces, dots or dashes between groups
/// ("045 203 001 234", "0912.345.678"); full-width digits (０–９, from
/// some phone keyboards) become ASCII. `None` if anything else is there.
pub fn normalize_digits(s: &str) -> Option<String> {
    if s.len() > 64 {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '\u{A0}' | '.' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Checks a personal identification number (số định danh cá nhân, the
/// CCCD number), typed with or without spaces between groups:
/// - 12 digits;
/// - digits 1–3: province of birth registration ([`CCCD_PROVINCE_CODES`]);
/// - digit 4: century and sex (Circular 07/2016/TT-BCA, art. 7): 0/1 born
///   1900–1999 male/female, 2/3 2000–2099, 4/5 2100s, 6/7 2200s, 8/9 2300s.
///   Only 0–3 can occur today, so 4–9 are refused;
/// - digits 5–6: the last two digits of the birth year, checked against
///   `birth` when given.
pub fn check_cccd(s: &str, birth: Option<Date>) -> Result<(), Problem> {
    let n = normalize_digits(s)
        .filter(|n| n.len() == 12)
        .ok_or(Problem::CccdShape)?;
    let b = n.as_bytes();
    let digit = |i: usize| i32::from(b[i] - b'0');
    let province = digit(0) * 100 + digit(1) * 10 + digit(2);
    if province > 99 || !CCCD_PROVINCE_CODES.contains(&(province as u8)) {
        return Err(Problem::CccdProvince {
            code: n[..3].to_string(),
        });
    }
    let century = digit(3);
    if century > 3 {
        return Err(Problem::CccdCentury);
    }
    if let Some(birth) = birth {
        let year = 1900 + 100 * (century / 2) + digit(4) * 10 + digit(5);
        if year != birth.year {
            return Err(Problem::CccdBirthMismatch);
        }
    }
    Ok(())
}

/// Mobile prefixes in use (after the 2018 move from 11 to 10 digits):
/// 032–039 (Viettel, from 0162–0169), 052 (Vietnamobile), 055 (Reddi),
/// 056/058 (Vietnamobile, from 0186/0188), 059 (Gmobile, from 0199),
/// 070/076–079 (MobiFone, from 0120/0126/0122/0128/0121), 081–085
/// (VinaPhone, from 0127/0129/0123/0124/0125), 086 (Viettel), 087 (Itel),
/// 088 (VinaPhone), 089 (MobiFone), 090/093 (MobiFone), 091/094
/// (VinaPhone), 092 (Vietnamobile), 096–098 (Viettel), 099 (Gmobile).
/// 095 (the former S-Fone) is not in use. The 2018 conversions were checked
/// against published conversion tables; 052, 055 and 087 are from memory of
/// operators' announcements, not re-verified.
fn is_mobile_prefix(p: &[u8]) -> bool {
    match p {
        [b'3', b'2'..=b'9'] => true,
        [b'5', x] => matches!(x, b'2' | b'5' | b'6' | b'8' | b'9'),
        [b'7', x] => matches!(x, b'0' | b'6'..=b'9'),
        [b'8', b'1'..=b'9'] => true,
        [b'9', x] => *x != b'5',
        _ => false,
    }
}

/// Reads a Vietnamese mobile number and returns it as `0xxxxxxxxx`.
/// Accepts `0` + 9 digits, `+84` or `84` + 9 digits (also `+84 0…`), with
/// spaces, dots, dashes or brackets between groups and full-width digits.
pub fn normalize_phone(s: &str) -> Result<String, Problem> {
    let s: String = s.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let s = s.trim();
    let (plus, rest) = match s.strip_prefix('+').or_else(|| s.strip_prefix('＋')) {
        Some(r) => (true, r),
        None => (false, s),
    };
    let digits = normalize_digits(rest).ok_or(Problem::PhoneShape)?;
    let national = if plus || (digits.starts_with("84") && digits.len() >= 11) {
        let after = digits.strip_prefix("84").ok_or(Problem::PhoneShape)?;
        let after = if after.len() == 10 {
            after.strip_prefix('0').ok_or(Problem::PhoneShape)?
        } else {
            after
        };
        format!("0{after}")
    } else {
        digits
    };
    let b = national.as_bytes();
    if b.len() != 10 || b[0] != b'0' {
        return Err(Problem::PhoneShape);
    }
    if !is_mobile_prefix(&b[1..3]) {
        return Err(Problem::PhonePrefix {
            prefix: national[..3].to_string(),
        });
    }
    Ok(national)
}

/// A pragmatic email check: one `@`; a local part of 1–64 printable ASCII
/// characters without spaces, quotes or brackets, not starting or ending
/// with `.` nor holding `..`; a domain of two or more dot-separated labels
/// of letters, digits and `-` (1–63 each, no `-` at either end), the last
/// one not all digits; 254 characters in all. Internationalised addresses
/// are refused.
pub fn check_email(s: &str) -> Result<(), Problem> {
    if s.len() > 254 {
        return Err(Problem::TooLong { max: 254 });
    }
    let (local, domain) = s.split_once('@').ok_or(Problem::Email)?;
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"(),:;<>@[\\]".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && !labels[labels.len() - 1].bytes().all(|b| b.is_ascii_digit());
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(Problem::Email)
    }
}

/// Checks a `YYYY-MM-DD` answer against its rule, relative to `today`:
/// - `Birth`: not after today, not more than 130 years before it;
/// - `Past`: not after today, not before 1900-01-01;
/// - `Future`: not before today, not more than 10 years after it.
pub fn check_date(s: &str, rule: DateRule, today: Date) -> Result<Date, Problem> {
    let d = Date::parse(s).ok_or(Problem::DateInvalid)?;
    match rule {
        DateRule::Birth if d > today => Err(Problem::BirthInFuture),
        DateRule::Birth if d < today.add_years(-130) => Err(Problem::DateTooOld {
            min: today.add_years(-130),
        }),
        DateRule::Past if d > today => Err(Problem::DateInFuture),
        DateRule::Past if d < PAST_MIN => Err(Problem::DateTooOld { min: PAST_MIN }),
        DateRule::Future if d < today => Err(Problem::DateInPast),
        DateRule::Future if d > today.add_years(10) => Err(Problem::DateTooFar {
            max: today.add_years(10),
        }),
        _ => Ok(d),
    }
}

const PAST_MIN: Date = Date {
    year: 1900,
    month: 1,
    day: 1,
};

/// Is `id` an upload id: 32 lowercase hex characters?
pub fn is_upload_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The distinct upload ids of a file answer, in order.
pub fn file_ids(s: &str, max_files: u32) -> Result<Vec<&str>, Problem> {
    let mut ids: Vec<&str> = Vec::new();
    for id in s.split(',') {
        if !is_upload_id(id) {
            return Err(Problem::FileIdInvalid);
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
        if ids.len() > max_files as usize {
            return Err(Problem::TooManyFiles { max: max_files });
        }
    }
    Ok(ids)
}
