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
mod tests;
