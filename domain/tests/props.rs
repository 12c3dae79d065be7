//! Property tests of the rules the browser and the server share: the GS1
//! Digital Link parser, the answer validators, Vietnamese folding and the
//! VietQR builder. Nothing may panic on any input, and what is accepted
//! round-trips.
//!
//! `cargo test -p cuaso-domain --test props` runs proptest's default 256
//! cases a property; `make fuzz` runs 20,000 (`PROPTEST_CASES=20000`).

use cuaso_domain::address::{CCCD_PROVINCE_CODES, PROVINCES};
use cuaso_domain::date::{days_in_month, Date};
use cuaso_domain::feedback::{
    self, check_feedback, Category, Contact, Location, NewFeedback, Position,
};
use cuaso_domain::fold::fold;
use cuaso_domain::form::{Answers, FormSchema, NewDossier};
use cuaso_domain::gs1::{self, check_digit, DigitalLink, Gs1Error};
use cuaso_domain::helper::{check_consent, Consent};
use cuaso_domain::query::ProcedureQuery;
use cuaso_domain::site::parse_hhmm;
use cuaso_domain::track;
use cuaso_domain::validate::{
    check_cccd, check_date, check_email, check_text, clean_answers, normalize_phone,
    validate_answers, Problem,
};
use cuaso_domain::vietqr::{self, crc16_ccitt, crc_ok, fold_purpose};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Strings that look like the input: arbitrary Unicode, printable text, and
/// text made of the characters the rules care about.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[0-9 .+()\\-０-９\u{a0}]{0,20}",
        "[a-zA-Z0-9@._%+\\-]{0,30}",
        "[aăâđeêioôơuưyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ \u{300}-\u{36f}]{0,30}",
        // Letters whose case mapping is not one plain letter.
        "[a-zİIıẞßΣσςǅǄǆﬀŉKΩ\u{345}\u{307} ]{0,12}",
    ]
}

/// `n` data digits and their check digit.
fn gtin(n: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, n).prop_map(|d| {
        let data: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        let c = check_digit(&data).unwrap();
        format!("{data}{c}")
    })
}

const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

fn cset82(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(CSET82.chars().collect::<Vec<_>>()),
        1..=max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn date_between(y0: i32, y1: i32) -> impl Strategy<Value = Date> {
    (y0..=y1, 1u8..=12, 1u8..=31)
        .prop_map(|(y, m, d)| Date::new(y, m, d.min(days_in_month(y, m))).unwrap())
}

/// Segments a Digital Link path is made of, valid and not.
fn link_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "01", "gtin", "22", "cpv", "10", "lot", "21", "ser", "", "17", "%", "%2F", "%zz",
            "%C3%A9", "%FF", "..", "8", "12", "id",
        ])
        .prop_map(str::to_string),
        gtin(13),
        gtin(7),
        gtin(12),
        "[0-9]{1,15}",
        cset82(22),
        "\\PC{0,6}",
    ]
}

fn link_query() -> impl Strategy<Value = String> {
    let param = prop_oneof![
        (
            prop::sample::select(vec!["17", "15", "exp", "bbd"]),
            "[0-9]{5,7}"
        )
            .prop_map(|(k, v)| format!("{k}={v}")),
        (
            prop::sample::select(vec!["linkType", "01", "10", "lot", "3103", "99", "x", "17"]),
            "\\PC{0,8}"
        )
            .prop_map(|(k, v)| format!("{k}={v}")),
        "\\PC{0,8}",
    ];
    prop::collection::vec(param, 0..4).prop_map(|v| v.join("&"))
}

/// Near-valid Digital Links: a scheme and host or none, segments, a query
/// and a fragment.
fn link_like() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "https://id.example.vn",
            "http://x",
            "",
            "ftp:/",
            "1x://h",
            "https://h/p",
        ]),
        prop::collection::vec(link_segment(), 0..9),
        prop::option::of(link_query()),
        prop::option::of("\\PC{0,5}"),
        any::<bool>(),
    )
        .prop_map(|(base, segs, q, frag, slash)| {
            let mut s = format!("{base}/{}", segs.join("/"));
            if slash {
                s.push('/');
            }
            if let Some(q) = q {
                s.push('?');
                s.push_str(&q);
            }
            if let Some(f) = frag {
                s.push('#');
                s.push_str(&f);
            }
            s
        })
}

