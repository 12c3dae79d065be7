//! The stylesheets of the lazy chunks (`style/pages.css` for every lazy
//! page, `style/feedback.css`, `style/producer.css`): not part of a first
//! visit, each is added to the page by its chunk's route the first time it
//! is shown. The CSP refuses
//! style attributes, so every look is a class in one of them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// FNV-1a of a stylesheet, worked out at compile time (the text itself is
/// not compiled in): the stylesheet's URL changes with its content.
pub const fn version(css: &str) -> u64 {
    let b = css.as_bytes();
    let mut h: u64 = 0xcbf29ce484222325;
    let mut i = 0;
    while i < b.len() {
        h = (h ^ b[i] as u64).wrapping_mul(0x100000001b3);
        i += 1;
    }
    h
}

/// Adds `/{name}.css` (at its `version`) to the page once; `ready` turns
/// true when it has loaded (or failed: the pages are usable without it).
pub fn load(name: &str, version: u64, ready: RwSignal<bool>) {
    add(name, format!("/{name}.css?v={version:x}"), ready);
}

/// The same for a stylesheet whose file name carries its version,
/// `/{name}-{version:016x}.css` (scripts/split-wasm.sh names it so): served
/// as immutable, and kept by the service worker like the rest of the code.
pub fn load_hashed(name: &str, version: u64, ready: RwSignal<bool>) {
    add(name, format!("/{name}-{version:016x}.css"), ready);
}

fn add(name: &str, href: String, ready: RwSignal<bool>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        ready.set(true);
        return;
    };
    let id = format!("{name}-css");
    if doc.get_element_by_id(&id).is_some() {
        ready.set(true);
        return;
    }
    let (Ok(link), Some(head)) = (doc.create_element("link"), doc.head()) else {
        ready.set(true);
        return;
    };
    let done = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        ready.try_set(true);
    });
    for event in ["load", "error"] {
        let _ = link.add_event_listener_with_callback(event, done.as_ref().unchecked_ref());
    }
    done.forget();
    let _ = link.set_attribute("id", &id);
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href);
    let _ = head.append_child(&link);
}
