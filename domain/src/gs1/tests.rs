//! Tests of [`crate::gs1`]: check digits, parsing and building Digital Link URIs, errors.

use super::*;
use Gs1Error::*;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn link(gtin: &str) -> DigitalLink {
    DigitalLink {
        gtin: gtin.into(),
        ..DigitalLink::default()
    }
}

#[test]
fn check_digits() {
    // Well-known real codes: GS1's Digital Link example, an EAN-13, a
    // UPC-A, an EAN-8; and Vietnamese (893) GTIN-13s.
    for (data, cd) in [
        ("0950600013435", 2),
        ("400638133393", 1),
        ("03600029145", 2),
        ("9638507", 4),
        ("893000000001", 9),
        ("893852100001", 3),
        ("893000000012", 5),
        ("1893000000001", 6),
    ] {
        assert_eq!(check_digit(data), Some(cd), "{data}");
    }
    assert_eq!(check_digit(""), None);
    assert_eq!(check_digit("12a"), None);
    assert!(is_valid_gtin("8930000000019"));
    assert!(!is_valid_gtin("8930000000017"));
    assert!(is_valid_gtin("96385074"));
    assert!(!is_valid_gtin("8930000000019 "));
    assert_eq!(gtin14("96385074").unwrap(), "00000096385074");
    assert_eq!(gtin14("036000291452").unwrap(), "00036000291452");
    assert_eq!(gtin14("8930000000019").unwrap(), "08930000000019");
    assert_eq!(gtin14("18930000000016").unwrap(), "18930000000016");
    assert_eq!(gtin14(""), Err(GtinLength { len: 0 }));
    assert_eq!(
        gtin14("893000000001"),
        Err(CheckDigit {
            expected: 8,
            found: 1
        })
    );
}

#[test]
fn valid_uris() {
    let g = "08930000000019";
    let with = |f: &dyn Fn(&mut DigitalLink)| {
        let mut l = link(g);
        f(&mut l);
        l
    };
    let cases: Vec<(&str, DigitalLink)> = vec![
        ("https://example.com/01/08930000000019", link(g)),
        ("https://example.com/01/8930000000019", link(g)),
        ("/01/8930000000019", link(g)),
        ("/01/00000096385074", link("00000096385074")),
        ("/01/96385074", link("00000096385074")),
        ("/01/036000291452", link("00036000291452")),
        (
            "https://id.gs1.org/01/09506000134352",
            link("09506000134352"),
        ),
        ("/01/18930000000016", link("18930000000016")),
        ("/01/8930000000019/", link(g)),
        ("/01/8930000000019#top", link(g)),
        ("  https://example.com/01/8930000000019\n", link(g)),
        ("HTTP://EXAMPLE.COM/01/8930000000019", link(g)),
        ("https://example.com/qr/v1/01/8930000000019", link(g)),
        ("https://example.com/a/b/c/01/8930000000019", link(g)),
        // The first 01 followed by a value is the key.
        (
            "https://example.com/p/01/8930000000019/10/A",
            with(&|l| l.lot = Some("A".into())),
        ),
        (
            "/gtin/8930000000019/lot/L2408",
            with(&|l| l.lot = Some("L2408".into())),
        ),
        (
            "/01/8930000000019/10/L2408",
            with(&|l| l.lot = Some("L2408".into())),
        ),
        (
            "/01/8930000000019/21/S-1",
            with(&|l| l.serial = Some("S-1".into())),
        ),
        (
            "/01/8930000000019/ser/S-1",
            with(&|l| l.serial = Some("S-1".into())),
        ),
        (
            "/01/8930000000019/22/V1",
            with(&|l| l.cpv = Some("V1".into())),
        ),
        (
            "/01/8930000000019/cpv/V1/lot/L1/ser/S1/",
            with(&|l| {
                l.cpv = Some("V1".into());
                l.lot = Some("L1".into());
                l.serial = Some("S1".into());
            }),
        ),
        (
            "/01/8930000000019/22/V1/21/S1",
            with(&|l| {
                l.cpv = Some("V1".into());
                l.serial = Some("S1".into());
            }),
        ),
        (
            "/01/8930000000019/10/L1/21/S1",
            with(&|l| {
                l.lot = Some("L1".into());
                l.serial = Some("S1".into());
            }),
        ),
        (
            "/01/8930000000019/10/L%2F24",
            with(&|l| l.lot = Some("L/24".into())),
        ),
        (
            "/01/8930000000019/10/a%2fb%25",
            with(&|l| l.lot = Some("a/b%".into())),
        ),
        (
            "/01/8930000000019/10/A+B!*(x)",
            with(&|l| l.lot = Some("A+B!*(x)".into())),
        ),
        (
            "/01/8930000000019/10/ABCDEFGHIJ0123456789",
            with(&|l| l.lot = Some("ABCDEFGHIJ0123456789".into())),
        ),
        (
            "/01/8930000000019?17=261231",
            with(&|l| l.expiry = Some(d(2026, 12, 31))),
        ),
        (
            "/01/8930000000019?17=261200",
            with(&|l| l.expiry = Some(d(2026, 12, 31))),
        ),
        (
            "/01/8930000000019?17=280200",
            with(&|l| l.expiry = Some(d(2028, 2, 29))),
        ),
        (
            "/01/8930000000019?exp=270400",
            with(&|l| l.expiry = Some(d(2027, 4, 30))),
        ),
        (
            "/01/8930000000019?15=260115",
            with(&|l| l.best_before = Some(d(2026, 1, 15))),
        ),
        (
            "/01/8930000000019?17=261231&15=260630&linkType=gs1:pip",
            with(&|l| {
                l.expiry = Some(d(2026, 12, 31));
                l.best_before = Some(d(2026, 6, 30));
                l.link_type = Some("gs1:pip".into());
            }),
        ),
        (
            "/01/8930000000019/10/L1?linkType=gs1%3Atraceability#x",
            with(&|l| {
                l.lot = Some("L1".into());
                l.link_type = Some("gs1:traceability".into());
            }),
        ),
        (
            "/01/8930000000019?utm_source=zalo&src=qr&&linkType=linkset",
            with(&|l| l.link_type = Some("linkset".into())),
        ),
        (
            "/01/8930000000019?3103=000500&7003=2601011200",
            with(&|l| {
                l.extra = vec![
                    ("3103".into(), "000500".into()),
                    ("7003".into(), "2601011200".into()),
                ]
            }),
        ),
    ];
    for (uri, want) in cases {
        assert_eq!(parse(uri), Ok(want), "{uri}");
    }
}