/// A valid mobile number (`0` + a prefix in use + 7 digits) and the ways
/// people type it.
fn phone() -> impl Strategy<Value = (String, String)> {
    let prefix = prop::sample::select(vec![
        "32", "33", "39", "52", "55", "56", "58", "59", "70", "76", "79", "81", "85", "86", "87",
        "88", "89", "90", "91", "92", "93", "94", "96", "98", "99",
    ]);
    (prefix, "[0-9]{7}", 0..6usize).prop_map(|(p, rest, style)| {
        let national = format!("0{p}{rest}");
        let typed = match style {
            0 => national.clone(),
            1 => format!("+84{p}{rest}"),
            2 => format!("84 {p} {} {}", &rest[..3], &rest[3..]),
            3 => format!("(+84) 0{p}.{}.{}", &rest[..3], &rest[3..]),
            4 => format!(" 0{p}-{}-{} ", &rest[..3], &rest[3..]),
            _ => national
                .chars()
                .map(|c| char::from_u32('０' as u32 + (c as u32 - '0' as u32)).unwrap())
                .collect(),
        };
        (national, typed)
    })
}

/// A CCCD number consistent with the birth date.
fn cccd_for(birth: Date) -> impl Strategy<Value = String> {
    (
        prop::sample::select(CCCD_PROVINCE_CODES.to_vec()),
        any::<bool>(),
        "[0-9]{6}",
        any::<bool>(),
    )
        .prop_map(move |(prov, female, rest, spaced)| {
            let century = (birth.year - 1900) / 100 * 2 + i32::from(female);
            let n = format!("{prov:03}{century}{:02}{rest}", birth.year % 100);
            if spaced {
                format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
            } else {
                n
            }
        })
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z0-9]([a-z0-9._+\\-]{0,20}[a-z0-9])?",
        "[a-z0-9]([a-z0-9\\-]{0,10}[a-z0-9])?",
        "[a-z]{2,6}",
    )
        .prop_filter("no ..", |(l, _, _)| !l.contains(".."))
        .prop_map(|(l, d, t)| format!("{l}@{d}.{t}"))
}

/// Text a citizen types: Vietnamese letters, digits, some punctuation.
fn viet_text(max: usize) -> impl Strategy<Value = String> {
    let re = format!("[A-Za-z0-9Đđăâêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ,.\\-/]{{1,{max}}}");
    proptest::string::string_regex(&re)
        .unwrap()
        .prop_filter("not blank", |s: &String| !s.trim().is_empty())
}

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 23,
};

/// A form with one field of every kind (as `server/seed/forms.json` writes
/// them), one of them behind a condition.
fn schema() -> FormSchema {
    let t = r#"{"vi": "x", "en": "x"}"#;
    let json = format!(
        r#"{{"pages": [
          {{"id": "a", "title": {t}, "fields": [
            {{"id": "ho_ten", "label": {t}, "kind": {{"type": "text", "autocomplete": "name"}}}},
            {{"id": "ngay_sinh", "label": {t}, "kind": {{"type": "date", "rule": "birth"}}}},
            {{"id": "cccd", "label": {t}, "kind": {{"type": "cccd", "birth_date": "ngay_sinh"}}}},
            {{"id": "dien_thoai", "label": {t}, "kind": {{"type": "phone"}}}},
            {{"id": "email", "label": {t}, "kind": {{"type": "email"}}, "optional": true}}
          ]}},
          {{"id": "b", "title": {t}, "fields": [
            {{"id": "quan_he", "label": {t}, "kind": {{"type": "choice", "options": [
              {{"value": "me", "label": {t}}}, {{"value": "cha", "label": {t}}}, {{"value": "khac", "label": {t}}}]}}}},
            {{"id": "ghi_ro", "label": {t}, "kind": {{"type": "text"}}, "show_if": {{"field": "quan_he", "equals": "khac"}}}},
            {{"id": "co_con", "label": {t}, "kind": {{"type": "yes_no"}}}},
            {{"id": "han", "label": {t}, "kind": {{"type": "date", "rule": "future"}}, "optional": true}}
          ]}},
          {{"id": "c", "title": {t}, "fields": [
            {{"id": "noi_o", "label": {t}, "kind": {{"type": "address"}}}},
            {{"id": "ly_do", "label": {t}, "kind": {{"type": "long_text"}}, "max_len": 500}},
            {{"id": "giay_to", "label": {t}, "kind": {{"type": "file", "accept": ["pdf", "jpeg"], "max_bytes": 5000000, "max_files": 3}}}}
          ]}}
        ]}}"#
    );
    let s: FormSchema = serde_json::from_str(&json).unwrap();
    s.check().unwrap();
    s
}

