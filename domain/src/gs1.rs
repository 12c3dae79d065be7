//! GS1 Digital Link URIs (GS1 Digital Link standard 1.x, URI syntax): the
//! web address a product's QR code holds, parsed and built.
//!
//! `https://{host}[/{prefix path}]/01/{GTIN}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=YYMMDD&…]`
//!
//! - The primary key is AI 01, the GTIN: 8, 12, 13 or 14 digits, left-padded
//!   with zeros to 14, whose last digit is the mod-10 check digit.
//! - Key qualifiers follow in the order 22 (consumer product variant), 10
//!   (batch/lot), 21 (serial), each at most once, any of them left out.
//!   Their values are percent-decoded (UTF-8), then must be GS1 character
//!   set 82 (`!"%&'()*+,-./0-9:;<=>?A-Z_a-z`), 20 characters at most.
//! - Any prefix path may come before the first `01` segment that has a
//!   value after it. Empty segments are refused; one trailing `/` is not.
//! - The query holds data attributes: 17 (expiry) and 15 (best before) as
//!   `YYMMDD` (years 2000–2099; `DD` = `00` is the month's last day),
//!   `linkType`, and other numeric AIs kept as is in `extra`. Other
//!   parameters are ignored, as the standard allows. A key qualifier (or
//!   01) in the query is refused: it belongs in the path.
//! - The alpha forms of older versions of the standard are accepted (`gtin`,
//!   `cpv`, `lot`, `ser` in the path; `exp`, `bbd` in the query); the
//!   builder writes only the numeric forms.
//! - A fragment (`#…`) is ignored. Input is a full URI or a path from `/`.

use core::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::date::{days_in_month, Date};

/// A parsed GS1 Digital Link. [`DigitalLink::path`] and
/// [`DigitalLink::uri`] build it back; the builder does not check the
/// fields, so for values set by hand `parse(&link.path())` does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DigitalLink {
    /// AI 01, always 14 digits with a valid check digit.
    pub gtin: String,
    /// AI 22, consumer product variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpv: Option<String>,
    /// AI 10, batch or lot number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// AI 21, serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// AI 17, expiry date (`YYYY-MM-DD` in JSON).
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub expiry: Option<Date>,
    /// AI 15, best-before date (`YYYY-MM-DD` in JSON).
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub best_before: Option<Date>,
    /// `?linkType=`, e.g. `gs1:pip`, `gs1:traceability`, `linkset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    /// Other numeric-AI query attributes (`[AI, decoded value]`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub extra: Vec<(String, String)>,
}

/// Why a URI is not a valid GS1 Digital Link. AIs are named in their
/// numeric form (`"10"`, also when the URI used `lot`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gs1Error {
    /// No `/01/{gtin}` in the path (or not a URI at all).
    NotDigitalLink,
    /// The GTIN has a length other than 8, 12, 13 or 14.
    GtinLength {
        len: usize,
    },
    /// The GTIN has something other than ASCII digits.
    GtinNotDigits,
    /// The GTIN's last digit is not its check digit.
    CheckDigit {
        expected: u8,
        found: u8,
    },
    /// Qualifier `ai` comes after `after`; the order is 22, 10, 21.
    QualifierOrder {
        ai: String,
        after: String,
    },
    DuplicateAi(String),
    /// A path segment after the GTIN that is not 22, 10 or 21 (the raw
    /// segment, at most 20 characters of it).
    UnknownAi(String),
    /// An AI with nothing after it.
    MissingValue(String),
    /// A value character outside GS1 character set 82.
    BadCharacter {
        ai: String,
        ch: char,
    },
    TooLong {
        ai: String,
        max: u32,
    },
    /// `%` not followed by two hex digits, or bytes that are not UTF-8.
    BadPercentEncoding,
    /// Not `YYMMDD`, or no such date.
    BadDate {
        ai: String,
    },
    /// Two slashes in a row in the path.
    EmptySegment,
    /// 01, 22, 10 or 21 as a query parameter instead of in the path.
    AiInQuery(String),
}