#[test]
fn invalid_uris() {
    let s = |x: &str| x.to_string();
    let cases: Vec<(&str, Gs1Error)> = vec![
        ("", NotDigitalLink),
        ("8930000000019", NotDigitalLink),
        ("example.com/01/8930000000019", NotDigitalLink),
        ("https://example.com", NotDigitalLink),
        ("https://example.com/", NotDigitalLink),
        ("https://example.com/s/chua-thien-mu", NotDigitalLink),
        ("https://example.com/10/L1", NotDigitalLink),
        ("https://example.com/01", MissingValue(s("01"))),
        ("https://example.com/01/", MissingValue(s("01"))),
        ("/01//10/L1", MissingValue(s("01"))),
        (
            "/01/8930000000017",
            CheckDigit {
                expected: 9,
                found: 7,
            },
        ),
        (
            "/01/08930000000017",
            CheckDigit {
                expected: 9,
                found: 7,
            },
        ),
        (
            "/01/96385075",
            CheckDigit {
                expected: 4,
                found: 5,
            },
        ),
        ("/01/893000000001A", GtinNotDigits),
        ("/01/893 000000001", GtinNotDigits),
        ("/01/893%20000000001", GtinNotDigits),
        ("/01/-8930000000019", GtinNotDigits),
        ("/01/89300000019", GtinLength { len: 11 }),
        (
            "/01/893000000019",
            CheckDigit {
                expected: 5,
                found: 9,
            },
        ),
        ("/01/1234567", GtinLength { len: 7 }),
        ("/01/123456789", GtinLength { len: 9 }),
        ("/01/089300000000190", GtinLength { len: 15 }),
        (
            "/01/8930000000019/21/S1/10/L1",
            QualifierOrder {
                ai: s("10"),
                after: s("21"),
            },
        ),
        (
            "/01/8930000000019/10/L1/22/V1",
            QualifierOrder {
                ai: s("22"),
                after: s("10"),
            },
        ),
        (
            "/01/8930000000019/21/S1/22/V1",
            QualifierOrder {
                ai: s("22"),
                after: s("21"),
            },
        ),
        (
            "/01/8930000000019/ser/S1/lot/L1",
            QualifierOrder {
                ai: s("10"),
                after: s("21"),
            },
        ),
        ("/01/8930000000019/10/L1/10/L2", DuplicateAi(s("10"))),
        ("/01/8930000000019/10/L1/lot/L2", DuplicateAi(s("10"))),
        ("/01/8930000000019/22/V/22/V", DuplicateAi(s("22"))),
        ("/01/8930000000019/01/8930000000019", DuplicateAi(s("01"))),
        (
            "/01/8930000000019?17=261231&17=261231",
            DuplicateAi(s("17")),
        ),
        (
            "/01/8930000000019?17=261231&exp=261231",
            DuplicateAi(s("17")),
        ),
        ("/01/8930000000019?3103=1&3103=2", DuplicateAi(s("3103"))),
        ("/01/8930000000019/17/261231", UnknownAi(s("17"))),
        ("/01/8930000000019/254/X", UnknownAi(s("254"))),
        ("/01/8930000000019/batch/X", UnknownAi(s("batch"))),
        ("/01/8930000000019/10", MissingValue(s("10"))),
        ("/01/8930000000019/10/", MissingValue(s("10"))),
        ("/01/8930000000019/10//", MissingValue(s("10"))),
        ("/01/8930000000019/10/L1/21", MissingValue(s("21"))),
        ("/01/8930000000019?17=", MissingValue(s("17"))),
        ("/01/8930000000019?15", MissingValue(s("15"))),
        (
            "/01/8930000000019/10/Lé",
            BadCharacter {
                ai: s("10"),
                ch: 'é',
            },
        ),
        (
            "/01/8930000000019/10/L%C3%A9",
            BadCharacter {
                ai: s("10"),
                ch: 'é',
            },
        ),
        (
            "/01/8930000000019/10/L%2024",
            BadCharacter {
                ai: s("10"),
                ch: ' ',
            },
        ),
        (
            "/01/8930000000019/10/L 24",
            BadCharacter {
                ai: s("10"),
                ch: ' ',
            },
        ),
        (
            "/01/8930000000019/21/S%23",
            BadCharacter {
                ai: s("21"),
                ch: '#',
            },
        ),
        (
            "/01/8930000000019/22/V~1",
            BadCharacter {
                ai: s("22"),
                ch: '~',
            },
        ),
        (
            "/01/8930000000019/10/%0A",
            BadCharacter {
                ai: s("10"),
                ch: '\n',
            },
        ),
        (
            "/01/8930000000019/10/ABCDEFGHIJ0123456789X",
            TooLong {
                ai: s("10"),
                max: 20,
            },
        ),
        (
            "/01/8930000000019/21/%41BCDEFGHIJ0123456789X",
            TooLong {
                ai: s("21"),
                max: 20,
            },
        ),
        (
            "/01/8930000000019/22/ABCDEFGHIJ0123456789X",
            TooLong {
                ai: s("22"),
                max: 20,
            },
        ),
        ("/01/8930000000019/10/L%2", BadPercentEncoding),
        ("/01/8930000000019/10/L%G1", BadPercentEncoding),
        ("/01/8930000000019/10/L%", BadPercentEncoding),
        ("/01/8930000000019/10/L%C3", BadPercentEncoding),
        ("/01/8930000000019?17=26%1", BadPercentEncoding),
        ("/01/8930000000019?17=261332", BadDate { ai: s("17") }),
        ("/01/8930000000019?17=261131", BadDate { ai: s("17") }),
        ("/01/8930000000019?17=270229", BadDate { ai: s("17") }),
        ("/01/8930000000019?17=261300", BadDate { ai: s("17") }),
        ("/01/8930000000019?17=2612", BadDate { ai: s("17") }),
        ("/01/8930000000019?17=20261231", BadDate { ai: s("17") }),
        ("/01/8930000000019?bbd=26123A", BadDate { ai: s("15") }),
        ("https://example.com//01/8930000000019", EmptySegment),
        ("/qr//01/8930000000019", EmptySegment),
        ("/01/8930000000019//10/L1", EmptySegment),
        ("/01/8930000000019?10=L1", AiInQuery(s("10"))),
        ("/01/8930000000019?ser=S1", AiInQuery(s("21"))),
        ("/01/8930000000019?01=8930000000019", AiInQuery(s("01"))),
    ];
    for (uri, want) in cases {
        assert_eq!(parse(uri), Err(want), "{uri}");
    }
}