fn upload_id() -> impl Strategy<Value = String> {
    "[0-9a-f]{32}"
}

/// Answers that pass every rule of [`schema`], typed as people type them.
fn valid_answers() -> impl Strategy<Value = Answers> {
    date_between(1900, 2026)
        .prop_filter("birth in range", |d| {
            *d <= TODAY && *d >= TODAY.add_years(-130)
        })
        .prop_flat_map(|birth| {
            (
                Just(birth),
                cccd_for(birth),
                viet_text(200),
                phone(),
                prop::option::of(email()),
                prop::sample::select(vec!["me", "cha", "khac"]),
                viet_text(200),
                any::<bool>(),
                prop::option::of(date_between(2026, 2036)),
                (
                    prop::sample::select(PROVINCES.to_vec()),
                    viet_text(100),
                    viet_text(200),
                ),
                ("[a-zA-Zàđ .,\\n\\r]{0,40}", viet_text(400)),
                prop::collection::vec(upload_id(), 1..=3),
            )
        })
        .prop_map(
            |(birth, cccd, name, (_, phone), email, rel, other, kids, due, addr, text, files)| {
                let mut a = Answers::new();
                a.insert("ho_ten".into(), format!(" {name} "));
                a.insert("ngay_sinh".into(), birth.to_string());
                a.insert("cccd".into(), cccd);
                a.insert("dien_thoai".into(), phone);
                if let Some(e) = email {
                    a.insert("email".into(), e);
                }
                a.insert("quan_he".into(), rel.into());
                a.insert("ghi_ro".into(), other);
                a.insert("co_con".into(), if kids { "yes" } else { "no" }.into());
                if let Some(d) = due.filter(|d| *d >= TODAY && *d <= TODAY.add_years(10)) {
                    a.insert("han".into(), d.to_string());
                }
                a.insert("noi_o.province".into(), addr.0 .0.into());
                a.insert("noi_o.commune".into(), addr.1);
                a.insert("noi_o.street".into(), addr.2);
                a.insert("ly_do".into(), format!("{}{}", text.1, text.0));
                let mut ids = files.clone();
                ids.push(files[0].clone()); // a repeat is allowed, and dropped by clean
                a.insert("giay_to".into(), ids.join(","));
                a
            },
        )
}

/// Arbitrary answers under the schema's keys and others.
fn messy_answers() -> impl Strategy<Value = Answers> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "ho_ten",
            "ngay_sinh",
            "cccd",
            "dien_thoai",
            "email",
            "quan_he",
            "ghi_ro",
            "co_con",
            "han",
            "noi_o.province",
            "noi_o.commune",
            "noi_o.street",
            "ly_do",
            "giay_to",
            "noi_o",
        ])
        .prop_map(str::to_string),
        "\\PC{0,10}",
    ];
    let value = prop_oneof![
        messy(),
        prop::sample::select(vec![
            "khac",
            "yes",
            "no",
            "1990-02-29",
            "2000-02-29",
            "0000-00-00",
            "an-giang"
        ])
        .prop_map(str::to_string),
        prop::collection::vec(upload_id(), 0..6).prop_map(|v| v.join(",")),
    ];
    prop::collection::btree_map(key, value, 0..16)
}