impl Gs1Error {
    /// Stable snake_case code, for APIs and logs.
    pub fn code(&self) -> &'static str {
        use Gs1Error::*;
        match self {
            NotDigitalLink => "not_digital_link",
            GtinLength { .. } => "gtin_length",
            GtinNotDigits => "gtin_not_digits",
            CheckDigit { .. } => "check_digit",
            QualifierOrder { .. } => "qualifier_order",
            DuplicateAi(_) => "duplicate_ai",
            UnknownAi(_) => "unknown_ai",
            MissingValue(_) => "missing_value",
            BadCharacter { .. } => "bad_character",
            TooLong { .. } => "too_long",
            BadPercentEncoding => "bad_percent_encoding",
            BadDate { .. } => "bad_date",
            EmptySegment => "empty_segment",
            AiInQuery(_) => "ai_in_query",
        }
    }

    /// The message parameters, in order (as `FieldProblem::args`).
    pub fn args(&self) -> Vec<String> {
        use Gs1Error::*;
        match self {
            GtinLength { len } => vec![len.to_string()],
            CheckDigit { expected, found } => vec![expected.to_string(), found.to_string()],
            QualifierOrder { ai, after } => vec![ai.clone(), after.clone()],
            DuplicateAi(ai) | UnknownAi(ai) | MissingValue(ai) | AiInQuery(ai) => vec![ai.clone()],
            BadDate { ai } => vec![ai.clone()],
            BadCharacter { ai, ch } => vec![ai.clone(), ch.to_string()],
            TooLong { ai, max } => vec![ai.clone(), max.to_string()],
            NotDigitalLink | GtinNotDigits | BadPercentEncoding | EmptySegment => Vec::new(),
        }
    }

    /// What is wrong and how to fix it, in `en` or (any other `lang`)
    /// Vietnamese.
    pub fn message(&self, lang: &str) -> String {
        use Gs1Error::*;
        let en = lang == "en";
        let pick = |vi: String, e: String| if en { e } else { vi };
        let name = |ai: &str| ai_name(ai, en);
        let cap = |ai: &str| {
            let n = ai_name(ai, en);
            let mut c = n.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        };
        match self {
            NotDigitalLink => pick(
                "Đây không phải liên kết truy xuất nguồn gốc GS1: không tìm thấy mã sản phẩm (/01/ rồi mã GTIN). Quét lại mã QR trên bao bì hoặc nhập mã số in dưới mã vạch".into(),
                "This is not a GS1 Digital Link: there is no product code (/01/ followed by the GTIN). Scan the QR code on the package again, or enter the number printed under the barcode".into(),
            ),
            GtinLength { len } => pick(
                format!("Mã GTIN có {len} chữ số, nhưng phải có 8, 12, 13 hoặc 14 chữ số. Kiểm tra lại mã số dưới mã vạch trên bao bì"),
                format!("The GTIN has {len} digits; it must have 8, 12, 13 or 14. Check the number under the barcode on the package"),
            ),
            GtinNotDigits => pick(
                "Mã GTIN chỉ được gồm các chữ số 0–9. Kiểm tra lại mã số dưới mã vạch trên bao bì".into(),
                "The GTIN must contain only the digits 0–9. Check the number under the barcode on the package".into(),
            ),
            CheckDigit { expected, found } => pick(
                format!("Số kiểm tra của mã GTIN không đúng: chữ số cuối phải là {expected}, không phải {found}. Kiểm tra lại mã trên bao bì"),
                format!("The GTIN's check digit is wrong: the last digit should be {expected}, not {found}. Check the code on the package"),
            ),
            QualifierOrder { ai, after } => pick(
                format!("{} phải đứng trước {} trong liên kết. Thứ tự đúng sau mã GTIN là /22/ (biến thể), /10/ (số lô), /21/ (số sê-ri)", cap(ai), name(after)),
                format!("{} must come before {} in the link. After the GTIN the order is /22/ (variant), /10/ (batch/lot), /21/ (serial)", cap(ai), name(after)),
            ),
            DuplicateAi(ai) => pick(
                format!("{} xuất hiện hai lần trong liên kết. Chỉ giữ lại một lần", cap(ai)),
                format!("{} appears twice in the link. Keep only one", cap(ai)),
            ),
            UnknownAi(ai) => pick(
                format!("Liên kết có phần “/{ai}/” không được dùng sau mã GTIN: chỉ được có /22/ (biến thể), /10/ (số lô) và /21/ (số sê-ri). Kiểm tra lại liên kết"),
                format!("The link has “/{ai}/” after the GTIN, which is not allowed there: only /22/ (variant), /10/ (batch/lot) and /21/ (serial) may follow. Check the link"),
            ),
            MissingValue(ai) => pick(
                format!("Thiếu giá trị của {}: thêm giá trị ngay sau nó trong liên kết", name(ai)),
                format!("{} has no value: add its value right after it in the link", cap(ai)),
            ),
            BadCharacter { ai, ch } => {
                let shown = match ch {
                    ' ' => pick("dấu cách".into(), "a space".into()),
                    c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", u32::from(*c)),
                    c => format!("“{c}”"),
                };
                pick(
                    format!("{} có ký tự {shown} không được phép. Chỉ dùng chữ cái không dấu (A–Z, a–z), chữ số và các dấu ! \" % & ' ( ) * + , - . / : ; < = > ? _", cap(ai)),
                    format!("{} contains {shown}, which is not allowed. Use only unaccented letters (A–Z, a–z), digits and ! \" % & ' ( ) * + , - . / : ; < = > ? _", cap(ai)),
                )
            }
            TooLong { ai, max } => pick(
                format!("{} dài quá {max} ký tự. Kiểm tra lại giá trị in trên bao bì", cap(ai)),
                format!("{} is longer than {max} characters. Check the value printed on the package", cap(ai)),
            ),
            BadPercentEncoding => pick(
                "Liên kết có mã hóa phần trăm sai: sau dấu % phải là hai chữ số thập lục phân, ví dụ %2F là dấu /. Quét lại mã QR hoặc sao chép lại toàn bộ liên kết".into(),
                "The link has a bad percent-encoding: % must be followed by two hex digits, like %2F for /. Scan the QR code again, or copy the whole link again".into(),
            ),
            BadDate { ai } => pick(
                format!("{} không phải ngày hợp lệ: cần dạng YYMMDD, ví dụ 261231 là ngày 31/12/2026 (DD là 00 nghĩa là ngày cuối tháng)", cap(ai)),
                format!("{} is not a valid date: write it as YYMMDD, like 261231 for 31 December 2026 (DD 00 means the last day of the month)", cap(ai)),
            ),
            EmptySegment => pick(
                "Liên kết có hai dấu / liền nhau. Bỏ bớt một dấu / rồi thử lại".into(),
                "The link has two slashes in a row. Remove one and try again".into(),
            ),
            AiInQuery(ai) => pick(
                format!("{} phải nằm trong đường dẫn (/{ai}/…), không được đặt sau dấu ?. Chuyển nó lên trước dấu ?", cap(ai)),
                format!("{} belongs in the path (/{ai}/…), not after the ?. Move it before the ?", cap(ai)),
            ),
        }
    }
}

