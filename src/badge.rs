//! The navigation badge: how many dossiers followed on this device changed
//! since they were last seen. Shared state, read by the bottom navigation
//! ([`crate::components::layout`]) and written by the pages that learn of
//! changes ([`crate::drafts::save_tracked`]). The count is kept in
//! `localStorage` (`cuaso.badge`), so the first paint needs no request.

use leptos::prelude::*;

const KEY: &str = "cuaso.badge";

thread_local! {
    static BADGE: ArcRwSignal<u32> = ArcRwSignal::new(
        crate::storage::get(KEY)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
    );
}

/// The count (reactive).
pub fn badge() -> ArcRwSignal<u32> {
    BADGE.with(|b| b.clone())
}

/// Keeps a new count on the device and shows it.
pub fn set(n: u32) {
    crate::storage::set(KEY, &n.to_string());
    badge().set(n);
}