fn feedback_valid() -> impl Strategy<Value = NewFeedback> {
    (
        prop::sample::select(Category::ALL.to_vec()),
        viet_text(150),
        viet_text(1000),
        prop::collection::btree_set(upload_id(), 0..=3),
        prop::option::of((
            8.0f64..=23.5,
            102.0f64..=110.0,
            prop::option::of(0u32..5000),
        )),
        viet_text(100),
        viet_text(300),
        (
            prop::option::of(viet_text(100)),
            prop::option::of(phone()),
            prop::option::of(email()),
        ),
    )
        .prop_map(
            |(category, title, description, photos, pos, commune, address, (n, p, e))| {
                NewFeedback {
                    category,
                    title,
                    description,
                    photos: photos.into_iter().collect(),
                    location: Location {
                        position: pos.map(|(lat, lon, accuracy_m)| Position {
                            lat,
                            lon,
                            accuracy_m,
                        }),
                        commune,
                        address,
                    },
                    contact: Contact {
                        name: n.unwrap_or_default(),
                        phone: p.map(|p| p.1).unwrap_or_default(),
                        email: e.unwrap_or_default(),
                    },
                }
            },
        )
}

fn feedback_messy() -> impl Strategy<Value = NewFeedback> {
    (
        prop::sample::select(Category::ALL.to_vec()),
        messy(),
        messy(),
        prop::collection::vec(prop_oneof![upload_id(), messy()], 0..6),
        prop::option::of((any::<f64>(), any::<f64>(), any::<Option<u32>>())),
        (messy(), messy()),
        (messy(), messy(), messy()),
    )
        .prop_map(
            |(
                category,
                title,
                description,
                photos,
                pos,
                (commune, address),
                (name, phone, email),
            )| {
                NewFeedback {
                    category,
                    title,
                    description,
                    photos,
                    location: Location {
                        position: pos.map(|(lat, lon, accuracy_m)| Position {
                            lat,
                            lon,
                            accuracy_m,
                        }),
                        commune,
                        address,
                    },
                    contact: Contact { name, phone, email },
                }
            },
        )
}

/// Reads EMV TLV fields (`ID`, 2-digit length, value) to the end; `None`
/// if a length runs past the end or is not two digits.
fn tlv(s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let id = rest.get(..2)?;
        let len: usize = rest.get(2..4)?.parse().ok()?;
        let value = rest.get(4..4 + len)?;
        out.push((id.to_string(), value.to_string()));
        rest = &rest[4 + len..];
    }
    Some(out)
}

fn field<'a>(fields: &'a [(String, String)], id: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, v)| v.as_str())
}