#[test]
fn builder_round_trips() {
    let g = "08930000000019";
    let mut full = link(g);
    full.cpv = Some("V-2".into());
    full.lot = Some("L/24_(A)".into());
    full.serial = Some("S'\"%&*+,:;<=>?!".into());
    full.expiry = Some(d(2026, 12, 31));
    full.best_before = Some(d(2026, 6, 1));
    full.link_type = Some("gs1:traceability".into());
    full.extra = vec![("3103".into(), "000500".into())];
    let mut lot = link(g);
    lot.lot = Some("L2408".into());
    let mut reserved = link("00000096385074");
    reserved.lot = Some("A/B?C%".into());
    reserved.serial = Some("x.y-z_1".into());
    let mut expiry = link(g);
    expiry.lot = Some("L1".into());
    expiry.expiry = Some(d(2028, 2, 29));
    for l in [link(g), lot, reserved, expiry, full] {
        assert_eq!(parse(&l.path()).unwrap().path(), l.path());
        assert_eq!(
            parse(&l.uri("https://truyxuat.quangtri.gov.vn")),
            Ok(l.clone())
        );
        assert_eq!(parse(&l.uri("https://example.com/qr/")), Ok(l.clone()));
    }
}

#[test]
fn builder_output() {
    let mut l = link("08930000000019");
    assert_eq!(l.path(), "/01/08930000000019");
    assert_eq!(
        l.uri("https://example.com"),
        "https://example.com/01/08930000000019"
    );
    l.serial = Some("S 1".into()); // not valid, but still encoded
    l.lot = Some("L/24".into());
    l.cpv = Some("V~1".into());
    assert_eq!(l.path(), "/01/08930000000019/22/V~1/10/L%2F24/21/S%201");
    l.expiry = Some(d(2026, 12, 31));
    assert_eq!(
        l.uri("https://example.com/"),
        "https://example.com/01/08930000000019/22/V~1/10/L%2F24/21/S%201?17=261231"
    );
    l.link_type = Some("gs1:pip".into());
    assert!(l.uri("").ends_with("?17=261231&linkType=gs1:pip"));
    let mut alpha = parse("/gtin/8930000000019/lot/a%2a?exp=261200").unwrap();
    assert_eq!(
        alpha.uri("https://x.vn"),
        "https://x.vn/01/08930000000019/10/a%2A?17=261231"
    );
    alpha.expiry = None;
    assert_eq!(alpha.query(), "");
}

