//! Tests of [`crate::validate`]: every problem and check, fields, pages and whole forms.

use super::*;
use crate::api::Text;
use crate::date::Date;
use crate::form::{
    Answers, ChoiceOption, Condition, DateRule, FieldKind, FileType, FormField, FormPage,
    FormSchema,
};

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
        prefill: None,
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
    // What is missing is named, as it reads inside a sentence.
    let name = Problem::missing("Họ, chữ đệm và tên", "Full name");
    assert_eq!(name.message("vi"), "Nhập họ, chữ đệm và tên");
    assert_eq!(name.message("en"), "Enter full name");
    assert_eq!(
        Problem::missing("CCCD của mẹ", "CCCD").message("en"),
        "Enter CCCD"
    );
    assert_eq!(
        Problem::missing("Bạn là gì của trẻ?", "What are you to the child?").message("vi"),
        "Trả lời câu hỏi “Bạn là gì của trẻ?”"
    );
    // Its code and args carry it through the API and back.
    assert_eq!(name.code(), "required");
    assert_eq!(Problem::from_code("required", &name.args()), Some(name));
    assert_eq!(Problem::from_code("required", &[]), Some(Problem::Required));
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
    // An empty required field names what to enter: its label.
    let need = Problem::missing("name", "name");
    assert_eq!(one(&name, ""), [need.clone()]);
    assert_eq!(one(&name, "   "), [need.clone()]);
    assert_eq!(
        validate_field(&name, &Answers::new(), TODAY),
        [("name".to_string(), need)]
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
            (
                "home.commune".to_string(),
                Problem::missing("xã, phường, đặc khu", "the commune or ward")
            ),
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
            ("name".to_string(), Problem::missing("name", "name")),
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
            ("reason".to_string(), Problem::missing("reason", "reason")),
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