/// Every problem survives the trip through its wire form (code and args).
fn wire_round_trip(problems: &[(String, Problem)]) -> Result<(), TestCaseError> {
    for (_, p) in problems {
        prop_assert_eq!(Problem::from_code(p.code(), &p.args()), Some(p.clone()));
        prop_assert!(!p.message("vi").is_empty() && !p.message("en").is_empty());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// GS1 Digital Link
// ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn gs1_parse_never_panics(s in prop_oneof![any::<String>(), link_like()]) {
        let _ = gs1::parse(&s);
    }

    #[test]
    fn gs1_parse_of_bytes_never_panics(b in prop::collection::vec(any::<u8>(), 0..80)) {
        let _ = gs1::parse(&String::from_utf8_lossy(&b));
    }

    /// Whatever parses, its canonical URI parses back to the same link, and
    /// every error has a code and a message in both languages.
    #[test]
    fn gs1_whatever_parses_round_trips(s in link_like()) {
        match gs1::parse(&s) {
            Ok(link) => {
                prop_assert_eq!(link.gtin.len(), 14);
                prop_assert!(gs1::is_valid_gtin(&link.gtin));
                let again = gs1::parse(&link.uri("https://id.example.vn/"));
                prop_assert_eq!(again, Ok(link.clone()));
                prop_assert_eq!(gs1::parse(&link.path()).map(|l| l.gtin), Ok(link.gtin.clone()));
            }
            Err(e) => {
                prop_assert!(!e.code().is_empty());
                prop_assert!(!e.message("vi").is_empty() && !e.message("en").is_empty());
            }
        }
    }

    /// A built link (GTIN-14, lot, optional expiry and the rest) parses to
    /// the same values.
    #[test]
    fn gs1_built_link_parses_back(
        gtin in gtin(13),
        cpv in prop::option::of(cset82(20)),
        lot in cset82(20),
        serial in prop::option::of(cset82(20)),
        expiry in prop::option::of(date_between(2000, 2099)),
        best_before in prop::option::of(date_between(2000, 2099)),
        link_type in prop::option::of("\\PC{1,12}"),
        extra in prop::collection::btree_map(
            "[0-9]{2,4}".prop_filter("not a key, qualifier or date", |k: &String| {
                !["01", "22", "10", "21", "17", "15"].contains(&k.as_str())
            }),
            "\\PC{1,12}",
            0..3,
        ),
    ) {
        let link = DigitalLink {
            gtin,
            cpv,
            lot: Some(lot),
            serial,
            expiry,
            best_before,
            link_type,
            extra: extra.into_iter().collect(),
        };
        prop_assert_eq!(gs1::parse(&link.uri("https://id.example.vn")), Ok(link.clone()));
        prop_assert_eq!(gs1::parse(&format!("  {}#top ", link.uri("http://h/any/prefix/"))), Ok(link.clone()));
        let json = serde_json::to_string(&link).unwrap();
        prop_assert_eq!(&serde_json::from_str::<DigitalLink>(&json).unwrap(), &link);
    }

    /// GTIN-8, -12 and -13 are read as GTIN-14, left-padded with zeros.
    #[test]
    fn gs1_short_gtins_pad_to_14(g in prop_oneof![gtin(7), gtin(11), gtin(12)], lot in cset82(20)) {
        let l = gs1::parse(&format!("/01/{g}/10/{}", lot.replace('%', "%25").replace('/', "%2F").replace('?', "%3F").replace('#', "%23"))).unwrap();
        prop_assert_eq!(l.gtin, format!("{g:0>14}"));
        prop_assert_eq!(l.lot, Some(lot));
    }

    /// A wrong check digit is refused, naming the right one.
    #[test]
    fn gs1_wrong_check_digit_refused(g in gtin(13), bump in 1u8..10) {
        let right = g.as_bytes()[13] - b'0';
        let wrong = (right + bump) % 10;
        let bad = format!("{}{wrong}", &g[..13]);
        prop_assert_eq!(
            gs1::parse(&format!("https://id.example.vn/01/{bad}/10/A1")),
            Err(Gs1Error::CheckDigit { expected: right, found: wrong })
        );
        prop_assert!(!gs1::is_valid_gtin(&bad));
    }

    /// A lot with a character outside GS1 set 82, or longer than 20, is refused.
    #[test]
    fn gs1_bad_lot_refused(g in gtin(13), lot in "\\PC{1,25}") {
        let enc: String = lot.bytes().map(|b| format!("%{b:02X}")).collect();
        let r = gs1::parse(&format!("/01/{g}/10/{enc}"));
        if lot.chars().all(gs1::is_cset82) && lot.len() <= 20 {
            prop_assert_eq!(r.map(|l| l.lot), Ok(Some(lot)));
        } else {
            let is_bad = matches!(r, Err(Gs1Error::BadCharacter { .. } | Gs1Error::TooLong { .. }));
            prop_assert!(is_bad, "{:?}", r);
        }
    }
}

