//! Interface strings. `locales/*.json` are compiled by `build.rs` into the
//! `Strings` table, so every key used here is checked at compile time.
//! Vietnamese is the default; the choice persists on the device.
//!
//! The shell's own strings are compiled in; the lazy pages' strings come in
//! a text bundle per language, fetched with the first lazy page
//! ([`crate::pages::lazy::ensure_strings`]) and installed here.

use leptos::prelude::*;

use crate::storage;

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "cuaso.lang";

thread_local! {
    /// Full tables, by `Locale as usize`, once their bundle is installed.
    static FULL: std::cell::RefCell<[Option<&'static Strings>; 2]> =
        const { std::cell::RefCell::new([None, None]) };
    /// Bumped on each install, so every view re-reads its strings.
    static INSTALLED: ArcRwSignal<u32> = ArcRwSignal::new(0);
    /// How to fetch a bundle; set by the first fetch (its code is in a
    /// chunk, and the shell must not reach it otherwise).
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
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The full table once its bundle is installed, else the core strings.
    pub fn strings(self) -> &'static Strings {
        FULL.with(|f| f.borrow()[self as usize])
            .unwrap_or(match self {
                Locale::Vi => &VI,
                Locale::En => &EN,
            })
    }

    /// The file (beside `index.html`) holding this language's page strings.
    pub fn bundle(self) -> &'static str {
        match self {
            Locale::Vi => VI_BUNDLE,
            Locale::En => EN_BUNDLE,
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
        let core = match self {
            Locale::Vi => &VI,
            Locale::En => &EN,
        };
        match with_pages(core, text) {
            Some(full) => {
                let full: &'static Strings = Box::leak(Box::new(full));
                FULL.with(|f| f.borrow_mut()[self as usize] = Some(full));
                INSTALLED.with(|v| v.update(|n| *n += 1));
                true
            }
            None => false,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Vi => Locale::En,
            Locale::En => Locale::Vi,
        }
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

    /// Switches language, remembers it on the device and updates `<html lang>`.
    /// On a page that uses page strings, the other language's are fetched
    /// first, so the page never shows blanks.
    pub fn set(&self, locale: Locale) {
        let this = *self;
        let apply = move || {
            storage::set(STORAGE_KEY, locale.code());
            set_document_lang(locale);
            this.locale.set(locale);
        };
        let fetch = FETCH.with(|c| c.get());
        if let Some(fetch) =
            fetch.filter(|_| self.locale.get_untracked().has_pages() && !locale.has_pages())
        {
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
        let _ = el.set_attribute("lang", locale.code());
    }
}

/// Reads the saved language (Vietnamese if none) and provides it.
pub fn provide_i18n() -> I18n {
    let initial = storage::get(STORAGE_KEY)
        .and_then(|c| Locale::from_code(&c))
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
