//! Pages whose code is a separate wasm chunk, fetched the first time they are
//! opened (cut out by `scripts/split-wasm.sh`), so a first visit downloads only
//! the shell and the home page. A chunk that cannot be fetched (offline, the
//! server down) gives the same friendly error and retry as a failed API call.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use crate::api::{connection_error, ApiError};
use crate::components::status::{ErrorPanel, Loading};

pub type ChunkFuture = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

#[wasm_split(services_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn services_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::services::Services/> }.into_any())
}

#[wasm_split(procedure_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn procedure_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::procedure::ProcedurePage/> }.into_any())
}

type ConfigFuture = Pin<Box<dyn Future<Output = Option<cuaso_domain::api::AppConfig>>>>;

#[wasm_split(config_fetch, wasm_split_path = ::leptos::wasm_split, fallible)]
fn config_fetch() -> Result<ConfigFuture, SplitLoaderError> {
    let request = crate::api::config();
    Ok(Box::pin(async move { request.await.ok() }))
}

/// Fetches the branding when the shell did not inline it (`trunk serve`).
/// The request code and its JSON decoding live in a chunk, out of the
/// first visit's wasm.
pub fn fetch_config(config: RwSignal<cuaso_domain::api::AppConfig>) {
    leptos::task::spawn_local(async move {
        if let Ok(request) = config_fetch().await {
            if let Some(c) = request.await {
                config.set(c);
            }
        }
    });
}

#[wasm_split(apply_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn apply_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::apply::ApplyPage/> }.into_any())
}

#[wasm_split(receipt_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn receipt_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::receipt::ReceiptPage/> }.into_any())
}

#[wasm_split(my_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn my_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::receipt::MyPage/> }.into_any())
}

#[wasm_split(drafts_banner, wasm_split_path = ::leptos::wasm_split, fallible)]
fn drafts_banner() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::receipt::DraftsBanner/> }.into_any())
}

#[wasm_split(track_lookup, wasm_split_path = ::leptos::wasm_split, fallible)]
fn track_lookup() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::track::TrackLookup/> }.into_any())
}

#[wasm_split(track_page, wasm_split_path = ::leptos::wasm_split, fallible)]
fn track_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::pages::track::TrackPage/> }.into_any())
}

/// Looking a dossier up (`/track`).
pub fn load_track_lookup() -> ChunkFuture {
    Box::pin(track_lookup())
}

/// A dossier's status and timeline (`/track/{code}`).
pub fn load_track() -> ChunkFuture {
    Box::pin(track_page())
}

/// The application form (`/services/{code}/apply/...`).
pub fn load_apply() -> ChunkFuture {
    Box::pin(apply_page())
}

/// A dossier's confirmation (`/my/{code}`).
pub fn load_receipt() -> ChunkFuture {
    Box::pin(receipt_page())
}

/// Dossiers and drafts on this device (`/my`).
pub fn load_my() -> ChunkFuture {
    Box::pin(my_page())
}

/// "Continue your application" on the home page; loaded only when this
/// device holds a draft, so other first visits never fetch it.
#[component]
pub fn DraftsEntry() -> impl IntoView {
    let has = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some_and(|s| {
            (0..s.length().unwrap_or(0)).any(|i| {
                s.key(i)
                    .ok()
                    .flatten()
                    .is_some_and(|k| k.starts_with("cuaso.draft."))
            })
        });
    let ready = RwSignal::new(false);
    let slot = StoredValue::new_local(None::<AnyView>);
    if has {
        let owner = Owner::current().unwrap_or_default();
        let chunk = owner.with(|| ScopedFuture::new_untracked(drafts_banner()));
        leptos::task::spawn_local(async move {
            if let Ok(v) = chunk.await {
                slot.set_value(Some(v));
                ready.set(true);
            }
        });
    }
    move || {
        ready
            .get()
            .then(|| slot.try_update_value(Option::take).flatten())
            .flatten()
    }
}

/// The catalogue (`/services`).
pub fn load_services() -> ChunkFuture {
    Box::pin(services_page())
}

/// A procedure page (`/services/{code}`).
pub fn load_procedure() -> ChunkFuture {
    Box::pin(procedure_page())
}

/// Loads a chunk and shows its page; on failure, an error with a retry that
/// fetches the chunk again (failed loads are not remembered).
#[component]
pub fn LazyPage(load: fn() -> ChunkFuture) -> impl IntoView {
    // None while loading; then whether the chunk came.
    let state = RwSignal::new(None::<Result<(), ApiError>>);
    let page = StoredValue::new_local(None::<AnyView>);
    // The page is built after the chunk arrives: give it this component's
    // owner, so it finds the router, the language and the other contexts, and
    // is cleaned up (its requests aborted) with it. Held weakly: a strong
    // handle stored under the owner itself would keep it alive for ever.
    let owner = StoredValue::new(Owner::current().unwrap_or_default().downgrade());
    let start = move || {
        let Some(owner) = owner.with_value(|o| o.upgrade()) else {
            return;
        };
        state.set(None);
        let chunk = owner.with(|| ScopedFuture::new_untracked(load()));
        leptos::task::spawn_local(async move {
            match chunk.await {
                Ok(view) => {
                    page.set_value(Some(view));
                    state.set(Some(Ok(())));
                }
                Err(_) => state.set(Some(Err(connection_error()))),
            }
        });
    };
    start();
    move || match state.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(())) => page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
        Some(Err(error)) => view! { <ErrorPanel error main=true retry=start/> }.into_any(),
    }
}