// ---------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn single_checks_never_panic(s in messy(), max in 0u32..300, multiline in any::<bool>(), birth in prop::option::of(date_between(1800, 2400))) {
        let mut problems = Vec::new();
        for r in [
            check_text(&s, max, multiline),
            check_cccd(&s, birth),
            check_email(&s),
            normalize_phone(&s).map(|_| ()),
            check_date(&s, cuaso_domain::form::DateRule::Birth, TODAY).map(|_| ()),
            check_date(&s, cuaso_domain::form::DateRule::Past, TODAY).map(|_| ()),
            check_date(&s, cuaso_domain::form::DateRule::Future, TODAY).map(|_| ()),
        ] {
            if let Err(p) = r {
                problems.push((String::new(), p));
            }
        }
        wire_round_trip(&problems)?;
        let _ = cuaso_domain::validate::file_ids(&s, max);
        if let Some(c) = track::normalize_code(&s) {
            prop_assert_eq!(track::normalize_code(&c), Some(c.clone()));
        }
        if let Some(c) = feedback::normalize_code(&s) {
            prop_assert_eq!(feedback::normalize_code(&c), Some(c.clone()));
        }
    }

    /// A phone number typed any usual way reads as `0xxxxxxxxx`, which
    /// reads as itself.
    #[test]
    fn phone_normalizes_idempotently((national, typed) in phone()) {
        prop_assert_eq!(normalize_phone(&typed), Ok(national.clone()));
        prop_assert_eq!(normalize_phone(&national), Ok(national.clone()));
    }

    /// Whatever is accepted as a phone is 10 ASCII digits from `0`, stable.
    #[test]
    fn accepted_phone_is_canonical(s in messy()) {
        if let Ok(n) = normalize_phone(&s) {
            prop_assert!(n.len() == 10 && n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(normalize_phone(&n), Ok(n.clone()));
        }
    }

    #[test]
    fn cccd_consistent_with_birth_accepted(birth in date_between(1900, 2099), n in date_between(1900, 2099).prop_flat_map(cccd_for)) {
        // Any well-formed number passes without a birth date; with one, only
        // when the century and year digits agree.
        prop_assert_eq!(check_cccd(&n, None), Ok(()));
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        let year = 1900 + 100 * (i32::from(digits.as_bytes()[3] - b'0') / 2) + digits[4..6].parse::<i32>().unwrap();
        prop_assert_eq!(check_cccd(&n, Some(birth)).is_ok(), year == birth.year);
    }

    #[test]
    fn generated_emails_accepted(e in email()) {
        prop_assert_eq!(check_email(&e), Ok(()));
    }

    #[test]
    fn dates_print_and_parse_back(d in date_between(1, 9999), n in -100_000i32..100_000) {
        prop_assert_eq!(Date::parse(&d.to_string()), Some(d));
        prop_assert_eq!(Date::from_days(d.to_days()), d);
        prop_assert_eq!(d.add_days(n).to_days(), d.to_days() + n);
    }

    /// Arbitrary answers: no panic, problems only under the schema's keys,
    /// and cleaning never turns a valid set of answers invalid.
    #[test]
    fn form_validation_never_panics(answers in messy_answers()) {
        let s = schema();
        let problems = validate_answers(&s, &answers, TODAY);
        wire_round_trip(&problems)?;
        let keys: Vec<String> = s.fields().flat_map(|(_, f)| cuaso_domain::validate::answer_keys(f)).collect();
        for (k, _) in &problems {
            prop_assert!(keys.contains(k), "problem under {k}");
        }
        for page in &s.pages {
            let _ = cuaso_domain::validate::validate_page(&s, page, &answers, TODAY);
        }
        let cleaned = clean_answers(&s, &answers);
        prop_assert_eq!(&clean_answers(&s, &cleaned), &cleaned);
        if problems.is_empty() {
            prop_assert_eq!(validate_answers(&s, &cleaned, TODAY), vec![]);
        }
    }

    /// Valid answers pass, still pass once cleaned, and a dossier made of
    /// them comes back from JSON equal and still valid.
    #[test]
    fn valid_answers_stay_valid(answers in valid_answers()) {
        let s = schema();
        prop_assert_eq!(validate_answers(&s, &answers, TODAY), vec![]);
        let cleaned = clean_answers(&s, &answers);
        prop_assert_eq!(validate_answers(&s, &cleaned, TODAY), vec![]);
        prop_assert_eq!(&clean_answers(&s, &cleaned), &cleaned);
        let d = NewDossier { procedure: "1.001193".into(), answers: cleaned };
        let back: NewDossier = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        prop_assert_eq!(&back, &d);
        prop_assert_eq!(validate_answers(&s, &back.answers, TODAY), vec![]);
    }

    #[test]
    fn feedback_check_never_panics(f in feedback_messy()) {
        wire_round_trip(&check_feedback(&f))?;
        if let Ok(json) = serde_json::to_string(&f) {
            if let Ok(back) = serde_json::from_str::<NewFeedback>(&json) {
                // NaN and infinities are written as null and do not come back.
                let _ = check_feedback(&back);
            }
        }
    }

    #[test]
    fn valid_feedback_stays_valid(f in feedback_valid()) {
        prop_assert_eq!(check_feedback(&f), vec![]);
        let back: NewFeedback = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        prop_assert_eq!(check_feedback(&back), vec![]);
        // serde_json (without its `float_roundtrip` feature) may read a
        // coordinate back one unit in the last place off: nanometres.
        let (p0, p1) = (f.location.position.clone(), back.location.position.clone());
        prop_assert_eq!(p0.is_some(), p1.is_some());
        if let (Some(a), Some(b)) = (p0, p1) {
            prop_assert!((a.lat - b.lat).abs() <= 1e-12 && (a.lon - b.lon).abs() <= 1e-12);
            prop_assert_eq!(a.accuracy_m, b.accuracy_m);
        }
        let strip = |mut f: NewFeedback| {
            f.location.position = None;
            f
        };
        prop_assert_eq!(strip(back), strip(f));
    }

    #[test]
    fn consent_check(given in any::<bool>(), name in prop_oneof![messy(), viet_text(100)], phone in prop_oneof![messy(), phone().prop_map(|p| p.1)]) {
        let c = Consent { given, name, phone };
        let problems = check_consent(&c);
        wire_round_trip(&problems)?;
        prop_assert_eq!(given, !problems.iter().any(|(k, _)| k == "consent.given"));
        let back: Consent = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        prop_assert_eq!(check_consent(&back), problems);
    }
}

