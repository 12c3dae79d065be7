//! Tests of [`crate::site`]: opening hours in Vietnam time, distances, language fallback.

use super::*;

fn hours() -> OpeningHours {
    OpeningHours {
        always_open: false,
        weekly: vec![
            WeeklyRule {
                days: vec![1, 2, 3, 4, 5, 6, 7],
                open: "07:00".into(),
                close: "11:30".into(),
            },
            WeeklyRule {
                days: vec![1, 2, 3, 4, 5, 6, 7],
                open: "13:30".into(),
                close: "17:00".into(),
            },
        ],
        exceptions: vec![
            HoursException {
                from: "2027-02-05".into(),
                to: "2027-02-06".into(),
                reason: ExceptionReason::Tet,
                open: None,
                close: None,
            },
            HoursException {
                from: "2027-02-07".into(),
                to: "2027-02-07".into(),
                reason: ExceptionReason::Tet,
                open: Some("08:00".into()),
                close: Some("12:00".into()),
            },
        ],
    }
}

/// Unix seconds of a Vietnam local time.
fn vn(y: i32, m: u8, d: u8, hh: i64, mm: i64) -> i64 {
    Date::new(y, m, d).unwrap().to_days() as i64 * 86_400 + hh * 3600 + mm * 60 - VN_OFFSET_SECS
}

#[test]
fn vietnam_time_whatever_the_device_zone() {
    // 2026-11-23 23:30 UTC is already 06:30 on the 24th in Quảng Trị.
    let utc = Date::new(2026, 11, 23).unwrap().to_days() as i64 * 86_400 + 23 * 3600 + 1800;
    let t = LocalTime::vietnam(utc);
    assert_eq!(t.date, Date::new(2026, 11, 24).unwrap());
    assert_eq!(t.hhmm(), "06:30");
    // Before 1970 and at the day boundary.
    assert_eq!(LocalTime::vietnam(-VN_OFFSET_SECS).hhmm(), "00:00");
}

#[test]
fn open_closed_and_the_next_opening() {
    let h = hours();
    h.check().unwrap();
    let at = |y, m, d, hh, mm| h.state_at(LocalTime::vietnam(vn(y, m, d, hh, mm)));
    // A Monday morning.
    assert_eq!(
        at(2026, 11, 23, 9, 0),
        OpenState::Open {
            closes: LocalTime {
                date: Date::new(2026, 11, 23).unwrap(),
                minute: 690
            }
        }
    );
    // Lunch break: reopens 13:30 the same day.
    assert_eq!(
        at(2026, 11, 23, 12, 0),
        OpenState::Closed {
            next: Some(LocalTime {
                date: Date::new(2026, 11, 23).unwrap(),
                minute: 810
            }),
            reason: None
        }
    );
    // 17:00 is closed; next is 07:00 tomorrow.
    assert_eq!(
        at(2026, 11, 23, 17, 0),
        OpenState::Closed {
            next: Some(LocalTime {
                date: Date::new(2026, 11, 24).unwrap(),
                minute: 420
            }),
            reason: None
        }
    );
    // Tết: closed two days, then short hours.
    assert_eq!(
        at(2027, 2, 5, 9, 0),
        OpenState::Closed {
            next: Some(LocalTime {
                date: Date::new(2027, 2, 7).unwrap(),
                minute: 480
            }),
            reason: Some(ExceptionReason::Tet)
        }
    );
    assert!(matches!(at(2027, 2, 7, 11, 59), OpenState::Open { closes } if closes.minute == 720));
    assert!(matches!(at(2027, 2, 7, 13, 45), OpenState::Closed { .. }));
    assert!(matches!(at(2027, 2, 8, 13, 45), OpenState::Open { .. }));
}

#[test]
fn unknown_and_always_open() {
    let none = OpeningHours::default();
    assert_eq!(none.state_at(LocalTime::vietnam(0)), OpenState::Unknown);
    let beach = OpeningHours {
        always_open: true,
        ..Default::default()
    };
    assert_eq!(beach.state_at(LocalTime::vietnam(0)), OpenState::AlwaysOpen);
}

#[test]
fn bad_hours_are_refused() {
    let mut h = hours();
    h.weekly[0].close = "06:00".into();
    assert!(h.check().is_err());
    let mut h = hours();
    h.weekly[0].days = vec![0];
    assert!(h.check().is_err());
    let mut h = hours();
    h.exceptions[0].to = "2027-02-01".into();
    assert!(h.check().is_err());
    assert_eq!(parse_hhmm("24:00"), Some(1440));
    assert_eq!(parse_hhmm("24:01"), None);
    assert_eq!(parse_hhmm("7:00"), None);
    // Found by tests/props.rs: a sign is not a digit.
    assert_eq!(parse_hhmm("+7:00"), None);
    assert_eq!(parse_hhmm("07:+5"), None);
}

