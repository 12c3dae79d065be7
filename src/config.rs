//! Province branding. The server inlines it into the HTML shell, so the first
//! paint needs no request; without it (e.g. `trunk serve`) it is fetched.
//!
//! The inline copy is read with the browser's own `JSON.parse`, so the first
//! visit's wasm carries no JSON decoder: serde is only in the lazy chunks.

use cuaso_domain::api::{AppConfig, Operator, Text};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Reads the inlined branding and provides it as context. Without it (e.g.
/// `trunk serve`) the defaults are provided and `false` is returned: the
/// shell then fetches it ([`crate::pages::lazy::fetch_config`]).
pub fn provide_config() -> (RwSignal<AppConfig>, bool) {
    let inline = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("cuaso-config"))
        .and_then(|el| el.text_content())
        .and_then(|json| from_json(&json));
    let found = inline.is_some();
    let config = RwSignal::new(inline.unwrap_or_default());
    provide_context(config);
    (config, found)
}

/// Decodes an [`AppConfig`] with `JSON.parse`; `None` if anything is missing.
pub fn from_json(json: &str) -> Option<AppConfig> {
    let v = js_sys::JSON::parse(json).ok()?;
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
    let s = |o: &JsValue, k: &str| get(o, k)?.as_string();
    let text = |o: &JsValue, k: &str| {
        let o = get(o, k)?;
        Some(Text {
            vi: s(&o, "vi")?,
            en: s(&o, "en")?,
        })
    };
    let operator = get(&v, "operator")?;
    Some(AppConfig {
        province: text(&v, "province")?,
        emblem_url: s(&v, "emblem_url")?,
        hotline: s(&v, "hotline")?,
        operator: Operator {
            name: text(&operator, "name")?,
            address: s(&operator, "address")?,
            email: s(&operator, "email")?,
        },
    })
}

pub fn use_config() -> RwSignal<AppConfig> {
    use_context::<RwSignal<AppConfig>>().unwrap_or_else(|| RwSignal::new(AppConfig::default()))
}
