//! Cửa Số, the browser app: Leptos 0.8 CSR, built by Trunk.
//!
//! `app` is the route table and shell; `pages/` holds the screens, one
//! folder per lazy chunk; `components/` the shared UI, one file per named
//! pattern; `api` the one typed client; `i18n` the compile-checked interface
//! strings; `storage`, `drafts`, `idb` and `transfers` what the device keeps;
//! the other modules are small helpers the pages share.
#![cfg(target_arch = "wasm32")]

pub mod api;
pub mod app;
pub mod badge;
pub mod components;
pub mod config;
pub mod dates;
pub mod dom;
pub mod drafts;
pub mod forms;
pub mod geo;
pub mod i18n;
pub mod idb;
pub mod images;
pub mod pages;
pub mod storage;
pub mod stylesheet;
pub mod sw;
pub mod transfers;

/// Mounts the app on `<body>`, replacing the loading shell from `index.html`.
pub fn mount() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
    sw::register();
}