#[test]
fn haversine_distances() {
    assert_eq!(distance_m(16.8, 107.1, 16.8, 107.1), 0.0);
    // One degree of latitude is about 111.2 km.
    let d = distance_m(16.0, 107.0, 17.0, 107.0);
    assert!((d - 111_195.0).abs() < 50.0, "{d}");
    // Symmetric, and across the antimeridian.
    assert_eq!(
        distance_m(16.0, 107.0, 17.5, 106.5),
        distance_m(17.5, 106.5, 16.0, 107.0)
    );
    let d = distance_m(0.0, 179.5, 0.0, -179.5);
    assert!((d - 111_195.0).abs() < 50.0, "{d}");
}

fn text(name: &str) -> SiteText {
    SiteText {
        name: name.into(),
        summary: "s".into(),
        address: "a".into(),
        sections: vec![Section {
            title: "t".into(),
            body: "b".into(),
        }],
        notes: vec![],
    }
}

fn record(slug: &str, langs: &[&str], lat: f64) -> SiteRecord {
    SiteRecord {
        slug: slug.into(),
        category: SiteCategory::Historic,
        lat,
        lon: 107.0,
        commune: "Vĩnh Linh".into(),
        hours: hours(),
        tickets: None,
        photos: vec![Photo {
            src: "/public/sites/x.svg".into(),
            width: 800,
            height: 600,
            alt: [
                ("vi".to_string(), "ảnh".to_string()),
                ("ko".to_string(), "사진".to_string()),
            ]
            .into_iter()
            .collect(),
        }],
        audio: [(
            "vi".to_string(),
            Recording {
                src: "/a.mp3".to_string(),
                voice: Voice::Human,
            },
        )]
        .into_iter()
        .collect(),
        text: langs
            .iter()
            .map(|l| (l.to_string(), text(&format!("{slug}-{l}"))))
            .collect(),
    }
}

#[test]
fn language_fallback_says_what_was_served() {
    let r = record("vinh-moc", &["vi", "en", "ko"], 17.0);
    let ko = r.view("ko", "1").unwrap();
    assert_eq!(
        (ko.lang.as_str(), ko.text.name.as_str()),
        ("ko", "vinh-moc-ko")
    );
    assert_eq!(ko.photos[0].alt, "사진");
    assert_eq!(ko.audio, None, "no Korean recording");
    let zh = r.view("zh", "1").unwrap();
    assert_eq!((zh.requested_lang.as_str(), zh.lang.as_str()), ("zh", "en"));
    assert_eq!(zh.photos[0].alt_lang, "vi");
    let vi_only = record("x", &["vi"], 17.0).view("zh", "1").unwrap();
    assert_eq!(vi_only.lang, "vi");
    assert_eq!(vi_only.audio.map(|a| a.src).as_deref(), Some("/a.mp3"));
    assert_eq!(normalize_lang("ko-KR"), Some("ko"));
    assert_eq!(normalize_lang("zh-Hans-CN"), Some("zh"));
    assert_eq!(normalize_lang("EN_us"), Some("en"));
    assert_eq!(normalize_lang("fr-FR"), None);
}

#[test]
fn nearby_sites_nearest_first() {
    let all = vec![
        record("a", &["vi"], 17.0),
        record("far", &["vi"], 17.9),
        record("near", &["vi", "en"], 17.1),
    ];
    let n = all[0].nearby(&all, "en", 5);
    assert_eq!(
        n.iter().map(|x| x.slug.as_str()).collect::<Vec<_>>(),
        ["near", "far"]
    );
    assert_eq!(n[0].lang, "en");
    assert!((11_000..11_200).contains(&n[0].distance_m));
    assert_eq!(all[0].nearby(&all, "en", 1).len(), 1);
    all[0].check().unwrap();
    let mut bad = record("Bad Slug", &["vi"], 17.0);
    assert!(bad.check().is_err());
    bad.slug = "ok".into();
    bad.text.insert("fr".into(), text("x"));
    assert!(bad.check().is_err());
}

#[test]
fn sentences_in_four_scripts() {
    assert_eq!(
        split_sentences("Có 13 cửa hầm. 17 em bé chào đời ở đây! Thật sao?"),
        ["Có 13 cửa hầm.", "17 em bé chào đời ở đây!", "Thật sao?"]
    );
    assert_eq!(
        split_sentences("Dài 1.5 km, sâu 23 m"),
        ["Dài 1.5 km, sâu 23 m"]
    );
    assert_eq!(
        split_sentences("共有三层。曾有17名婴儿在这里出生！"),
        ["共有三层。", "曾有17名婴儿在这里出生！"]
    );
    assert_eq!(
        split_sentences("3개 층이 있습니다. 아이 17명이 태어났습니다."),
        ["3개 층이 있습니다.", "아이 17명이 태어났습니다."]
    );
    assert!(split_sentences("  ").is_empty());
}
