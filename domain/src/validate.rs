//! Every answer check, written once: the browser runs it as the citizen
//! types, the server runs it again on submission.
//!
//! Checks work on the answer with surrounding whitespace trimmed; an empty
//! answer is "not answered". A [`Problem`] has a stable `code` and `args`
//! for the API ([`FieldProblem`]) and words itself in Vietnamese or English.
//!
//! Text policy. Text answers may hold any printable Unicode: every
//! Vietnamese letter (precomposed or with combining marks), other scripts,
//! emoji, and markup such as `<script>`, which is only text here (it is
//! escaped where shown). Rejected everywhere: C0 control characters, DEL,
//! C1 controls and the bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069), which can make a record read differently from what it
//! holds. Long text may also hold line breaks (`\n`, `\r`) and tabs. Numbers,
//! dates, phones and emails have shape checks that already refuse anything
//! else (emoji, markup…).
//!
//! Length is counted in characters as a reader sees them: combining marks
//! (U+0300–U+036F) do not count, so "Việt" is 4 long typed precomposed or
//! decomposed. To keep mark-stuffing from bypassing the limit, an answer
//! may hold at most three times the limit in characters all told.

use crate::address::{CCCD_PROVINCE_CODES, PROVINCES};
use crate::date::Date;
use crate::error::FieldProblem;
use crate::form::{Answers, DateRule, FieldKind, FormField, FormPage, FormSchema};

/// Why an answer is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed in a required text, number or date question.
    Required,
    /// Nothing chosen in a required choice, yes/no or province question.
    RequiredChoice,
    /// No file uploaded in a required document slot.
    RequiredFile,
    TooLong {
        max: u32,
    },
    /// A control or direction-override character (see the module docs).
    InvalidChars,
    /// Not 12 digits.
    CccdShape,
    /// The first 3 digits are not a province code.
    CccdProvince {
        code: String,
    },
    /// The 4th digit (century and sex) is one not in use yet (4–9: born
    /// in 2100 or later).
    CccdCentury,
    /// The century digit and the 5th–6th digits do not give the birth year
    /// answered elsewhere in the form.
    CccdBirthMismatch,
    PhoneShape,
    PhonePrefix {
        prefix: String,
    },
    Email,
    /// Not a real date in `YYYY-MM-DD`.
    DateInvalid,
    /// A birth date after today.
    BirthInFuture,
    /// After today where the date must be today or earlier.
    DateInFuture,
    /// Before the earliest date accepted.
    DateTooOld {
        min: Date,
    },
    /// Before today where the date must be today or later.
    DateInPast,
    /// After the latest date accepted.
    DateTooFar {
        max: Date,
    },
    NotAnOption,
    NotYesNo,
    ProvinceUnknown,
    TooManyFiles {
        max: u32,
    },
    /// A file answer that is not upload ids (32 lowercase hex) joined by `,`.
    FileIdInvalid,
    /// (Server) No upload has that id: never uploaded, or removed.
    UploadMissing,
    /// (Server) The upload is already part of a dossier, or named twice.
    UploadInUse,
    /// (Server) The uploaded file's real type is not one the slot takes;
    /// `types` lists those it takes, e.g. "PDF, JPG, PNG".
    FileType {
        types: String,
    },
    /// (Server) Larger than the slot allows.
    /// A web address that is not `https://` and a host.
    Url,
    /// More entries than allowed in a list (points of sale…).
    TooMany {
        max: u32,
    },
    FileTooLarge {
        max: u64,
    },
    /// A map position outside the area served (or not a real position).
    OutOfArea,
    /// The citizen's consent box is not ticked (assisted applications).
    Consent,
}

