//! Province branding. The server inlines it into the HTML shell, so the first
//! paint needs no request; without it (e.g. `trunk serve`) it is fetched.

use cuaso_domain::api::AppConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// Reads the inlined branding, or fetches it, and provides it as context.
pub fn provide_config() -> RwSignal<AppConfig> {
    let inline = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("cuaso-config"))
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str::<AppConfig>(&json).ok());
    let found = inline.is_some();
    let config = RwSignal::new(inline.unwrap_or_default());
    if !found {
        spawn_local(async move {
            if let Ok(c) = api::config().await {
                config.set(c);
            }
        });
    }
    provide_context(config);
    config
}

pub fn use_config() -> RwSignal<AppConfig> {
    use_context::<RwSignal<AppConfig>>().unwrap_or_else(|| RwSignal::new(AppConfig::default()))
}