/// Percent-decodes a query value (`+` is a space), as the server's
/// extractor does.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    /// A catalogue query the app builds reads back the same on the server;
    /// arbitrary pairs never panic, and what they give also round-trips.
    #[test]
    fn catalogue_query_round_trips(
        q in prop_oneof![messy(), viet_text(100)],
        field in prop::option::of(prop_oneof!["[a-z0-9\\-]{1,40}", messy()]),
        page in prop_oneof![1u32..=1000, any::<u32>()],
        raw_page in messy(),
    ) {
        let built = ProcedureQuery::new(&q, field.as_deref(), page);
        if built.validate().is_ok() {
            let qs = built.to_query_string();
            let pairs: Vec<(String, String)> = qs
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap();
                    (unescape(k), unescape(v))
                })
                .collect();
            let back = ProcedureQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            prop_assert_eq!(back, Ok(built));
        }
        let pairs = [("q", q.as_str()), ("field", field.as_deref().unwrap_or("")), ("page", raw_page.as_str())];
        if let Ok(got) = ProcedureQuery::from_pairs(pairs) {
            prop_assert!(got.validate().is_ok() && (1..=1000).contains(&got.page));
        }
    }

    /// Opening hours read only as `HH:MM` (or `24:00`).
    #[test]
    fn hhmm_is_strict(s in prop_oneof!["[+0-9]{2}:[+0-9]{2}", "[+\\- 0-9]{1,3}:[+\\- 0-9]{1,3}", messy()], m in 0u16..=1440) {
        if let Some(v) = parse_hhmm(&s) {
            prop_assert_eq!(s, format!("{:02}:{:02}", v / 60, v % 60));
        }
        prop_assert_eq!(parse_hhmm(&format!("{:02}:{:02}", m / 60, m % 60)), Some(m));
    }
}

// ---------------------------------------------------------------------------
// Vietnamese folding
// ---------------------------------------------------------------------------

const VIET: &str = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ";

proptest! {
    #[test]
    fn fold_is_idempotent(s in messy()) {
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f.clone());
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
        let _ = cuaso_domain::fold::words(&f).count();
    }

    /// Vietnamese text, in either case, with any punctuation and spacing,
    /// folds to lowercase ASCII letters and single spaces.
    #[test]
    fn fold_of_vietnamese_is_ascii(
        words in prop::collection::vec(
            prop::collection::vec(prop::sample::select(VIET.chars().collect::<Vec<_>>()), 1..8),
            0..6,
        ),
        upper in any::<bool>(),
        sep in prop::sample::select(vec![" ", "  ", "-", ", ", "\t", "(", ")"]),
    ) {
        let text: String = words.iter().map(|w| w.iter().collect::<String>()).collect::<Vec<_>>().join(sep);
        let text = if upper { text.to_uppercase() } else { text };
        let f = fold(&text);
        prop_assert!(f.bytes().all(|b| b.is_ascii_lowercase() || b == b' '), "{text:?} → {f:?}");
        prop_assert_eq!(f.split(' ').filter(|w| !w.is_empty()).count(), words.len());
        prop_assert_eq!(fold(&text.to_lowercase()), f.clone());
    }
}

