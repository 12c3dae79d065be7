//! Tourism sites: the records a province keeps (every language side by
//! side), what the API serves in one language with its fallback, opening
//! hours computed in Vietnam's time zone whatever the phone's, and the
//! distance between places.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::date::{Date, Weekday};

mod hours;
pub use hours::{parse_hhmm, LocalTime, OpenState};

/// The languages site content is written in, in fallback order after the
/// requested one: English, then Vietnamese.
pub const SITE_LANGS: [&str; 4] = ["vi", "en", "ko", "zh"];

/// Vietnam's UTC offset (Indochina Time, no daylight saving).
pub const VN_OFFSET_SECS: i64 = 7 * 3600;

/// What kind of place a site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SiteCategory {
    /// Di tích lịch sử.
    Historic,
    /// Nghĩa trang, khu tưởng niệm.
    Memorial,
    /// Danh thắng: beaches, islands, landscapes.
    Scenic,
    /// Vườn quốc gia, di sản thiên nhiên.
    NationalPark,
    /// Bảo tàng.
    Museum,
    /// Làng nghề.
    CraftVillage,
}

impl SiteCategory {
    pub const ALL: [SiteCategory; 6] = [
        SiteCategory::Historic,
        SiteCategory::Memorial,
        SiteCategory::Scenic,
        SiteCategory::NationalPark,
        SiteCategory::Museum,
        SiteCategory::CraftVillage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SiteCategory::Historic => "historic",
            SiteCategory::Memorial => "memorial",
            SiteCategory::Scenic => "scenic",
            SiteCategory::NationalPark => "national_park",
            SiteCategory::Museum => "museum",
            SiteCategory::CraftVillage => "craft_village",
        }
    }

    pub fn from_code(code: &str) -> Option<SiteCategory> {
        SiteCategory::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// One section of a site's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Section {
    pub title: String,
    pub body: String,
}

/// What a practical note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Dress and behaviour (memorials, cemeteries).
    Dress,
    /// Safety: tunnels, the sea, the sun.
    Safety,
    /// Steps, slopes, wheelchair access.
    Access,
    /// Getting there, facilities.
    Visit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

/// A site's words in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SiteText {
    pub name: String,
    /// One or two sentences: the list, previews and the top of the page.
    pub summary: String,
    /// The address as a visitor would read it in this language.
    pub address: String,
    pub sections: Vec<Section>,
    pub notes: Vec<Note>,
}

/// Who a ticket price is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    Adult,
    Child,
    Student,
    Senior,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    pub kind: TicketKind,
    /// Price in đồng; 0 is free.
    pub price_vnd: u32,
}

/// Opening hours on given days of the week: `open`–`close` as minutes
/// after local midnight (`close` may be 1440).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WeeklyRule {
    /// 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// `HH:MM`, Vietnam time.
    pub open: String,
    /// `HH:MM`, Vietnam time; `24:00` for midnight.
    pub close: String,
}

/// Why a day's hours differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExceptionReason {
    /// Tết Nguyên Đán.
    Tet,
    /// Another public holiday.
    Holiday,
    /// Repairs or maintenance.
    Maintenance,
    /// A ceremony or event.
    Event,
}

/// Dates (inclusive) with other hours than the weekly rules: closed, or
/// open only `open`–`close`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HoursException {
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    pub reason: ExceptionReason,
    /// `HH:MM`; none (with `close`) means closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close: Option<String>,
}

/// When a site is open. No rules at all (and not `always_open`) means the
/// hours are unknown, which the page says rather than guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OpeningHours {
    /// An open-air place with no gate (a beach, a bridge).
    #[serde(default)]
    pub always_open: bool,
    #[serde(default)]
    pub weekly: Vec<WeeklyRule>,
    #[serde(default)]
    pub exceptions: Vec<HoursException>,
}

/// A photo: files are under `public/sites/`, sized for a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Photo {
    /// Path of the image, e.g. `/public/sites/vinh-moc-1.svg`.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// Alt text by language (`vi`, `en`, `ko`, `zh`).
    pub alt: BTreeMap<String, String>,
}

/// A recorded audio guide: the file, and whose voice it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recording {
    /// Path of the file (Ogg Opus or MP3), e.g. `/public/sites/audio/vinh-moc.vi.opus`.
    pub src: String,
    pub voice: Voice,
}

/// Whose voice a recording is: the page labels a machine voice as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    /// A person reading the guide.
    Human,
    /// Synthesized speech (the seed's placeholders, made by
    /// `scripts/make-recordings.sh`), for a province to replace.
    Machine,
}

/// A site as the province keeps it: every language side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRecord {
    pub slug: String,
    pub category: SiteCategory,
    pub lat: f64,
    pub lon: f64,
    /// The new (post-2025) commune or ward it is in.
    pub commune: String,
    pub hours: OpeningHours,
    /// `None`: no price information (the page says to ask on site).
    #[serde(default)]
    pub tickets: Option<Vec<Ticket>>,
    pub photos: Vec<Photo>,
    /// Recorded audio guide by language.
    #[serde(default)]
    pub audio: BTreeMap<String, Recording>,
    /// The words, by language.
    pub text: BTreeMap<String, SiteText>,
}

