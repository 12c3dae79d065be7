//! Interface strings. `locales/*.json` are compiled by `build.rs` into the
//! `Strings` table, so every key used here is checked at compile time.
//! Vietnamese is the default; the choice persists on the device.

use leptos::prelude::*;

use crate::storage;

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "cuaso.lang";

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

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::Vi => &VI,
            Locale::En => &EN,
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
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current language (reactive).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The strings of the current language (reactive).
    pub fn t(&self) -> &'static Strings {
        self.locale.get().strings()
    }

    /// Switches language, remembers it on the device and updates `<html lang>`.
    pub fn set(&self, locale: Locale) {
        storage::set(STORAGE_KEY, locale.code());
        set_document_lang(locale);
        self.locale.set(locale);
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