impl fmt::Display for Gs1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}

impl std::error::Error for Gs1Error {}

fn ai_name(ai: &str, en: bool) -> String {
    let n = match (ai, en) {
        ("01", false) => "mã GTIN",
        ("01", true) => "the GTIN",
        ("22", false) => "mã biến thể sản phẩm",
        ("22", true) => "the consumer product variant",
        ("10", false) => "số lô",
        ("10", true) => "the batch/lot number",
        ("21", false) => "số sê-ri",
        ("21", true) => "the serial number",
        ("17", false) => "hạn sử dụng",
        ("17", true) => "the expiry date",
        ("15", false) => "ngày sử dụng tốt nhất",
        ("15", true) => "the best-before date",
        (_, false) => "giá trị",
        (_, true) => "the value",
    };
    format!("{n} (AI {ai})")
}

/// The mod-10 check digit of GTIN (or GLN, SSCC…) data digits, the check
/// digit itself not included: weights 3, 1, 3, … from the rightmost digit.
/// `None` when empty or not all ASCII digits.
pub fn check_digit(digits: &str) -> Option<u8> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    Some(((10 - sum % 10) % 10) as u8)
}

/// A GTIN-8, -12, -13 or -14 as 14 digits (left-padded with zeros), once
/// its check digit is verified. No spaces or other characters allowed.
pub fn gtin14(s: &str) -> Result<String, Gs1Error> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Gs1Error::GtinNotDigits);
    }
    if ![8, 12, 13, 14].contains(&s.len()) {
        return Err(Gs1Error::GtinLength { len: s.len() });
    }
    let padded = format!("{s:0>14}");
    let expected = check_digit(&padded[..13]).unwrap_or(0);
    let found = padded.as_bytes()[13] - b'0';
    if expected != found {
        return Err(Gs1Error::CheckDigit { expected, found });
    }
    Ok(padded)
}