#[test]
fn errors_have_codes_and_both_languages() {
    let all = [
        NotDigitalLink,
        GtinLength { len: 9 },
        GtinNotDigits,
        CheckDigit {
            expected: 7,
            found: 3,
        },
        QualifierOrder {
            ai: "10".into(),
            after: "21".into(),
        },
        DuplicateAi("10".into()),
        UnknownAi("254".into()),
        MissingValue("17".into()),
        BadCharacter {
            ai: "10".into(),
            ch: 'é',
        },
        TooLong {
            ai: "10".into(),
            max: 20,
        },
        BadPercentEncoding,
        BadDate { ai: "17".into() },
        EmptySegment,
        AiInQuery("10".into()),
    ];
    let mut codes: Vec<&str> = all.iter().map(Gs1Error::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for e in &all {
        let (vi, en) = (e.message("vi"), e.message("en"));
        assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{e:?}");
        assert!(!e.code().contains(char::is_uppercase));
    }
    assert_eq!(
        CheckDigit { expected: 7, found: 3 }.message("vi"),
        "Số kiểm tra của mã GTIN không đúng: chữ số cuối phải là 7, không phải 3. Kiểm tra lại mã trên bao bì"
    );
    assert_eq!(
        QualifierOrder { ai: "10".into(), after: "21".into() }.message("vi"),
        "Số lô (AI 10) phải đứng trước số sê-ri (AI 21) trong liên kết. Thứ tự đúng sau mã GTIN là /22/ (biến thể), /10/ (số lô), /21/ (số sê-ri)"
    );
    assert!(BadCharacter {
        ai: "10".into(),
        ch: ' '
    }
    .message("vi")
    .contains("dấu cách"));
    assert!(BadCharacter {
        ai: "10".into(),
        ch: '\n'
    }
    .message("en")
    .contains("U+000A"));
    assert!(MissingValue("17".into())
        .message("en")
        .starts_with("The expiry date (AI 17)"));
    assert_eq!(
        CheckDigit {
            expected: 7,
            found: 3
        }
        .args(),
        ["7", "3"]
    );
    assert_eq!(
        TooLong {
            ai: "10".into(),
            max: 20
        }
        .to_string(),
        TooLong {
            ai: "10".into(),
            max: 20
        }
        .message("en")
    );
}

#[test]
fn json_shape() {
    let l = parse("/01/8930000000019/10/L1?17=261200").unwrap();
    let j = serde_json::to_value(&l).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"gtin": "08930000000019", "lot": "L1", "expiry": "2026-12-31"})
    );
    assert_eq!(serde_json::from_value::<DigitalLink>(j).unwrap(), l);
}
