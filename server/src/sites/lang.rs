//! The language of a site's answer: `?lang=` (a language tag; its primary
//! subtag is the language asked for, supported or not) first, then for a
//! page `Accept-Language` (the one negotiation, `http::negotiate`, over
//! the site languages), else `vi`.

use axum::http::HeaderMap;
use cuaso_domain::site::{normalize_lang, SITE_LANGS};
use cuaso_domain::{ApiErrorBody, ErrorCode};

use crate::http::{negotiate, ApiError};

/// Is `tag` shaped like a language tag: 2–8 ASCII letters, then subtags of
/// 1–8 letters or digits, each after a `-` (or the `_` of POSIX locales)?
pub fn is_lang_tag(tag: &str) -> bool {
    if tag.len() > 64 {
        return false;
    }
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The language a tag asks for (its primary subtag, lowercase), supported
/// or not; `None` when it is not a language tag.
pub fn requested_lang(tag: &str) -> Option<String> {
    if !is_lang_tag(tag) {
        return None;
    }
    Some(match normalize_lang(tag) {
        Some(l) => l.to_string(),
        None => tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase(),
    })
}

pub(super) fn query_lang(raw: Option<&str>) -> Option<String> {
    form_urlencoded::parse(raw?.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

/// `?lang=` of an API request: `vi` when absent, 400 when not a tag.
pub(super) fn api_lang(raw: Option<&str>) -> Result<String, ApiError> {
    match query_lang(raw) {
        None => Ok("vi".into()),
        Some(tag) => requested_lang(&tag).ok_or_else(|| {
            ApiError::bad_request(ApiErrorBody::for_field(
                ErrorCode::InvalidParameter,
                "lang",
                "lang must be a language tag such as vi, en, ko-KR or zh-Hans",
            ))
        }),
    }
}

/// The site language `Accept-Language` prefers, if any (see
/// [`negotiate`]).
pub fn accept_language(headers: &HeaderMap) -> Option<&'static str> {
    negotiate(headers, &SITE_LANGS)
}

/// A page's language: `?lang=` when it is a language tag, else the first
/// supported language of `Accept-Language`, else `vi`.
pub fn page_lang(query: Option<&str>, headers: &HeaderMap) -> String {
    query_lang(query)
        .and_then(|t| requested_lang(&t))
        .or_else(|| accept_language(headers).map(str::to_string))
        .unwrap_or_else(|| "vi".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderValue};

    #[test]
    fn language_tags() {
        for ok in [
            "vi",
            "ko-KR",
            "zh-Hans-CN",
            "en_US",
            "fr",
            "FR-ca",
            "gsw-u-sd-chzh",
        ] {
            assert!(is_lang_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "v",
            "<script>",
            "vi-",
            "-vi",
            "vi--x",
            "abcdefghi",
            "en-abcdefghi",
            "e1",
            "vi;q=1",
            "ko KR",
        ] {
            assert!(!is_lang_tag(bad), "{bad}");
        }
        assert_eq!(requested_lang("ko-KR").as_deref(), Some("ko"));
        assert_eq!(requested_lang("FR-ca").as_deref(), Some("fr"));
        assert_eq!(requested_lang("x<y"), None);
    }

    #[test]
    fn accept_language_by_preference() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(accept_language(&h("fr-FR,ko;q=0.8,en;q=0.9")), Some("en"));
        assert_eq!(accept_language(&h("fr, de;q=0.5")), None);
        assert_eq!(accept_language(&h("zh-Hans-CN, en")), Some("zh"));
        assert_eq!(accept_language(&h("en;q=0, ko")), Some("ko"));
        assert_eq!(page_lang(Some("lang=en"), &h("ko")), "en");
        assert_eq!(page_lang(Some("lang=%3Cx%3E"), &h("ko")), "ko");
        assert_eq!(page_lang(None, &HeaderMap::new()), "vi");
    }
}