impl Problem {
    /// The stable code sent in [`FieldProblem::code`].
    pub fn code(&self) -> &'static str {
        use Problem::*;
        match self {
            Required => "required",
            RequiredChoice => "required_choice",
            RequiredFile => "required_file",
            TooLong { .. } => "too_long",
            InvalidChars => "invalid_chars",
            CccdShape => "cccd_shape",
            CccdProvince { .. } => "cccd_province",
            CccdCentury => "cccd_century",
            CccdBirthMismatch => "cccd_birth_mismatch",
            PhoneShape => "phone_shape",
            PhonePrefix { .. } => "phone_prefix",
            Email => "email",
            DateInvalid => "date_invalid",
            BirthInFuture => "birth_in_future",
            DateInFuture => "date_in_future",
            DateTooOld { .. } => "date_too_old",
            DateInPast => "date_in_past",
            DateTooFar { .. } => "date_too_far",
            NotAnOption => "not_an_option",
            NotYesNo => "not_yes_no",
            ProvinceUnknown => "province_unknown",
            TooManyFiles { .. } => "too_many_files",
            FileIdInvalid => "file_id_invalid",
            UploadMissing => "upload_missing",
            UploadInUse => "upload_in_use",
            FileType { .. } => "file_type",
            FileTooLarge { .. } => "file_too_large",
            Url => "url",
            TooMany { .. } => "too_many",
            OutOfArea => "out_of_area",
            Consent => "consent",
        }
    }

    /// The message parameters, in order (dates as `YYYY-MM-DD`).
    pub fn args(&self) -> Vec<String> {
        use Problem::*;
        match self {
            TooLong { max } | TooManyFiles { max } | TooMany { max } => vec![max.to_string()],
            CccdProvince { code } => vec![code.clone()],
            PhonePrefix { prefix } => vec![prefix.clone()],
            DateTooOld { min: d } | DateTooFar { max: d } => vec![d.to_string()],
            FileType { types } => vec![types.clone()],
            FileTooLarge { max } => vec![max.to_string()],
            _ => Vec::new(),
        }
    }

    /// The problem a code and its args describe; `None` for a code this
    /// version does not know or args that do not fit it.
    pub fn from_code(code: &str, args: &[String]) -> Option<Problem> {
        use Problem::*;
        let arg = || args.first().filter(|_| args.len() == 1);
        let num = || arg()?.parse::<u32>().ok();
        let date = || Date::parse(arg()?);
        let none = |p: Problem| args.is_empty().then_some(p);
        match code {
            "required" => none(Required),
            "required_choice" => none(RequiredChoice),
            "required_file" => none(RequiredFile),
            "too_long" => Some(TooLong { max: num()? }),
            "invalid_chars" => none(InvalidChars),
            "cccd_shape" => none(CccdShape),
            "cccd_province" => Some(CccdProvince {
                code: arg()?.clone(),
            }),
            "cccd_century" => none(CccdCentury),
            "cccd_birth_mismatch" => none(CccdBirthMismatch),
            "phone_shape" => none(PhoneShape),
            "phone_prefix" => Some(PhonePrefix {
                prefix: arg()?.clone(),
            }),
            "email" => none(Email),
            "date_invalid" => none(DateInvalid),
            "birth_in_future" => none(BirthInFuture),
            "date_in_future" => none(DateInFuture),
            "date_too_old" => Some(DateTooOld { min: date()? }),
            "date_in_past" => none(DateInPast),
            "date_too_far" => Some(DateTooFar { max: date()? }),
            "not_an_option" => none(NotAnOption),
            "not_yes_no" => none(NotYesNo),
            "province_unknown" => none(ProvinceUnknown),
            "too_many_files" => Some(TooManyFiles { max: num()? }),
            "file_id_invalid" => none(FileIdInvalid),
            "upload_missing" => none(UploadMissing),
            "upload_in_use" => none(UploadInUse),
            "file_type" => Some(FileType {
                types: arg()?.clone(),
            }),
            "url" => none(Url),
            "too_many" => Some(TooMany { max: num()? }),
            "out_of_area" => none(OutOfArea),
            "consent" => none(Consent),
            "file_too_large" => Some(FileTooLarge {
                max: arg()?.parse().ok()?,
            }),
            _ => None,
        }
    }

    /// What is wrong and how to fix it, in `en` or (for any other `lang`)
    /// Vietnamese.
    pub fn message(&self, lang: &str) -> String {
        use Problem::*;
        let en = lang == "en";
        let pick = |vi: &str, e: &str| if en { e.to_string() } else { vi.to_string() };
        match self {
            Required => pick("Nhập câu trả lời", "Enter an answer"),
            RequiredChoice => pick("Chọn một câu trả lời", "Select an answer"),
            RequiredFile => pick("Tải lên tệp giấy tờ", "Upload a file"),
            TooLong { max } => {
                if en {
                    format!("Enter {max} characters or fewer")
                } else {
                    format!("Nhập tối đa {max} ký tự")
                }
            }
            InvalidChars => pick(
                "Câu trả lời có ký tự điều khiển không dùng được. Xoá ký tự đó rồi nhập lại",
                "The answer contains a control character that cannot be used. Remove it and try again",
            ),
            CccdShape => pick(
                "Số định danh cá nhân phải gồm đúng 12 chữ số, ví dụ 045203001234",
                "Enter your 12-digit personal identification number, like 045203001234",
            ),
            CccdProvince { code } => {
                if en {
                    format!("{code} at the start of the number is not a province code. Check the first 3 digits on your identity card")
                } else {
                    format!("Mã tỉnh {code} ở đầu số định danh không đúng. Kiểm tra 3 chữ số đầu trên thẻ căn cước")
                }
            }
            CccdCentury => pick(
                "Chữ số thứ 4 của số định danh không đúng. Kiểm tra lại số trên thẻ căn cước",
                "The 4th digit of the number is not right. Check the number on your identity card",
            ),
            CccdBirthMismatch => pick(
                "Số định danh không khớp với năm sinh đã nhập. Kiểm tra chữ số thứ 4 đến thứ 6 và ngày sinh",
                "The number does not match the year of birth you entered. Check its 4th to 6th digits and your date of birth",
            ),
            PhoneShape => pick(
                "Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912345678",
                "Enter a 10-digit mobile number starting with 0, like 0912345678",
            ),
            PhonePrefix { prefix } => {
                if en {
                    format!("{prefix} is not a Vietnamese mobile prefix. Check the number, or enter a mobile number")
                } else {
                    format!("Đầu số {prefix} không phải đầu số di động Việt Nam. Kiểm tra lại, hoặc nhập số di động")
                }
            }
            Email => pick(
                "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com",
                "Enter an email address in the correct format, like name@example.com",
            ),
            DateInvalid => pick(
                "Ngày phải là một ngày có thật, ví dụ 27/3/2007",
                "Enter a real date, for example 27 3 2007",
            ),
            BirthInFuture => pick(
                "Ngày sinh phải là hôm nay hoặc một ngày đã qua",
                "Date of birth must be today or in the past",
            ),
            DateInFuture => pick(
                "Ngày phải là hôm nay hoặc một ngày đã qua",
                "The date must be today or in the past",
            ),
            DateTooOld { min } => {
                if en {
                    format!("The date must be on or after {}", min.display(lang))
                } else {
                    format!("Ngày phải từ {} trở về sau", min.display(lang))
                }
            }
            DateInPast => pick(
                "Ngày phải là hôm nay hoặc một ngày sắp tới",
                "The date must be today or in the future",
            ),
            DateTooFar { max } => {
                if en {
                    format!("The date must be on or before {}", max.display(lang))
                } else {
                    format!("Ngày không được sau {}", max.display(lang))
                }
            }
            NotAnOption => pick(
                "Chọn một trong các câu trả lời có sẵn",
                "Select one of the options",
            ),
            NotYesNo => pick("Chọn Có hoặc Không", "Select yes or no"),
            ProvinceUnknown => pick(
                "Chọn tỉnh, thành phố trong danh sách",
                "Select a province or city from the list",
            ),
            TooManyFiles { max } => {
                if en {
                    format!("Upload {max} files or fewer")
                } else {
                    format!("Tải lên tối đa {max} tệp")
                }
            }
            OutOfArea => pick(
                "Vị trí này nằm ngoài địa bàn tỉnh. Hãy chọn xã, phường và nhập địa chỉ nơi xảy ra sự việc",
                "This position is outside the province. Select the commune and enter the address where it happened",
            ),
            Consent => pick(
                "Người dân cần đọc và đồng ý trước khi nộp. Hãy đánh dấu vào ô đồng ý",
                "The citizen must read and agree before submitting. Tick the consent box",
            ),
            Url => pick(
                "Nhập địa chỉ web bắt đầu bằng https://, ví dụ https://shopee.vn/tencuahang",
                "Enter a web address starting with https://, e.g. https://shopee.vn/shopname",
            ),
            TooMany { max } => {
                if en {
                    format!("Add {max} entries or fewer")
                } else {
                    format!("Thêm tối đa {max} mục")
                }
            }
            FileIdInvalid => pick(
                "Tệp chưa được tải lên đúng cách. Xoá tệp rồi tải lên lại",
                "A file was not uploaded properly. Remove it and upload it again",
            ),
            UploadMissing => pick(
                "Không tìm thấy tệp đã tải lên. Xoá tệp rồi tải lên lại",
                "The uploaded file could not be found. Remove it and upload it again",
            ),
            UploadInUse => pick(
                "Tệp này đã được dùng cho một hồ sơ khác. Xoá tệp rồi tải lên lại",
                "This file is already part of another application. Remove it and upload it again",
            ),
            FileType { types } => {
                if en {
                    format!("Upload a {types} file")
                } else {
                    format!("Tải lên tệp {types}")
                }
            }
            FileTooLarge { max } => {
                let size = crate::form::size_label(*max, lang);
                if en {
                    format!("The file must be {size} or smaller")
                } else {
                    format!("Tệp phải nhỏ hơn hoặc bằng {size}")
                }
            }
        }
    }

    pub fn to_field_problem(&self, key: &str, lang: &str) -> FieldProblem {
        FieldProblem {
            field: key.to_string(),
            code: self.code().to_string(),
            args: self.args(),
            message: self.message(lang),
        }
    }
}

