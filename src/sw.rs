//! The app's service worker (`sw/sw.js`, written into `dist/sw.js` by
//! `scripts/make-sw.sh`; README, "Offline"): registration, and asking it to
//! keep URLs for offline use. Browser APIs through `Reflect`, whose imports
//! the glue already has: registering adds about 250 bytes to the first visit.

use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// `navigator.serviceWorker`: only in secure contexts (https, localhost).
fn container() -> Option<JsValue> {
    let c = get(&web_sys::window()?.navigator(), "serviceWorker");
    (!c.is_undefined()).then_some(c)
}

/// Registers `/sw.js` once the page has loaded, so it never competes with
/// the first visit's bytes (what that visit loaded stays reachable offline:
/// the worker falls back to the browser's HTTP cache). Kept tiny, as it is
/// part of the first visit. A failure is left to the browser: the app works
/// without a worker.
pub fn register() {
    let Some(w) = web_sys::window() else { return };
    // Undefined outside secure contexts (https, localhost).
    let c = get(&w.navigator(), "serviceWorker");
    let register = get(&c, "register");
    if !register.is_function() {
        return;
    }
    // `register('/sw.js', undefined)` (scope "/"), callable by the load event
    // (whose Event must not be taken for the options).
    let go = register
        .unchecked_into::<Function>()
        .bind2(&c, &"/sw.js".into(), &JsValue::UNDEFINED)
        .unchecked_into::<Function>();
    match w.document() {
        Some(d) if get(&d, "readyState") == "complete" => drop(go.call0(&c)),
        _ => drop(w.add_event_listener_with_callback("load", &go)),
    }
}

/// Asks the service worker to fetch and keep `urls` for offline use
/// ("Tải về để xem ngoại tuyến"): each is stored under the worker's rules
/// (public API reads, photos, the app's code) and answered as
/// `(done, failed)`; URLs those rules never keep (dossiers, other sites…)
/// count as failed. `None` without a worker (or none active within 10 s).
pub async fn cache_urls(urls: &[String]) -> Option<(u32, u32)> {
    let c = container()?;
    let ready = JsFuture::from(get(&c, "ready").dyn_into::<Promise>().ok()?);
    let reg = match select(ready, TimeoutFuture::new(10_000)).await {
        Either::Left((Ok(reg), _)) => reg,
        _ => return None,
    };
    let active = get(&reg, "active");
    let post: Function = get(&active, "postMessage").dyn_into().ok()?;
    let list = Array::new();
    for u in urls {
        list.push(&JsValue::from_str(u));
    }
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"type".into(), &"cache-urls".into());
    let _ = Reflect::set(&msg, &"urls".into(), &list);
    // The answer comes back on a MessageChannel.
    let class: Function = get(&js_sys::global(), "MessageChannel").dyn_into().ok()?;
    let channel = Reflect::construct(&class, &Array::new()).ok()?;
    let port = get(&channel, "port1");
    let reply = Promise::new(&mut |resolve, _| {
        let _ = Reflect::set(&port, &"onmessage".into(), &resolve);
    });
    post.call2(&active, &msg, &Array::of1(&get(&channel, "port2")))
        .ok()?;
    let data = get(&JsFuture::from(reply).await.ok()?, "data");
    let n = |k| get(&data, k).as_f64().unwrap_or(0.0) as u32;
    Some((n("done"), n("failed")))
}
