//! The tourism seed in `seed/sites.json`: eight places in Quảng Trị (the
//! former Quảng Bình province included since July 2025), in Vietnamese,
//! English, Korean and Simplified Chinese.
//!
//! What is real and what is not:
//! - The history and the figures come only from the facts gathered in the
//!   project's domain notes: Vịnh Mốc (dug by hand, three levels at about 12,
//!   15 and 23 m, 13 entrances of which 7 face the sea, 17 children born
//!   underground), Hiền Lương – Bến Hải (the 17th parallel, Geneva agreement
//!   of 21/7/1954), Trường Sơn (about 140,000 m², 10,333 martyrs, about 38 km
//!   from Đông Hà), the Quảng Trị Citadel (1809–1837, the 81-day battle of
//!   1972) and Phong Nha – Kẻ Bàng (UNESCO 2003 and 2015; Sơn Đoòng found by
//!   Hồ Khanh in 1990, surveyed in 2009). Cồn Cỏ, Cửa Tùng and Tà Cơn are only
//!   named, with general visitor advice.
//! - Ticket prices are the reported ones for Vịnh Mốc, Hiền Lương and Tà Cơn
//!   (40,000 đồng adult, 20,000 child); the other sites have none (the page
//!   says to ask on site).
//! - Opening hours, the Tết days and the short-hours days are placeholders
//!   for the province to replace. Coordinates are approximate.
//! - Addresses name the place as commonly known (mostly the former
//!   district), not a post-2025 commune the seed is not sure of.
//! - The photos are drawings (`public/sites/{slug}.svg`) and their alt text
//!   says so. The recordings are machine voices (`public/sites/audio/`,
//!   made by `scripts/make-recordings.sh`), labelled as such, for the
//!   province to replace with people reading.

use std::collections::BTreeSet;
use std::path::Path;

use cuaso_domain::site::{
    ExceptionReason, LocalTime, OpenState, SiteCategory, SiteRecord, TicketKind, Voice, SITE_LANGS,
    VN_OFFSET_SECS,
};
use cuaso_domain::Date;

const SLUGS: [&str; 8] = [
    "vinh-moc",
    "hien-luong",
    "thanh-co-quang-tri",
    "truong-son",
    "con-co",
    "cua-tung",
    "ta-con-khe-sanh",
    "phong-nha-ke-bang",
];

const TICKETED: [&str; 3] = ["vinh-moc", "hien-luong", "ta-con-khe-sanh"];

fn sites() -> Vec<SiteRecord> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/sites.json");
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn site<'a>(all: &'a [SiteRecord], slug: &str) -> &'a SiteRecord {
    all.iter()
        .find(|s| s.slug == slug)
        .unwrap_or_else(|| panic!("no site {slug}"))
}

/// Every string a reader sees in one language of a site.
fn words(s: &SiteRecord, lang: &str) -> Vec<String> {
    let t = &s.text[lang];
    let mut v = vec![t.name.clone(), t.summary.clone(), t.address.clone()];
    for x in &t.sections {
        v.push(x.title.clone());
        v.push(x.body.clone());
    }
    v.extend(t.notes.iter().map(|n| n.text.clone()));
    v.extend(s.photos.iter().filter_map(|p| p.alt.get(lang).cloned()));
    v
}

fn joined(s: &SiteRecord, lang: &str) -> String {
    words(s, lang).join("\n")
}