pub fn is_valid_gtin(s: &str) -> bool {
    gtin14(s).is_ok()
}

const QUALIFIERS: [&str; 3] = ["22", "10", "21"];

fn is_primary(seg: &str) -> bool {
    seg == "01" || seg == "gtin"
}

/// The numeric AI of a key qualifier path segment.
fn qualifier(seg: &str) -> Option<&'static str> {
    match seg {
        "22" | "cpv" => Some("22"),
        "10" | "lot" => Some("10"),
        "21" | "ser" => Some("21"),
        _ => None,
    }
}

fn decode(s: &str) -> Result<String, Gs1Error> {
    let b = s.as_bytes();
    let hex = |i: usize| b.get(i).and_then(|&c| (c as char).to_digit(16));
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                return Err(Gs1Error::BadPercentEncoding);
            };
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Gs1Error::BadPercentEncoding)
}

/// Percent-encodes all but RFC 3986 unreserved characters and `keep`.
fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GS1 AI encodable character set 82.
pub fn is_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

fn qualifier_value(ai: &str, raw: &str) -> Result<String, Gs1Error> {
    let v = decode(raw)?;
    if let Some(ch) = v.chars().find(|&c| !is_cset82(c)) {
        return Err(Gs1Error::BadCharacter { ai: ai.into(), ch });
    }
    if v.len() > 20 {
        return Err(Gs1Error::TooLong {
            ai: ai.into(),
            max: 20,
        });
    }
    Ok(v)
}

/// `YYMMDD` as 20YY-MM-DD; day `00` is the month's last day.
fn yymmdd(s: &str, ai: &str) -> Result<Date, Gs1Error> {
    let bad = || Gs1Error::BadDate { ai: ai.into() };
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let n = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    let (y, m, d) = (2000 + i32::from(n(0)), n(2), n(4));
    let d = if d == 0 && (1..=12).contains(&m) {
        days_in_month(y, m)
    } else {
        d
    };
    Date::new(y, m, d).ok_or_else(bad)
}