/// A site in one language, as `GET /api/v1/sites/{slug}?lang=` serves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Site {
    pub slug: String,
    pub category: SiteCategory,
    pub lat: f64,
    pub lon: f64,
    pub commune: String,
    /// The language asked for.
    pub requested_lang: String,
    /// The language the words are in: `requested_lang` when translated,
    /// else English, else Vietnamese.
    pub lang: String,
    #[serde(flatten)]
    pub text: SiteText,
    pub hours: OpeningHours,
    pub tickets: Option<Vec<Ticket>>,
    pub photos: Vec<PhotoView>,
    /// A recording in `lang`, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<Recording>,
    /// Other sites, nearest first.
    pub nearby: Vec<Nearby>,
    /// Changes when the record changes: the offline copy compares it.
    pub version: String,
}

/// A photo with its alt text in one language (with the same fallback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhotoView {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The language of `alt`.
    pub alt_lang: String,
}

/// Another site, with its distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Nearby {
    pub slug: String,
    pub name: String,
    pub lang: String,
    pub category: SiteCategory,
    pub distance_m: u32,
}

/// A site in the list (`GET /api/v1/sites?lang=`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SiteSummary {
    pub slug: String,
    pub category: SiteCategory,
    pub lat: f64,
    pub lon: f64,
    pub lang: String,
    pub name: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<PhotoView>,
    pub version: String,
}

/// The list, with the language asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SiteList {
    pub requested_lang: String,
    pub sites: Vec<SiteSummary>,
}

/// The language to serve for `requested`: itself if the site has it, else
/// English, else Vietnamese (or whatever exists, as a last resort).
pub fn pick_lang<'a, V>(available: &'a BTreeMap<String, V>, requested: &str) -> Option<&'a str> {
    [requested, "en", "vi"]
        .into_iter()
        .find_map(|l| available.get_key_value(l).map(|(k, _)| k.as_str()))
        .or_else(|| available.keys().next().map(|k| k.as_str()))
}

/// A supported language code from `?lang=` or a browser language tag
/// (`ko-KR` → `ko`, `zh-Hans-CN` → `zh`); `None` for the others.
pub fn normalize_lang(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    SITE_LANGS.into_iter().find(|l| *l == primary)
}

impl SiteRecord {
    /// The record in one language, with fallback; `nearby` left empty.
    pub fn view(&self, requested: &str, version: &str) -> Option<Site> {
        let lang = pick_lang(&self.text, requested)?;
        let photos = self
            .photos
            .iter()
            .map(|p| {
                let alt_lang = pick_lang(&p.alt, requested).unwrap_or("vi");
                PhotoView {
                    src: p.src.clone(),
                    width: p.width,
                    height: p.height,
                    alt: p.alt.get(alt_lang).cloned().unwrap_or_default(),
                    alt_lang: alt_lang.to_string(),
                }
            })
            .collect();
        Some(Site {
            slug: self.slug.clone(),
            category: self.category,
            lat: self.lat,
            lon: self.lon,
            commune: self.commune.clone(),
            requested_lang: requested.to_string(),
            lang: lang.to_string(),
            text: self.text[lang].clone(),
            hours: self.hours.clone(),
            tickets: self.tickets.clone(),
            photos,
            // Only a recording in the language of the words.
            audio: self.audio.get(lang).cloned(),
            nearby: Vec::new(),
            version: version.to_string(),
        })
    }

    /// Other sites, nearest first, at most `n`.
    pub fn nearby(&self, all: &[SiteRecord], requested: &str, n: usize) -> Vec<Nearby> {
        let mut out: Vec<Nearby> = all
            .iter()
            .filter(|s| s.slug != self.slug)
            .filter_map(|s| {
                let lang = pick_lang(&s.text, requested)?;
                Some(Nearby {
                    slug: s.slug.clone(),
                    name: s.text[lang].name.clone(),
                    lang: lang.to_string(),
                    category: s.category,
                    distance_m: distance_m(self.lat, self.lon, s.lat, s.lon).round() as u32,
                })
            })
            .collect();
        out.sort_by_key(|n| n.distance_m);
        out.truncate(n);
        out
    }

    /// What is wrong with a record, for the seed check at start-up.
    pub fn check(&self) -> Result<(), String> {
        let s = &self.slug;
        if s.is_empty()
            || s.len() > 60
            || !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!(
                "site slug {s:?} is not lowercase ASCII with dashes"
            ));
        }
        if !(-90.0..=90.0).contains(&self.lat) || !(-180.0..=180.0).contains(&self.lon) {
            return Err(format!("{s}: coordinates out of range"));
        }
        if !self.text.contains_key("vi") {
            return Err(format!("{s}: no Vietnamese text"));
        }
        for (lang, t) in &self.text {
            if !SITE_LANGS.contains(&lang.as_str()) {
                return Err(format!("{s}: unknown language {lang}"));
            }
            if t.name.trim().is_empty() || t.summary.trim().is_empty() || t.sections.is_empty() {
                return Err(format!(
                    "{s}/{lang}: name, summary and sections are required"
                ));
            }
            if t.sections
                .iter()
                .any(|x| x.title.trim().is_empty() || x.body.trim().is_empty())
            {
                return Err(format!("{s}/{lang}: a section without title or body"));
            }
        }
        for p in &self.photos {
            if !p.alt.contains_key("vi") || p.width == 0 || p.height == 0 {
                return Err(format!(
                    "{s}: photo {} needs a size and Vietnamese alt",
                    p.src
                ));
            }
        }
        self.hours.check().map_err(|e| format!("{s}: {e}"))
    }
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().asin()
}

/// Splits a paragraph into sentences, after `.`, `!` or `?` followed by a
/// space (so "1.5 km" and "L2504." inside words stay whole) and after the
/// full-width `。！？`: the audio guide reads, and highlights, one at a time.
pub fn split_sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        let ends = matches!(c, '。' | '！' | '？')
            || (matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()));
        if ends {
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests;