// ---------------------------------------------------------------------------
// Single-value checks
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Fields and forms
// ---------------------------------------------------------------------------

/// The longest commune (xã, phường, đặc khu) name accepted.
pub const COMMUNE_MAX: u32 = 100;

/// The answer keys a field uses (see [`crate::form`]).
pub fn answer_keys(field: &FormField) -> Vec<String> {
    match field.kind {
        FieldKind::Address => ["province", "commune", "street"]
            .iter()
            .map(|p| format!("{}.{p}", field.id))
            .collect(),
        _ => vec![field.id.clone()],
    }
}

fn answer<'a>(answers: &'a Answers, key: &str) -> &'a str {
    answers.get(key).map_or("", |v| v.trim())
}

fn required_problem(kind: &FieldKind) -> Problem {
    match kind {
        FieldKind::Choice { .. } | FieldKind::YesNo => Problem::RequiredChoice,
        FieldKind::File { .. } => Problem::RequiredFile,
        _ => Problem::Required,
    }
}

/// Checks one field's answer(s). `birth` is the answer to the date field a
/// CCCD field is checked against, if any.
fn check_field(
    field: &FormField,
    answers: &Answers,
    today: Date,
    birth: Option<Date>,
) -> Vec<(String, Problem)> {
    let max = field.max_len();
    if let FieldKind::Address = field.kind {
        let keys = answer_keys(field);
        let vals: Vec<&str> = keys.iter().map(|k| answer(answers, k)).collect();
        if field.optional && vals.iter().all(|v| v.is_empty()) {
            return Vec::new();
        }
        let results = [
            if vals[0].is_empty() {
                Err(Problem::RequiredChoice)
            } else if PROVINCES.iter().any(|(id, _)| *id == vals[0]) {
                Ok(())
            } else {
                Err(Problem::ProvinceUnknown)
            },
            required_text(vals[1], COMMUNE_MAX),
            required_text(vals[2], max),
        ];
        return keys
            .into_iter()
            .zip(results)
            .filter_map(|(k, r)| r.err().map(|p| (k, p)))
            .collect();
    }
    let v = answer(answers, &field.id);
    if v.is_empty() {
        return if field.optional {
            Vec::new()
        } else {
            vec![(field.id.clone(), required_problem(&field.kind))]
        };
    }
    let result = match &field.kind {
        FieldKind::Text { .. } => check_text(v, max, false),
        FieldKind::LongText => check_text(v, max, true),
        FieldKind::Date { rule } => check_date(v, *rule, today).map(|_| ()),
        FieldKind::Choice { options } => {
            if options.iter().any(|o| o.value == v) {
                Ok(())
            } else {
                Err(Problem::NotAnOption)
            }
        }
        FieldKind::YesNo => {
            if v == "yes" || v == "no" {
                Ok(())
            } else {
                Err(Problem::NotYesNo)
            }
        }
        FieldKind::Cccd { .. } => check_cccd(v, birth),
        FieldKind::Phone => normalize_phone(v).map(|_| ()),
        FieldKind::Email => {
            if visible_len(v) > max as usize {
                Err(Problem::TooLong { max })
            } else {
                check_email(v)
            }
        }
        FieldKind::File { max_files, .. } => file_ids(v, *max_files).map(|_| ()),
        FieldKind::Address => Ok(()),
    };
    match result {
        Ok(()) => Vec::new(),
        Err(p) => vec![(field.id.clone(), p)],
    }
}