/// Parses a GS1 Digital Link URI (`https://host/…/01/…`) or its path
/// (`/…/01/…`); see the module docs for the rules.
pub fn parse(uri: &str) -> Result<DigitalLink, Gs1Error> {
    use Gs1Error::*;
    let uri = uri.trim();
    let uri = uri.split('#').next().unwrap_or_default();
    let (rest, query) = uri.split_once('?').unwrap_or((uri, ""));
    let path = if rest.starts_with('/') {
        rest
    } else {
        let (scheme, after) = rest.split_once("://").ok_or(NotDigitalLink)?;
        let scheme_ok = scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
        if !scheme_ok {
            return Err(NotDigitalLink);
        }
        &after[after.find('/').ok_or(NotDigitalLink)?..]
    };
    let path = &path[1..];
    let path = path.strip_suffix('/').unwrap_or(path);
    let segs: Vec<&str> = path.split('/').collect();

    let Some(start) = (0..segs.len())
        .find(|&i| is_primary(segs[i]) && segs.get(i + 1).is_some_and(|v| !v.is_empty()))
    else {
        return Err(if segs.iter().any(|s| is_primary(s)) {
            MissingValue("01".into())
        } else {
            NotDigitalLink
        });
    };
    if segs[..start].iter().any(|s| s.is_empty()) {
        return Err(EmptySegment);
    }
    let mut link = DigitalLink {
        gtin: gtin14(&decode(segs[start + 1])?)?,
        ..DigitalLink::default()
    };

    let mut last: Option<(usize, &str)> = None;
    let mut j = start + 2;
    while j < segs.len() {
        let key = segs[j];
        if key.is_empty() {
            return Err(EmptySegment);
        }
        let Some(ai) = qualifier(key) else {
            return Err(if is_primary(key) {
                DuplicateAi("01".into())
            } else {
                UnknownAi(key.chars().take(20).collect())
            });
        };
        let rank = QUALIFIERS.iter().position(|q| *q == ai).unwrap_or(0);
        let slot = match ai {
            "22" => &mut link.cpv,
            "10" => &mut link.lot,
            _ => &mut link.serial,
        };
        if slot.is_some() {
            return Err(DuplicateAi(ai.into()));
        }
        if let Some((r, prev)) = last {
            if rank < r {
                return Err(QualifierOrder {
                    ai: ai.into(),
                    after: prev.into(),
                });
            }
        }
        let raw = segs.get(j + 1).filter(|v| !v.is_empty());
        *slot = Some(qualifier_value(
            ai,
            raw.ok_or_else(|| MissingValue(ai.into()))?,
        )?);
        last = Some((rank, ai));
        j += 2;
    }

    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = param.split_once('=').unwrap_or((param, ""));
        let date_ai = match k {
            "17" | "exp" => Some("17"),
            "15" | "bbd" => Some("15"),
            _ => None,
        };
        if let Some(ai) = date_ai {
            let slot = if ai == "17" {
                &mut link.expiry
            } else {
                &mut link.best_before
            };
            if slot.is_some() {
                return Err(DuplicateAi(ai.into()));
            }
            if v.is_empty() {
                return Err(MissingValue(ai.into()));
            }
            *slot = Some(yymmdd(&decode(v)?, ai)?);
        } else if k == "linkType" {
            if link.link_type.is_none() && !v.is_empty() {
                link.link_type = Some(decode(v)?);
            }
        } else if is_primary(k) || qualifier(k).is_some() {
            return Err(AiInQuery(qualifier(k).unwrap_or("01").into()));
        } else if (2..=4).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_digit()) {
            if link.extra.iter().any(|(a, _)| a == k) {
                return Err(DuplicateAi(k.into()));
            }
            if v.is_empty() {
                return Err(MissingValue(k.into()));
            }
            link.extra.push((k.into(), decode(v)?));
        }
    }
    Ok(link)
}

impl DigitalLink {
    /// The canonical path: `/01/{gtin}[/22/…][/10/…][/21/…]`, values
    /// percent-encoded except RFC 3986 unreserved characters.
    pub fn path(&self) -> String {
        let mut p = format!("/01/{}", self.gtin);
        for (ai, v) in [("22", &self.cpv), ("10", &self.lot), ("21", &self.serial)] {
            if let Some(v) = v {
                p.push_str(&format!("/{ai}/{}", encode(v, b"")));
            }
        }
        p
    }

    /// The query, without `?`: `17=YYMMDD`, `15=YYMMDD`, the `extra`
    /// attributes, then `linkType`; empty when none is set. Dates are
    /// written with their real day (never `00`) and two-digit year.
    pub fn query(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        for (ai, d) in [("17", self.expiry), ("15", self.best_before)] {
            if let Some(d) = d {
                q.push(format!("{ai}={}", d.yymmdd()));
            }
        }
        for (ai, v) in &self.extra {
            q.push(format!("{}={}", encode(ai, b""), encode(v, b"")));
        }
        if let Some(t) = &self.link_type {
            q.push(format!("linkType={}", encode(t, b":")));
        }
        q.join("&")
    }

    /// `base` (e.g. `https://id.example.vn`, any trailing `/` dropped),
    /// then [`path`](Self::path), then `?` and [`query`](Self::query) if
    /// it is not empty.
    pub fn uri(&self, base: &str) -> String {
        let mut u = format!("{}{}", base.trim_end_matches('/'), self.path());
        let q = self.query();
        if !q.is_empty() {
            u.push('?');
            u.push_str(&q);
        }
        u
    }
}

mod opt_date {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use crate::date::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| Date::parse(&s).ok_or_else(|| D::Error::custom("expected YYYY-MM-DD")))
            .transpose()
    }
}

#[cfg(test)]
mod tests;
