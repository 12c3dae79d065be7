//! Pages whose code is a separate wasm chunk, fetched the first time they are
//! opened (cut out by `scripts/split-wasm.sh`), so a first visit downloads only
//! the shell and the home page. A chunk that cannot be fetched (offline, the
//! server down) gives the same friendly error and retry as a failed API call.
//!
//! A chunk's page also needs the page strings of the current language (see
//! `crate::i18n`): they are fetched alongside, in parallel, the first time.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use crate::api::{connection_error, ApiError};
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{use_i18n, Locale};

/// Builds a page's view; the code lives in its chunk.
pub type Build = fn() -> AnyView;
pub type ChunkFuture = Pin<Box<dyn Future<Output = Result<Build, SplitLoaderError>>>>;

/// The pages of the catalogue chunk.
#[derive(Clone, Copy)]
pub enum Catalogue {
    Services,
    Procedure,
}

/// The pages of the citizen chunk: applying and its confirmation. Pages
/// are grouped into a few chunks rather than one each: wasm-split gives
/// every set of split points that share code its own small chunk, and on a
/// slow link each request costs more than the bytes a few unused pages add.
#[derive(Clone, Copy)]
pub enum Citizen {
    Apply,
    Receipt,
    DraftsBanner,
}

/// The pages of the dossiers chunk: following dossiers.
#[derive(Clone, Copy)]
pub enum Dossiers {
    My,
    TrackLookup,
    Track,
}

/// The pages of the products chunk.
#[derive(Clone, Copy)]
pub enum Products {
    Product,
    Scan,
}

/// The pages of the tourism chunk.
#[derive(Clone, Copy)]
pub enum Tourism {
    List,
    Site,
    Plate,
}

/// The pages of the community chunk: citizens' feedback and assisted
/// applications by community digital helpers.
#[derive(Clone, Copy)]
pub enum Community {
    Feedback,
    Helper,
    Privacy,
}

#[wasm_split(community, wasm_split_path = ::leptos::wasm_split, fallible)]
fn community(page: Community) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Community::Feedback => || view! { <crate::pages::community::FeedbackRoute/> }.into_any(),
        Community::Helper => || view! { <crate::pages::community::HelperRoute/> }.into_any(),
        Community::Privacy => || view! { <crate::pages::community::PrivacyPage/> }.into_any(),
    })
}

/// Citizens' feedback (`/feedback/...`): one component picks the screen.
pub fn load_feedback() -> ChunkFuture {
    Box::pin(community(Community::Feedback))
}

/// Community helpers' assisted applications (`/helper/...`).
pub fn load_helper() -> ChunkFuture {
    Box::pin(community(Community::Helper))
}

/// The personal-data notice (`/privacy`).
pub fn load_privacy() -> ChunkFuture {
    Box::pin(community(Community::Privacy))
}

#[wasm_split(producer, wasm_split_path = ::leptos::wasm_split, fallible)]
fn producer() -> Result<Build, SplitLoaderError> {
    Ok(|| view! { <crate::pages::producer::ProducerRoute/> }.into_any())
}

/// The OCOP producer portal (`/producer/...`): one chunk, its own screens.
pub fn load_producer() -> ChunkFuture {
    Box::pin(producer())
}

#[wasm_split(tourism, wasm_split_path = ::leptos::wasm_split, fallible)]
fn tourism(page: Tourism) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Tourism::List => || view! { <crate::pages::tourism::SitesPage/> }.into_any(),
        Tourism::Site => || view! { <crate::pages::tourism::SiteRoute/> }.into_any(),
        Tourism::Plate => || view! { <crate::pages::tourism::PlatePage/> }.into_any(),
    })
}

/// The site list (`/sites`).
pub fn load_sites() -> ChunkFuture {
    Box::pin(tourism(Tourism::List))
}

/// A site's guide (`/sites/{slug}`, `/s/{slug}`).
pub fn load_site() -> ChunkFuture {
    Box::pin(tourism(Tourism::Site))
}

/// A site's printable QR plate (`/sites/{slug}/plate`).
pub fn load_plate() -> ChunkFuture {
    Box::pin(tourism(Tourism::Plate))
}

#[wasm_split(products, wasm_split_path = ::leptos::wasm_split, fallible)]
fn products(page: Products) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Products::Product => || view! { <crate::pages::products::ProductRoute/> }.into_any(),
        Products::Scan => || view! { <crate::pages::products::ScanPage/> }.into_any(),
    })
}

/// A product or batch page (`/01/{gtin}[/10/{lot}]`), from a scanned code.
pub fn load_product() -> ChunkFuture {
    Box::pin(products(Products::Product))
}

/// The scanner (`/scan`).
pub fn load_scan() -> ChunkFuture {
    Box::pin(products(Products::Scan))
}

#[wasm_split(catalogue, wasm_split_path = ::leptos::wasm_split, fallible)]
fn catalogue(page: Catalogue) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Catalogue::Services => || view! { <crate::pages::catalogue::Services/> }.into_any(),
        Catalogue::Procedure => || view! { <crate::pages::catalogue::ProcedurePage/> }.into_any(),
    })
}