fn required_text(v: &str, max: u32) -> Result<(), Problem> {
    if v.is_empty() {
        Err(Problem::Required)
    } else {
        check_text(v, max, false)
    }
}

/// Checks one field against the answers, whether or not it is shown. A
/// CCCD field is checked against its birth-date field's answer when that
/// is a valid date. Returns (answer key, problem) pairs; an address can
/// give one per part.
pub fn validate_field(field: &FormField, answers: &Answers, today: Date) -> Vec<(String, Problem)> {
    let birth = match &field.kind {
        FieldKind::Cccd {
            birth_date: Some(b),
        } => Date::parse(answer(answers, b)),
        _ => None,
    };
    check_field(field, answers, today, birth)
}

/// The shown fields in form order, and the answers to them (raw). A
/// condition is read from the answers kept so far, so a field that depends
/// on a hidden field's stale answer is hidden too.
fn shown_fields<'a>(
    schema: &'a FormSchema,
    answers: &Answers,
) -> (Vec<(&'a FormPage, &'a FormField)>, Answers) {
    let mut kept = Answers::new();
    let mut shown = Vec::new();
    for page in &schema.pages {
        if !schema.page_shown(page, &kept) {
            continue;
        }
        for field in &page.fields {
            if !field.shown(page, &kept) {
                continue;
            }
            for key in answer_keys(field) {
                if let Some(v) = answers.get(&key) {
                    kept.insert(key, v.clone());
                }
            }
            shown.push((page, field));
        }
    }
    (shown, kept)
}

fn validate_shown(
    schema: &FormSchema,
    answers: &Answers,
    today: Date,
    only_page: Option<&str>,
) -> Vec<(String, Problem)> {
    let (shown, kept) = shown_fields(schema, answers);
    let mut out = Vec::new();
    for (page, field) in shown {
        if only_page.is_some_and(|p| p != page.id) {
            continue;
        }
        let birth = match &field.kind {
            FieldKind::Cccd {
                birth_date: Some(b),
            } => Date::parse(answer(&kept, b)),
            _ => None,
        };
        out.extend(check_field(field, answers, today, birth));
    }
    out
}

/// Checks the shown fields of one page; nothing if the page is hidden.
pub fn validate_page(
    schema: &FormSchema,
    page: &FormPage,
    answers: &Answers,
    today: Date,
) -> Vec<(String, Problem)> {
    validate_shown(schema, answers, today, Some(&page.id))
}

/// Checks every shown field of every shown page, in form order. Answers
/// to hidden or unknown fields are ignored.
pub fn validate_answers(
    schema: &FormSchema,
    answers: &Answers,
    today: Date,
) -> Vec<(String, Problem)> {
    validate_shown(schema, answers, today, None)
}