// ---------------------------------------------------------------------------
// VietQR
// ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn vietqr_never_panics(bin in prop_oneof!["[0-9]{6}", messy()], account in prop_oneof!["[A-Za-z0-9]{1,19}", messy()], amount in any::<u64>(), purpose in messy()) {
        if let Ok(p) = vietqr::payload(&bin, &account, amount, &purpose) {
            prop_assert!(crc_ok(&p));
        }
        if let Ok(f) = fold_purpose(&purpose) {
            prop_assert!(f.len() <= 25 && f.bytes().all(|b| b.is_ascii_alphanumeric() || b" -.".contains(&b)));
        }
        let _ = crc_ok(&purpose);
    }

    /// The payload reads back, field by field, to what it was built from;
    /// every length field matches its value and the CRC verifies.
    #[test]
    fn vietqr_reads_back(
        bin in "[0-9]{6}",
        account in "[A-Za-z0-9]{1,19}",
        amount in 1u64..=9_999_999_999_999,
        purpose in prop_oneof![Just(String::new()), "[A-Za-z0-9 .\\-]{1,25}", viet_text(25)],
    ) {
        let Ok(folded) = fold_purpose(&purpose) else {
            // `,` or `/` typed: refused, as the builder must refuse it too.
            prop_assert!(vietqr::payload(&bin, &account, amount, &purpose).is_err());
            return Ok(());
        };
        let p = vietqr::payload(&bin, &account, amount, &purpose).unwrap();
        prop_assert!(p.is_ascii());
        prop_assert!(crc_ok(&p));
        prop_assert_eq!(&p[p.len() - 4..], format!("{:04X}", crc16_ccitt(&p.as_bytes()[..p.len() - 4])));
        let top = tlv(&p).expect("top-level TLV lengths match");
        let ids: Vec<&str> = top.iter().map(|(i, _)| i.as_str()).collect();
        let want: &[&str] = if folded.is_empty() {
            &["00", "01", "38", "53", "54", "58", "63"]
        } else {
            &["00", "01", "38", "53", "54", "58", "62", "63"]
        };
        prop_assert_eq!(ids.as_slice(), want);
        let amount_s = amount.to_string();
        prop_assert_eq!(field(&top, "54"), Some(amount_s.as_str()));
        prop_assert_eq!(field(&top, "53"), Some("704"));
        prop_assert_eq!(field(&top, "58"), Some("VN"));
        let merchant = tlv(field(&top, "38").unwrap()).expect("field 38 lengths match");
        prop_assert_eq!(field(&merchant, "00"), Some("A000000727"));
        prop_assert_eq!(field(&merchant, "02"), Some("QRIBFTTA"));
        let bene = tlv(field(&merchant, "01").unwrap()).expect("beneficiary lengths match");
        prop_assert_eq!(field(&bene, "00"), Some(bin.as_str()));
        prop_assert_eq!(field(&bene, "01"), Some(account.as_str()));
        if !folded.is_empty() {
            let extra = tlv(field(&top, "62").unwrap()).expect("field 62 lengths match");
            prop_assert_eq!(field(&extra, "08"), Some(folded.as_str()));
        }
        // One changed character in the body breaks the check.
        let i = (amount as usize) % (p.len() - 4);
        let mut t = p.clone().into_bytes();
        t[i] = if t[i] == b'0' { b'1' } else { b'0' };
        prop_assert!(!crc_ok(std::str::from_utf8(&t).unwrap()));
    }

    /// The transfer message keeps the base letters of what was typed.
    #[test]
    fn vietqr_purpose_folds_like_search(purpose in viet_text(25)) {
        if let Ok(f) = fold_purpose(&purpose) {
            prop_assert_eq!(fold(&f), fold(&purpose));
        }
    }
}