#[wasm_split(citizen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn citizen(page: Citizen) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Citizen::Apply => || view! { <crate::pages::citizen::ApplyPage/> }.into_any(),
        Citizen::Receipt => || view! { <crate::pages::citizen::ReceiptPage/> }.into_any(),
        Citizen::DraftsBanner => || view! { <crate::pages::citizen::DraftsBanner/> }.into_any(),
    })
}

#[wasm_split(dossiers, wasm_split_path = ::leptos::wasm_split, fallible)]
fn dossiers(page: Dossiers) -> Result<Build, SplitLoaderError> {
    Ok(match page {
        Dossiers::My => || view! { <crate::pages::dossiers::MyPage/> }.into_any(),
        Dossiers::TrackLookup => || view! { <crate::pages::dossiers::TrackLookup/> }.into_any(),
        Dossiers::Track => || view! { <crate::pages::dossiers::TrackPage/> }.into_any(),
    })
}

/// The catalogue (`/services`).
pub fn load_services() -> ChunkFuture {
    Box::pin(catalogue(Catalogue::Services))
}
/// A procedure page (`/services/{code}`).
pub fn load_procedure() -> ChunkFuture {
    Box::pin(catalogue(Catalogue::Procedure))
}
/// The application form (`/services/{code}/apply/...`).
pub fn load_apply() -> ChunkFuture {
    Box::pin(citizen(Citizen::Apply))
}
/// A dossier's confirmation (`/my/{code}`).
pub fn load_receipt() -> ChunkFuture {
    Box::pin(citizen(Citizen::Receipt))
}
/// Dossiers and drafts on this device (`/my`).
pub fn load_my() -> ChunkFuture {
    Box::pin(dossiers(Dossiers::My))
}
/// Looking a dossier up (`/track`).
pub fn load_track_lookup() -> ChunkFuture {
    Box::pin(dossiers(Dossiers::TrackLookup))
}
/// A dossier's status and timeline (`/track/{code}`).
pub fn load_track() -> ChunkFuture {
    Box::pin(dossiers(Dossiers::Track))
}
/// "Continue your application" on the home page.
fn load_drafts_banner() -> ChunkFuture {
    Box::pin(citizen(Citizen::DraftsBanner))
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

type StringsFuture = Pin<Box<dyn Future<Output = bool>>>;

#[wasm_split(strings_fetch, wasm_split_path = ::leptos::wasm_split, fallible)]
fn strings_fetch(locale: Locale) -> Result<StringsFuture, SplitLoaderError> {
    Ok(Box::pin(async move {
        match crate::api::static_text(locale.bundle()).await {
            Ok(text) => locale.install(text),
            Err(_) => false,
        }
    }))
}

/// Makes sure the page strings of `locale` are installed; `false` if they
/// could not be fetched.
pub async fn ensure_strings(locale: Locale) -> bool {
    if locale.has_pages() {
        return true;
    }
    match strings_fetch(locale).await {
        Ok(fetch) => fetch.await,
        Err(_) => false,
    }
}

/// Fetches a chunk and the current language's page strings, together.
async fn chunk_and_strings(load: fn() -> ChunkFuture, locale: Locale) -> Option<Build> {
    let (build, strings) = futures::future::join(load(), ensure_strings(locale)).await;
    build.ok().filter(|_| strings)
}

/// `style/pages.css`: the lazy pages' styles, out of the first visit's
/// stylesheet; fetched with the first chunk, in parallel.
const PAGES_CSS: u64 = crate::stylesheet::version(include_str!("../../style/pages.css"));

/// Loads a chunk (and the pages' stylesheet) and shows its page; on
/// failure, an error with a retry that fetches the chunk again (failed loads
/// are not remembered). A stylesheet that fails leaves the page usable.
#[component]
pub fn LazyPage(load: fn() -> ChunkFuture) -> impl IntoView {
    let i18n = use_i18n();
    let css = RwSignal::new(false);
    crate::stylesheet::load_hashed("pages", PAGES_CSS, css);
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
        let locale = i18n.locale.get_untracked();
        leptos::task::spawn_local(async move {
            match chunk_and_strings(load, locale).await {
                Some(build) => {
                    page.set_value(Some(owner.with(build)));
                    state.set(Some(Ok(())));
                }
                None => state.set(Some(Err(connection_error()))),
            }
        });
    };
    start();
    move || match state.get().filter(|_| css.get()) {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(())) => page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
        Some(Err(error)) => view! { <ErrorPanel error main=true retry=start/> }.into_any(),
    }
}

/// "Continue your application" on the home page; loaded only when this
/// device holds a draft, so other first visits never fetch it.
#[component]
pub fn DraftsEntry() -> impl IntoView {
    let i18n = use_i18n();
    let has = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some_and(|s| {
            (0..s.length().unwrap_or(0)).any(|i| {
                s.key(i)
                    .ok()
                    .flatten()
                    .is_some_and(|k| k.starts_with(crate::drafts::DRAFT_PREFIX))
            })
        });
    let ready = RwSignal::new(false);
    let slot = StoredValue::new_local(None::<AnyView>);
    if has {
        let owner = Owner::current().unwrap_or_default();
        let locale = i18n.locale.get_untracked();
        leptos::task::spawn_local(async move {
            if let Some(build) = chunk_and_strings(load_drafts_banner, locale).await {
                slot.set_value(Some(owner.with(build)));
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