fn all_langs() -> BTreeSet<&'static str> {
    SITE_LANGS.into_iter().collect()
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// A Latin letter with a diacritic, as Vietnamese writes them (including
/// đ/Đ), or a combining accent.
fn is_vietnamese_mark(c: char) -> bool {
    (c.is_alphabetic() && matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
        || matches!(c, '\u{0300}'..='\u{036F}')
}

/// Unix seconds of a Vietnam local time.
fn vn(y: i32, m: u8, d: u8, hh: i64, mm: i64) -> i64 {
    Date::new(y, m, d).unwrap().to_days() as i64 * 86_400 + hh * 3600 + mm * 60 - VN_OFFSET_SECS
}

#[test]
fn the_eight_sites_are_there_once_and_pass_the_check() {
    let all = sites();
    assert!(all.len() >= 8, "{} sites", all.len());
    let slugs: BTreeSet<&str> = all.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(slugs.len(), all.len(), "duplicate slugs");
    for slug in SLUGS {
        assert!(slugs.contains(slug), "missing {slug}");
    }
    for s in &all {
        s.check().unwrap_or_else(|e| panic!("{e}"));
        s.hours
            .check()
            .unwrap_or_else(|e| panic!("{}: {e}", s.slug));
        assert!(!s.commune.trim().is_empty(), "{}: commune", s.slug);
        // In Quảng Trị (with the former Quảng Bình); Cồn Cỏ is offshore.
        assert!((16.4..=18.1).contains(&s.lat), "{}: lat {}", s.slug, s.lat);
        assert!(
            (105.9..=107.5).contains(&s.lon),
            "{}: lon {}",
            s.slug,
            s.lon
        );
    }
    let con_co = site(&all, "con-co");
    assert!((con_co.lat - 17.16).abs() < 0.05 && (con_co.lon - 107.34).abs() < 0.05);
    assert_eq!(site(&all, "truong-son").category, SiteCategory::Memorial);
    assert_eq!(
        site(&all, "phong-nha-ke-bang").category,
        SiteCategory::NationalPark
    );
    assert_eq!(site(&all, "cua-tung").category, SiteCategory::Scenic);
}

#[test]
fn four_languages_everywhere_in_their_own_scripts() {
    for s in sites() {
        let langs: BTreeSet<&str> = s.text.keys().map(|k| k.as_str()).collect();
        assert_eq!(langs, all_langs(), "{}: text languages", s.slug);
        assert_eq!(s.photos.len(), 1, "{}: one photo", s.slug);
        for p in &s.photos {
            let alt: BTreeSet<&str> = p.alt.keys().map(|k| k.as_str()).collect();
            assert_eq!(alt, all_langs(), "{}: alt languages", s.slug);
            assert!(
                p.alt.values().all(|a| !a.trim().is_empty()),
                "{}: empty alt",
                s.slug
            );
        }
        for lang in SITE_LANGS {
            let t = &s.text[lang];
            assert!(!t.address.trim().is_empty(), "{}/{lang}: address", s.slug);
            assert!(
                (2..=3).contains(&t.sections.len()),
                "{}/{lang}: sections",
                s.slug
            );
            assert!((2..=3).contains(&t.notes.len()), "{}/{lang}: notes", s.slug);
            assert!(
                !t.notes.iter().any(|n| n.text.trim().is_empty()),
                "{}/{lang}",
                s.slug
            );
        }
        // The same kinds of notes in every language.
        let kinds = |l: &str| s.text[l].notes.iter().map(|n| n.kind).collect::<Vec<_>>();
        for lang in SITE_LANGS {
            assert_eq!(kinds(lang), kinds("vi"), "{}/{lang}: note kinds", s.slug);
        }

        let vi = &s.text["vi"].name;
        assert!(
            vi.chars().any(is_vietnamese_mark),
            "{}: Vietnamese name {vi:?} has no diacritics",
            s.slug
        );
        for w in words(&s, "ko") {
            assert!(
                w.chars().any(is_hangul),
                "{}/ko: no Hangul in {w:?}",
                s.slug
            );
        }
        for w in words(&s, "zh") {
            assert!(w.chars().any(is_cjk), "{}/zh: no CJK in {w:?}", s.slug);
            assert!(
                !w.chars().any(is_vietnamese_mark),
                "{}/zh: Vietnamese diacritics in {w:?}",
                s.slug
            );
        }
        assert!(
            !joined(&s, "en").chars().any(|c| is_hangul(c) || is_cjk(c)),
            "{}/en",
            s.slug
        );
        assert!(
            !joined(&s, "vi").chars().any(|c| is_hangul(c) || is_cjk(c)),
            "{}/vi",
            s.slug
        );
    }
}

#[test]
fn every_recording_is_a_small_labelled_opus_file_in_public() {
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    let all = sites();
    let with: Vec<&str> = all
        .iter()
        .filter(|s| !s.audio.is_empty())
        .map(|s| s.slug.as_str())
        .collect();
    assert_eq!(with, ["thanh-co-quang-tri"], "the sites with a recording");
    for s in &all {
        for (lang, a) in &s.audio {
            assert!(
                s.text.contains_key(lang),
                "{}: a {lang} recording, no {lang} text",
                s.slug
            );
            assert_eq!(a.src, format!("/public/sites/audio/{}.{lang}.opus", s.slug));
            assert_eq!(
                a.voice,
                Voice::Machine,
                "{}: the seed's are machine voices",
                s.slug
            );
            let file = public.join(a.src.strip_prefix("/public/").unwrap());
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert!(bytes.starts_with(b"OggS"), "{}: Ogg", file.display());
            assert!(
                bytes.len() < 200 * 1024,
                "{}: {} bytes",
                file.display(),
                bytes.len()
            );
        }
    }
    assert_eq!(all[2].audio.len(), 4, "every language");
}

#[test]
fn every_photo_is_a_small_svg_in_public() {
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    for s in sites() {
        for p in &s.photos {
            assert_eq!(p.src, format!("/public/sites/{}.svg", s.slug));
            assert_eq!((p.width, p.height), (800, 500));
            let rel = p.src.strip_prefix("/public/").unwrap();
            let file = public.join(rel);
            let svg = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert!(
                svg.len() < 3 * 1024,
                "{}: {} bytes",
                file.display(),
                svg.len()
            );
            assert!(svg.starts_with("<svg") && svg.contains(r#"viewBox="0 0 800 500""#));
            assert!(
                !svg.contains("<text"),
                "{}: no text in the drawing",
                file.display()
            );
            for lang in SITE_LANGS {
                let alt = &p.alt[lang];
                let says_drawing = ["Hình minh họa", "Illustration", "일러스트", "插图"]
                    .iter()
                    .any(|w| alt.starts_with(w));
                assert!(
                    says_drawing,
                    "{}/{lang}: alt should say it is a drawing",
                    s.slug
                );
            }
        }
    }
}

#[test]
fn tickets_only_where_the_price_is_known() {
    for s in sites() {
        if TICKETED.contains(&s.slug.as_str()) {
            let t = s
                .tickets
                .as_ref()
                .unwrap_or_else(|| panic!("{}: tickets", s.slug));
            let prices: Vec<(TicketKind, u32)> = t.iter().map(|t| (t.kind, t.price_vnd)).collect();
            assert_eq!(
                prices,
                [(TicketKind::Adult, 40_000), (TicketKind::Child, 20_000)],
                "{}",
                s.slug
            );
        } else {
            assert_eq!(s.tickets, None, "{}: no known price", s.slug);
        }
    }
}

#[test]
fn the_facts_in_every_language() {
    let all = sites();
    let vinh_moc = site(&all, "vinh-moc");
    for lang in SITE_LANGS {
        let w = joined(vinh_moc, lang);
        for n in ["13", "17", "12", "15", "23"] {
            assert!(w.contains(n), "vinh-moc/{lang}: {n}");
        }
    }
    assert_eq!(vinh_moc.text["vi"].name, "Địa đạo Vịnh Mốc");

    let truong_son = site(&all, "truong-son");
    let vi = joined(truong_son, "vi");
    assert!(
        vi.contains("10.333") || vi.contains("10,333"),
        "truong-son/vi: 10.333"
    );
    for lang in SITE_LANGS {
        let w = joined(truong_son, lang);
        assert!(
            w.contains("10.333") || w.contains("10,333"),
            "truong-son/{lang}"
        );
        assert!(w.contains("38"), "truong-son/{lang}: 38 km");
    }
    assert_eq!(
        truong_son.text["vi"].name,
        "Nghĩa trang liệt sĩ quốc gia Trường Sơn"
    );

    for lang in SITE_LANGS {
        let hl = joined(site(&all, "hien-luong"), lang);
        assert!(
            hl.contains("17") && hl.contains("1954") && hl.contains("21"),
            "hien-luong/{lang}"
        );
        let tc = joined(site(&all, "thanh-co-quang-tri"), lang);
        for n in ["1809", "1837", "81", "1972"] {
            assert!(tc.contains(n), "thanh-co-quang-tri/{lang}: {n}");
        }
        let pn = joined(site(&all, "phong-nha-ke-bang"), lang);
        for n in ["2003", "2015", "1990", "2009", "2025"] {
            assert!(pn.contains(n), "phong-nha-ke-bang/{lang}: {n}");
        }
    }
    let names: Vec<&str> = SLUGS
        .iter()
        .map(|s| site(&all, s).text["vi"].name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Địa đạo Vịnh Mốc",
            "Đôi bờ Hiền Lương – Bến Hải",
            "Thành cổ Quảng Trị",
            "Nghĩa trang liệt sĩ quốc gia Trường Sơn",
            "Đảo Cồn Cỏ",
            "Bãi biển Cửa Tùng",
            "Sân bay Tà Cơn – Khe Sanh",
            "Vườn quốc gia Phong Nha – Kẻ Bàng",
        ]
    );
}

#[test]
fn hours_open_close_and_tet() {
    let all = sites();
    for slug in ["con-co", "cua-tung"] {
        let s = site(&all, slug);
        assert!(s.hours.always_open, "{slug}");
        assert_eq!(
            s.hours.state_at(LocalTime::vietnam(vn(2026, 11, 23, 3, 0))),
            OpenState::AlwaysOpen
        );
    }
    for s in all.iter().filter(|s| !s.hours.always_open) {
        assert!(!s.hours.weekly.is_empty(), "{}: placeholder hours", s.slug);
        // A Monday morning: open; late at night: closed, opening next morning.
        let h = &s.hours;
        assert!(
            matches!(
                h.state_at(LocalTime::vietnam(vn(2026, 11, 23, 9, 0))),
                OpenState::Open { .. }
            ),
            "{}",
            s.slug
        );
        match h.state_at(LocalTime::vietnam(vn(2026, 11, 23, 22, 0))) {
            OpenState::Closed {
                next: Some(n),
                reason: None,
            } => {
                assert_eq!(
                    (n.date, n.hhmm()),
                    (Date::new(2026, 11, 24).unwrap(), String::from("07:00"))
                )
            }
            other => panic!("{}: {other:?}", s.slug),
        }
    }
    // Cemetery until 17:30.
    let ts = &site(&all, "truong-son").hours;
    assert!(matches!(
        ts.state_at(LocalTime::vietnam(vn(2026, 11, 23, 17, 15))),
        OpenState::Open { .. }
    ));

    // Vịnh Mốc: closed on the first day of Tết 2027, short hours the next day.
    let vm = &site(&all, "vinh-moc").hours;
    assert_eq!(
        vm.state_at(LocalTime::vietnam(vn(2027, 2, 6, 9, 0))),
        OpenState::Closed {
            next: Some(LocalTime {
                date: Date::new(2027, 2, 7).unwrap(),
                minute: 8 * 60
            }),
            reason: Some(ExceptionReason::Tet),
        }
    );
    assert!(matches!(
        vm.state_at(LocalTime::vietnam(vn(2027, 2, 7, 11, 0))),
        OpenState::Open { closes } if closes.hhmm() == "12:00"
    ));
    assert!(matches!(
        vm.state_at(LocalTime::vietnam(vn(2027, 2, 7, 14, 0))),
        OpenState::Closed {
            reason: Some(ExceptionReason::Tet),
            ..
        }
    ));
    // The citadel opens a short morning on the same day.
    let tc = &site(&all, "thanh-co-quang-tri").hours;
    assert!(matches!(
        tc.state_at(LocalTime::vietnam(vn(2027, 2, 6, 9, 0))),
        OpenState::Open { closes } if closes.hhmm() == "11:30"
    ));
}

#[test]
fn nearby_is_sensible() {
    let all = sites();
    // From Vịnh Mốc the nearest are the beach and the bridge on the same coast.
    let near = site(&all, "vinh-moc").nearby(&all, "en", 2);
    let slugs: BTreeSet<&str> = near.iter().map(|n| n.slug.as_str()).collect();
    assert_eq!(slugs, ["cua-tung", "hien-luong"].into_iter().collect());
    // Phong Nha is the farthest from Tà Cơn among these.
    let far = site(&all, "ta-con-khe-sanh").nearby(&all, "ko", 10);
    assert_eq!(far.last().unwrap().slug, "phong-nha-ke-bang");
    assert_eq!(far[0].lang, "ko");
}
