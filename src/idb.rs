//! The bytes of picked files, kept in IndexedDB (`cuaso` / `files`) until the
//! dossier is submitted. localStorage cannot hold them: it is small and text.
//! Every failure (private mode, quota) reads as "not stored"; the file then
//! lives only as long as the page, and the slot says so.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const STORE: &str = "files";

/// Resolves when the request succeeds, with its result.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = request.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let request = factory.open_with_u32("cuaso", 1)?;
    let upgrade = Closure::once_into_js({
        let request = request.clone();
        move || {
            if let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    done(&request).await?.dyn_into::<IdbDatabase>()
}

async fn store(mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, JsValue> {
    open()
        .await?
        .transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)
}

/// Keeps `blob` under `key`; returns whether it was stored.
pub async fn put(key: &str, blob: &web_sys::Blob) -> bool {
    async {
        let s = store(IdbTransactionMode::Readwrite).await?;
        done(&s.put_with_key(blob, &JsValue::from_str(key))?).await
    }
    .await
    .is_ok()
}

pub async fn get(key: &str) -> Option<web_sys::Blob> {
    async {
        let s = store(IdbTransactionMode::Readonly).await?;
        done(&s.get(&JsValue::from_str(key))?).await
    }
    .await
    .ok()?
    .dyn_into::<web_sys::Blob>()
    .ok()
}

/// Forgets the bytes (in the background).
pub fn delete(key: String) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(s) = store(IdbTransactionMode::Readwrite).await {
            if let Ok(r) = s.delete(&JsValue::from_str(&key)) {
                let _ = done(&r).await;
            }
        }
    });
}
