//! Interface strings. `locales/*.json` are compiled by `build.rs` into the
//! `Strings` table, so every key used here is checked at compile time.
//! Vietnamese is the default; the choice persists on the device.
//!
//! The shell's own strings are compiled in; the lazy pages' strings come in
//! a text bundle per language, fetched with the first lazy page
//! ([`crate::pages::lazy::ensure_strings`]) and installed here.
//!
//! Korean and Chinese, for visitors to the sites, are never compiled in: a
//! visitor reading them fetches one bundle with every string; until it
//! arrives (or if it cannot), the interface shows English.

use leptos::prelude::*;

use crate::storage;

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "cuaso.lang";

thread_local! {
    /// Full tables, by `Locale as usize`, once their bundle is installed.
    static FULL: std::cell::RefCell<[Option<&'static Strings>; 4]> =
        const { std::cell::RefCell::new([None, None, None, None]) };
    /// Bumped on each install, so every view re-reads its strings.
    static INSTALLED: ArcRwSignal<u32> = ArcRwSignal::new(0);
    /// How to fetch a bundle (the fetch itself is in a chunk); set at mount.
    static FETCH: std::cell::Cell<Option<Fetch>> = const { std::cell::Cell::new(None) };
}

/// Fetches and installs a language's page strings.
pub type Fetch = fn(Locale) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>;

pub fn set_fetch(f: Fetch) {
    FETCH.with(|c| c.set(Some(f)));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Vi,
    En,
    Ko,
    Zh,
}

impl Locale {
    /// Every language, in the order the language menu lists them, with its
    /// name in itself.
    pub const ALL: [(Locale, &'static str); 4] = [
        (Locale::Vi, "Tiếng Việt"),
        (Locale::En, "English"),
        (Locale::Ko, "한국어"),
        (Locale::Zh, "中文"),
    ];

    /// The language of API content and of `domain` messages: procedures,
    /// products and errors exist in Vietnamese and English, so Korean and
    /// Chinese readers get English there. Site content uses [`Locale::tag`].
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            _ => "en",
        }
    }

    /// The language's own code: `<html lang>`, the saved choice, site content.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
            Locale::Ko => "ko",
            Locale::Zh => "zh",
        }
    }

    /// From a code or a browser language tag (`ko-KR`, `zh-Hans-CN`).
    pub fn from_code(code: &str) -> Option<Locale> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            "ko" => Some(Locale::Ko),
            "zh" => Some(Locale::Zh),
            _ => None,
        }
    }

    /// The name of the language, in itself.
    pub fn name(self) -> &'static str {
        Locale::ALL[self as usize].1
    }

    /// Whether the strings are compiled in (else fetched whole).
    fn compiled(self) -> bool {
        matches!(self, Locale::Vi | Locale::En)
    }

    /// The full table once its bundle is installed, else the core strings
    /// (English ones for a language fetched whole).
    pub fn strings(self) -> &'static Strings {
        FULL.with(|f| f.borrow()[self as usize])
            .unwrap_or(match self {
                Locale::Vi => &VI,
                _ => &EN,
            })
    }

    /// The file (beside `index.html`) holding this language's page strings
    /// (every string, for Korean and Chinese).
    pub fn bundle(self) -> &'static str {
        match self {
            Locale::Vi => VI_BUNDLE,
            Locale::En => EN_BUNDLE,
            Locale::Ko => KO_BUNDLE,
            Locale::Zh => ZH_BUNDLE,
        }
    }

    /// Whether the page strings are installed.
    pub fn has_pages(self) -> bool {
        FULL.with(|f| f.borrow()[self as usize].is_some())
    }

    /// Installs the page strings from a bundle's text; `false` if the text
    /// does not fit this build's keys.
    pub fn install(self, text: String) -> bool {
        let text: &'static str = Box::leak(text.into_boxed_str());
        let full = match self {
            Locale::Vi => with_pages(&VI, text),
            Locale::En => with_pages(&EN, text),
            Locale::Ko | Locale::Zh => with_all(text),
        };
        match full {
            Some(full) => {
                let full: &'static Strings = Box::leak(Box::new(full));
                FULL.with(|f| f.borrow_mut()[self as usize] = Some(full));
                INSTALLED.with(|v| v.update(|n| *n += 1));
                true
            }
            None => false,
        }
    }

    /// The first of the browser's languages (`navigator.languages`) that
    /// Cửa Số speaks.
    fn from_browser() -> Option<Locale> {
        let nav = web_sys::window()?.navigator();
        nav.languages()
            .iter()
            .filter_map(|l| l.as_string())
            .chain(nav.language())
            .find_map(|l| Locale::from_code(&l))
    }
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub(crate) locale: RwSignal<Locale>,
}

impl I18n {
    /// The current language (reactive).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The strings of the current language (reactive).
    pub fn t(&self) -> &'static Strings {
        INSTALLED.with(|v| v.track());
        self.locale.get().strings()
    }

    /// Fetches the strings of a language that is not compiled in, when the
    /// app starts in it; the interface is English until they arrive.
    pub fn fetch_whole(&self) {
        let locale = self.locale.get_untracked();
        if let Some(fetch) = FETCH.with(|c| c.get()).filter(|_| !locale.compiled()) {
            leptos::task::spawn_local(async move {
                fetch(locale).await;
            });
        }
    }

    /// Switches language, remembers it on the device and updates `<html lang>`.
    /// On a page that uses page strings, the other language's are fetched
    /// first, so the page never shows blanks.
    pub fn set(&self, locale: Locale) {
        let this = *self;
        let apply = move || {
            storage::set(STORAGE_KEY, locale.tag());
            set_document_lang(locale);
            this.locale.set(locale);
        };
        let fetch = FETCH.with(|c| c.get());
        // A language fetched whole is fetched before switching to it, on any
        // page; the others only where the page needs its page strings.
        let needs = !locale.has_pages()
            && (!locale.compiled() || self.locale.get_untracked().has_pages());
        if let Some(fetch) = fetch.filter(|_| needs) {
            // Offline, the page stays in its language rather than go blank.
            leptos::task::spawn_local(async move {
                if fetch(locale).await {
                    apply();
                }
            });
        } else {
            apply();
        }
    }
}

fn set_document_lang(locale: Locale) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", locale.tag());
    }
}

/// Reads the saved language, else the browser's first one that Cửa Số
/// speaks, else Vietnamese, and provides it.
pub fn provide_i18n() -> I18n {
    let initial = storage::get(STORAGE_KEY)
        .and_then(|c| Locale::from_code(&c))
        .or_else(Locale::from_browser)
        .unwrap_or(Locale::Vi);
    set_document_lang(initial);
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(provide_i18n)
}

/// Replaces `{name}` placeholders in a string template.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A reactive interface string for `view!`: `{tr(|t| t.search_label)}`.
/// Every key shares this one closure type, so the wasm carries the rendering
/// code once instead of once per string.
pub fn tr(
    key: fn(&'static Strings) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || key(i18n.t())
}