/// The answers to keep: only keys of shown fields, trimmed, empty ones
/// dropped; CCCD numbers as 12 digits, phones as `0xxxxxxxxx`, line breaks
/// in long text as `\n`, file ids without repeats. Values that do not
/// validate are kept trimmed as they are (validate first).
pub fn clean_answers(schema: &FormSchema, answers: &Answers) -> Answers {
    let (shown, kept) = shown_fields(schema, answers);
    let mut out = Answers::new();
    for (_, field) in shown {
        for key in answer_keys(field) {
            let v = answer(&kept, &key);
            if v.is_empty() {
                continue;
            }
            let clean = match &field.kind {
                FieldKind::Cccd { .. } => normalize_digits(v)
                    .filter(|n| n.len() == 12)
                    .unwrap_or_else(|| v.to_string()),
                FieldKind::Phone => normalize_phone(v).unwrap_or_else(|_| v.to_string()),
                FieldKind::LongText => v.replace("\r\n", "\n").replace('\r', "\n"),
                FieldKind::File { .. } => {
                    let mut ids: Vec<&str> = Vec::new();
                    for id in v.split(',') {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    ids.join(",")
                }
                _ => v.to_string(),
            };
            out.insert(key, clean);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Text;
    use crate::form::{ChoiceOption, Condition, FileType};

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 3,
        day: 15,
    };

    fn t(s: &str) -> Text {
        Text {
            vi: s.into(),
            en: s.into(),
        }
    }

    fn field(id: &str, kind: FieldKind) -> FormField {
        FormField {
            id: id.into(),
            label: t(id),
            help: None,
            kind,
            optional: false,
            max_len: None,
            show_if: None,
        }
    }

    fn page(id: &str, fields: Vec<FormField>) -> FormPage {
        FormPage {
            id: id.into(),
            title: t(id),
            help: None,
            fields,
            show_if: None,
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn one(f: &FormField, v: &str) -> Vec<Problem> {
        validate_field(f, &answers(&[(&f.id, v)]), TODAY)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    const SCRIPT: &str = "<script>alert(1)</script>";

    fn every_problem() -> Vec<Problem> {
        use Problem::*;
        vec![
            Required,
            RequiredChoice,
            RequiredFile,
            TooLong { max: 200 },
            InvalidChars,
            CccdShape,
            CccdProvince { code: "099".into() },
            CccdCentury,
            CccdBirthMismatch,
            PhoneShape,
            PhonePrefix {
                prefix: "095".into(),
            },
            Email,
            DateInvalid,
            BirthInFuture,
            DateInFuture,
            DateTooOld { min: d(1900, 1, 1) },
            DateInPast,
            DateTooFar {
                max: d(2036, 3, 15),
            },
            NotAnOption,
            NotYesNo,
            ProvinceUnknown,
            TooManyFiles { max: 3 },
            FileIdInvalid,
            UploadMissing,
            UploadInUse,
            FileType {
                types: "PDF, JPG".into(),
            },
            FileTooLarge { max: 5_242_880 },
            Url,
            TooMany { max: 10 },
        ]
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        let all = every_problem();
        let mut codes: Vec<&str> = all.iter().map(Problem::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for p in all {
            assert_eq!(Problem::from_code(p.code(), &p.args()), Some(p.clone()));
            let fp = p.to_field_problem("name", "en");
            assert_eq!(fp.field, "name");
            assert_eq!(Problem::from_code(&fp.code, &fp.args), Some(p.clone()));
            for lang in ["vi", "en"] {
                let m = p.message(lang);
                assert!(!m.is_empty() && !m.ends_with('.'), "{m}");
            }
        }
        assert_eq!(Problem::from_code("quota", &[]), None);
        assert_eq!(Problem::from_code("too_long", &[]), None);
        assert_eq!(Problem::from_code("too_long", &["x".into()]), None);
        assert_eq!(Problem::from_code("required", &["1".into()]), None);
        assert_eq!(
            Problem::from_code("date_too_old", &["1900-1-1".into()]),
            None
        );
    }

    #[test]
    fn messages_read_right() {
        assert_eq!(
            Problem::TooLong { max: 200 }.message("vi"),
            "Nhập tối đa 200 ký tự"
        );
        assert_eq!(
            Problem::TooLong { max: 200 }.message("fr"),
            "Nhập tối đa 200 ký tự"
        );
        assert_eq!(
            Problem::CccdShape.message("vi"),
            "Số định danh cá nhân phải gồm đúng 12 chữ số, ví dụ 045203001234"
        );
        assert_eq!(
            Problem::CccdShape.message("en"),
            "Enter your 12-digit personal identification number, like 045203001234"
        );
        assert_eq!(
            Problem::CccdProvince { code: "999".into() }.message("vi"),
            "Mã tỉnh 999 ở đầu số định danh không đúng. Kiểm tra 3 chữ số đầu trên thẻ căn cước"
        );
        assert_eq!(
            Problem::DateTooOld { min: d(1900, 1, 1) }.message("vi"),
            "Ngày phải từ 01/01/1900 trở về sau"
        );
        assert_eq!(
            Problem::DateTooFar {
                max: d(2036, 3, 15)
            }
            .message("en"),
            "The date must be on or before 15 March 2036"
        );
        let fp = Problem::TooManyFiles { max: 2 }.to_field_problem("docs", "vi");
        assert_eq!(fp.code, "too_many_files");
        assert_eq!(fp.args, ["2"]);
        assert_eq!(fp.message, "Tải lên tối đa 2 tệp");
    }

    #[test]
    fn cccd() {
        assert_eq!(check_cccd("045203001234", None), Ok(()));
        assert_eq!(check_cccd("045 203 001 234", None), Ok(()));
        assert_eq!(check_cccd("001090123456", Some(d(1990, 5, 1))), Ok(()));
        assert_eq!(check_cccd("079303123456", Some(d(2003, 1, 1))), Ok(()));
        assert_eq!(check_cccd("０４５２０３００１２３４", None), Ok(()));
        for bad in [
            "04520300123",
            "0452030012345",
            "04520300123a",
            SCRIPT,
            "",
            "😀",
        ] {
            assert_eq!(check_cccd(bad, None), Err(Problem::CccdShape), "{bad}");
        }
        assert_eq!(
            check_cccd("099203001234", None),
            Err(Problem::CccdProvince { code: "099".into() })
        );
        assert_eq!(
            check_cccd("003203001234", None),
            Err(Problem::CccdProvince { code: "003".into() })
        );
        assert_eq!(
            check_cccd("000203001234", None),
            Err(Problem::CccdProvince { code: "000".into() })
        );
        assert_eq!(
            check_cccd("145203001234", None),
            Err(Problem::CccdProvince { code: "145".into() })
        );
        assert_eq!(check_cccd("045403001234", None), Err(Problem::CccdCentury));
        assert_eq!(check_cccd("045803001234", None), Err(Problem::CccdCentury));
        // Century digit 0 (1900s) for someone born in 2003.
        assert_eq!(
            check_cccd("045003001234", Some(d(2003, 6, 1))),
            Err(Problem::CccdBirthMismatch)
        );
        // Year digits 04 for someone born in 2003.
        assert_eq!(
            check_cccd("045204001234", Some(d(2003, 6, 1))),
            Err(Problem::CccdBirthMismatch)
        );
    }

    #[test]
    fn phones() {
        for (input, want) in [
            ("0912345678", "0912345678"),
            ("091 234 5678", "0912345678"),
            ("0912.345.678", "0912345678"),
            ("0912-345-678", "0912345678"),
            ("+84912345678", "0912345678"),
            ("+84 91 234 56 78", "0912345678"),
            ("(+84) 912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("+84 0912 345 678", "0912345678"),
            ("０９１２３４５６７８", "0912345678"),
            (" 0321234567 ", "0321234567"),
            ("0521234567", "0521234567"),
            ("0701234567", "0701234567"),
            ("0861234567", "0861234567"),
            ("0991234567", "0991234567"),
        ] {
            assert_eq!(normalize_phone(input).as_deref(), Ok(want), "{input}");
        }
        for bad in [
            "091234567",
            "09123456789",
            "+8491234567",
            "+85512345678",
            "+840912345678x",
            "0912345678a",
            SCRIPT,
            "😀",
            "",
            "1912345678",
        ] {
            assert_eq!(normalize_phone(bad), Err(Problem::PhoneShape), "{bad}");
        }
        for (bad, prefix) in [
            ("0951234567", "095"),
            ("0241234567", "024"),
            ("0311234567", "031"),
            ("0801234567", "080"),
            ("0531234567", "053"),
            ("0711234567", "071"),
            ("+84231234567", "023"),
        ] {
            assert_eq!(
                normalize_phone(bad),
                Err(Problem::PhonePrefix {
                    prefix: prefix.into()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "ten@example.com",
            "nguyen.van.a+hs@quangtri.gov.vn",
            "a@b.co",
            "x_y-z@mail-1.example.org",
        ] {
            assert_eq!(check_email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "ten",
            "ten@",
            "@example.com",
            "ten@example",
            "ten@@example.com",
            "te n@example.com",
            "ten@exa mple.com",
            ".ten@example.com",
            "ten.@example.com",
            "t..n@example.com",
            "ten@-example.com",
            "ten@example-.com",
            "ten@example..com",
            "ten@example.123",
            "tên@example.com",
            "ten@ví-dụ.vn",
            SCRIPT,
            "😀@example.com",
        ] {
            assert_eq!(check_email(bad), Err(Problem::Email), "{bad}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(check_email(&long_local), Err(Problem::Email));
        let long = format!("a@{}.com", "b".repeat(300));
        assert_eq!(check_email(&long), Err(Problem::TooLong { max: 254 }));
    }

    #[test]
    fn dates() {
        use DateRule::*;
        assert_eq!(check_date("2000-02-29", Birth, TODAY), Ok(d(2000, 2, 29)));
        assert_eq!(check_date("2026-03-15", Birth, TODAY), Ok(TODAY));
        assert_eq!(
            check_date("2026-03-16", Birth, TODAY),
            Err(Problem::BirthInFuture)
        );
        assert_eq!(check_date("1896-03-15", Birth, TODAY), Ok(d(1896, 3, 15)));
        assert_eq!(
            check_date("1896-03-14", Birth, TODAY),
            Err(Problem::DateTooOld {
                min: d(1896, 3, 15)
            })
        );
        assert_eq!(check_date("1900-01-01", Past, TODAY), Ok(d(1900, 1, 1)));
        assert_eq!(
            check_date("1899-12-31", Past, TODAY),
            Err(Problem::DateTooOld { min: d(1900, 1, 1) })
        );
        assert_eq!(
            check_date("2026-03-16", Past, TODAY),
            Err(Problem::DateInFuture)
        );
        assert_eq!(check_date("2026-03-15", Future, TODAY), Ok(TODAY));
        assert_eq!(check_date("2036-03-15", Future, TODAY), Ok(d(2036, 3, 15)));
        assert_eq!(
            check_date("2036-03-16", Future, TODAY),
            Err(Problem::DateTooFar {
                max: d(2036, 3, 15)
            })
        );
        assert_eq!(
            check_date("2026-03-14", Future, TODAY),
            Err(Problem::DateInPast)
        );
        for bad in [
            "2026-02-30",
            "15/03/2026",
            "2026-3-1",
            "２０２６-03-01",
            SCRIPT,
        ] {
            assert_eq!(check_date(bad, Past, TODAY), Err(Problem::DateInvalid));
        }
    }

    #[test]
    fn text_lengths_and_characters() {
        let name = field("name", FieldKind::Text { autocomplete: None });
        assert!(one(&name, "Nguyễn Văn An").is_empty());
        // Markup is only text.
        assert!(one(&name, SCRIPT).is_empty());
        // Emoji and other scripts are text too.
        assert!(one(&name, "An 😀 广治").is_empty());
        // 10 KB: too long, no panic, in every text-like kind.
        let big = "x".repeat(10 * 1024);
        assert_eq!(one(&name, &big), [Problem::TooLong { max: 200 }]);
        let long = field("story", FieldKind::LongText);
        assert_eq!(one(&long, &big), [Problem::TooLong { max: 2000 }]);
        let big_vi = "ệ".repeat(10 * 1024);
        assert_eq!(one(&long, &big_vi), [Problem::TooLong { max: 2000 }]);
        assert_eq!(
            one(&field("e", FieldKind::Email), &big),
            [Problem::TooLong { max: 254 }]
        );
        assert_eq!(
            one(&field("c", FieldKind::Cccd { birth_date: None }), &big),
            [Problem::CccdShape]
        );
        assert_eq!(
            one(&field("p", FieldKind::Phone), &big),
            [Problem::PhoneShape]
        );
        // Exactly at the limit, counted in characters, not bytes.
        let mut short = name.clone();
        short.max_len = Some(4);
        assert!(one(&short, "Việt").is_empty());
        assert!(one(&short, "Vie\u{0302}\u{0323}t").is_empty());
        assert_eq!(one(&short, "Việt!"), [Problem::TooLong { max: 4 }]);
        assert_eq!(
            one(&short, "Vie\u{0302}\u{0323}t!"),
            [Problem::TooLong { max: 4 }]
        );
        // Mark-stuffing does not slip past the limit.
        let stuffed = format!("a{}", "\u{0301}".repeat(20));
        assert_eq!(one(&short, &stuffed), [Problem::TooLong { max: 4 }]);
        // Controls.
        assert_eq!(one(&name, "An\u{0}"), [Problem::InvalidChars]);
        assert_eq!(one(&name, "An\nBình"), [Problem::InvalidChars]);
        assert_eq!(one(&name, "A\u{85}n"), [Problem::InvalidChars]);
        assert_eq!(one(&name, "An\u{202E}nA"), [Problem::InvalidChars]);
        assert!(one(&long, "Dòng một\r\nDòng hai\tvà 😀").is_empty());
        assert_eq!(one(&long, "a\u{1B}[31m"), [Problem::InvalidChars]);
        // Surrounding whitespace is not part of the answer.
        assert!(one(&short, "  Việt \n").is_empty());
    }

    #[test]
    fn required_and_optional() {
        let name = field("name", FieldKind::Text { autocomplete: None });
        assert_eq!(one(&name, ""), [Problem::Required]);
        assert_eq!(one(&name, "   "), [Problem::Required]);
        assert_eq!(
            validate_field(&name, &Answers::new(), TODAY),
            [("name".to_string(), Problem::Required)]
        );
        let choice = field(
            "kind",
            FieldKind::Choice {
                options: vec![
                    ChoiceOption {
                        value: "a".into(),
                        label: t("A"),
                    },
                    ChoiceOption {
                        value: "b".into(),
                        label: t("B"),
                    },
                ],
            },
        );
        assert_eq!(one(&choice, ""), [Problem::RequiredChoice]);
        assert!(one(&choice, "b").is_empty());
        assert_eq!(one(&choice, "c"), [Problem::NotAnOption]);
        assert_eq!(
            one(&field("yn", FieldKind::YesNo), ""),
            [Problem::RequiredChoice]
        );
        assert!(one(&field("yn", FieldKind::YesNo), "yes").is_empty());
        assert_eq!(
            one(&field("yn", FieldKind::YesNo), "Yes"),
            [Problem::NotYesNo]
        );
        let file = field(
            "docs",
            FieldKind::File {
                accept: vec![FileType::Pdf],
                max_bytes: 1000,
                max_files: 2,
            },
        );
        assert_eq!(one(&file, ""), [Problem::RequiredFile]);
        let mut opt = name.clone();
        opt.optional = true;
        assert!(one(&opt, "").is_empty());
        assert!(one(&opt, "  ").is_empty());
        let mut opt_phone = field("phone", FieldKind::Phone);
        opt_phone.optional = true;
        assert!(one(&opt_phone, "").is_empty());
        assert_eq!(one(&opt_phone, "abc"), [Problem::PhoneShape]);
    }

    #[test]
    fn files() {
        let a = "0123456789abcdef0123456789abcdef";
        let b = "fedcba9876543210fedcba9876543210";
        let c = "00000000000000000000000000000000";
        let file = field(
            "docs",
            FieldKind::File {
                accept: vec![FileType::Pdf],
                max_bytes: 1000,
                max_files: 2,
            },
        );
        assert!(one(&file, a).is_empty());
        assert!(one(&file, &format!("{a},{b}")).is_empty());
        assert!(one(&file, &format!("{a},{b},{a}")).is_empty());
        assert_eq!(
            one(&file, &format!("{a},{b},{c}")),
            [Problem::TooManyFiles { max: 2 }]
        );
        for bad in [
            "0123456789ABCDEF0123456789ABCDEF".to_string(),
            "0123".to_string(),
            format!("{a},"),
            format!("{a}, {b}"),
            SCRIPT.to_string(),
        ] {
            assert_eq!(one(&file, &bad), [Problem::FileIdInvalid], "{bad}");
        }
    }

    #[test]
    fn address_parts() {
        let addr = field("home", FieldKind::Address);
        let ok = answers(&[
            ("home.province", "quang-tri"),
            ("home.commune", "Phường Đông Hà"),
            ("home.street", "12 Lê Duẩn"),
        ]);
        assert!(validate_field(&addr, &ok, TODAY).is_empty());
        let bad = answers(&[
            ("home.province", "quang-binh"),
            ("home.street", &"x".repeat(201)),
        ]);
        assert_eq!(
            validate_field(&addr, &bad, TODAY),
            [
                ("home.province".to_string(), Problem::ProvinceUnknown),
                ("home.commune".to_string(), Problem::Required),
                ("home.street".to_string(), Problem::TooLong { max: 200 }),
            ]
        );
        let long_commune = answers(&[
            ("home.province", "hue"),
            ("home.commune", &"x".repeat(101)),
            ("home.street", "1"),
        ]);
        assert_eq!(
            validate_field(&addr, &long_commune, TODAY),
            [("home.commune".to_string(), Problem::TooLong { max: 100 })]
        );
        assert_eq!(validate_field(&addr, &Answers::new(), TODAY).len(), 3);
        let mut opt = addr.clone();
        opt.optional = true;
        assert!(validate_field(&opt, &Answers::new(), TODAY).is_empty());
        assert_eq!(
            validate_field(&opt, &answers(&[("home.street", "1")]), TODAY).len(),
            2
        );
    }

    fn schema() -> FormSchema {
        let mut cccd = field(
            "cccd",
            FieldKind::Cccd {
                birth_date: Some("dob".into()),
            },
        );
        cccd.label = t("Số định danh");
        let mut reason = field("reason", FieldKind::LongText);
        reason.show_if = Some(Condition {
            field: "lost".into(),
            equals: "yes".into(),
        });
        let mut police = page(
            "police",
            vec![field("report", FieldKind::Text { autocomplete: None })],
        );
        police.show_if = Some(Condition {
            field: "stolen".into(),
            equals: "yes".into(),
        });
        let mut stolen = field("stolen", FieldKind::YesNo);
        stolen.show_if = Some(Condition {
            field: "lost".into(),
            equals: "yes".into(),
        });
        let s = FormSchema {
            pages: vec![
                page(
                    "name",
                    vec![field("name", FieldKind::Text { autocomplete: None })],
                ),
                page(
                    "dob",
                    vec![field(
                        "dob",
                        FieldKind::Date {
                            rule: DateRule::Birth,
                        },
                    )],
                ),
                page("cccd", vec![cccd]),
                page("phone", vec![field("phone", FieldKind::Phone)]),
                page(
                    "lost",
                    vec![field("lost", FieldKind::YesNo), reason, stolen],
                ),
                police,
                page("home", vec![field("home", FieldKind::Address)]),
            ],
        };
        s.check().unwrap();
        s
    }

    fn good() -> Answers {
        answers(&[
            ("name", "  Nguyễn Thị Bình "),
            ("dob", "2003-06-01"),
            ("cccd", "045 303 001 234"),
            ("phone", "+84 912 345 678"),
            ("lost", "no"),
            ("home.province", "quang-tri"),
            ("home.commune", "Phường Đồng Hới"),
            ("home.street", "5 Quang Trung"),
        ])
    }

    #[test]
    fn whole_form() {
        let s = schema();
        assert_eq!(validate_answers(&s, &good(), TODAY), []);
        let mut a = good();
        a.insert("dob".into(), "1990-06-01".into());
        a.insert("phone".into(), SCRIPT.into());
        a.remove("name");
        assert_eq!(
            validate_answers(&s, &a, TODAY),
            [
                ("name".to_string(), Problem::Required),
                ("cccd".to_string(), Problem::CccdBirthMismatch),
                ("phone".to_string(), Problem::PhoneShape),
            ]
        );
        assert_eq!(
            validate_page(&s, &s.pages[2], &a, TODAY),
            [("cccd".to_string(), Problem::CccdBirthMismatch)]
        );
        // The birth date's own problem is reported there, not on the CCCD.
        a.insert("dob".into(), "1990-02-30".into());
        assert_eq!(
            validate_page(&s, &s.pages[1], &a, TODAY),
            [("dob".to_string(), Problem::DateInvalid)]
        );
        assert_eq!(validate_page(&s, &s.pages[2], &a, TODAY), []);
    }

    #[test]
    fn hidden_fields_are_not_checked() {
        let s = schema();
        // lost = no: reason, stolen and the police page are hidden, even
        // with stale or bad answers.
        let mut a = good();
        a.insert("reason".into(), "\u{0}".into());
        a.insert("stolen".into(), "yes".into());
        a.insert("report".into(), "x".repeat(10_000));
        assert_eq!(validate_answers(&s, &a, TODAY), []);
        assert_eq!(validate_page(&s, &s.pages[5], &a, TODAY), []);
        // lost = yes: they are shown and checked.
        a.insert("lost".into(), "yes".into());
        assert_eq!(
            validate_answers(&s, &a, TODAY),
            [
                ("reason".to_string(), Problem::InvalidChars),
                ("report".to_string(), Problem::TooLong { max: 200 }),
            ]
        );
        // And a required conditional field left empty is reported.
        a.remove("reason");
        a.remove("stolen");
        assert_eq!(
            validate_answers(&s, &a, TODAY),
            [
                ("reason".to_string(), Problem::Required),
                ("stolen".to_string(), Problem::RequiredChoice),
            ]
        );
    }

    #[test]
    fn clean_keeps_shown_fields_in_canonical_form() {
        let s = schema();
        let mut a = good();
        a.insert("reason".into(), "hidden".into());
        a.insert("stolen".into(), "yes".into());
        a.insert("report".into(), "stale".into());
        a.insert("unknown".into(), "x".into());
        a.insert("home.extra".into(), "x".into());
        let c = clean_answers(&s, &a);
        assert_eq!(
            c,
            answers(&[
                ("name", "Nguyễn Thị Bình"),
                ("dob", "2003-06-01"),
                ("cccd", "045303001234"),
                ("phone", "0912345678"),
                ("lost", "no"),
                ("home.province", "quang-tri"),
                ("home.commune", "Phường Đồng Hới"),
                ("home.street", "5 Quang Trung"),
            ])
        );
        // Clean answers still validate, and cleaning is idempotent.
        assert_eq!(validate_answers(&s, &c, TODAY), []);
        assert_eq!(clean_answers(&s, &c), c);
        // Shown conditional answers are kept; long text line breaks become \n.
        a.insert("lost".into(), "yes".into());
        a.insert("reason".into(), " Mất ví\r\nở chợ ".into());
        a.insert("name".into(), "   ".into());
        let c = clean_answers(&s, &a);
        assert_eq!(c["reason"], "Mất ví\nở chợ");
        assert_eq!(c["report"], "stale");
        assert!(!c.contains_key("name"));
        assert!(!c.contains_key("unknown"));
    }

    #[test]
    fn answer_keys_per_kind() {
        assert_eq!(
            answer_keys(&field("home", FieldKind::Address)),
            ["home.province", "home.commune", "home.street"]
        );
        assert_eq!(answer_keys(&field("phone", FieldKind::Phone)), ["phone"]);
    }
}
