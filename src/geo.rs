//! Places: where the device is (asked once, only when the person presses a
//! button), and the way to somewhere in the phone's map app.

use wasm_bindgen::{JsCast, JsValue};

/// What the device answered when asked where it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fix {
    /// Latitude, longitude, and the accuracy in metres when it gave one.
    Found(f64, f64, Option<f64>),
    /// The person (or the browser) refused.
    Denied,
    /// No position came (no signal, too slow).
    Failed,
}

/// Asks the device for its position, once, taking one up to `max_age_ms`
/// old; `done` gets the answer later. `false` when it cannot be asked at
/// all (no geolocation here): `done` is then never called.
pub fn locate(max_age_ms: u32, done: impl Fn(Fix) + Copy + 'static) -> bool {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        return false;
    };
    let ok = wasm_bindgen::closure::Closure::once_into_js(move |pos: JsValue| {
        let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or_default();
        let get = |k: &str| {
            js_sys::Reflect::get(&coords, &k.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        done(match (get("latitude"), get("longitude")) {
            (Some(lat), Some(lon)) => Fix::Found(lat, lon, get("accuracy")),
            _ => Fix::Failed,
        });
    });
    let err = wasm_bindgen::closure::Closure::once_into_js(move |e: JsValue| {
        // GeolocationPositionError.PERMISSION_DENIED is 1.
        let code = js_sys::Reflect::get(&e, &"code".into())
            .ok()
            .and_then(|c| c.as_f64());
        done(if code == Some(1.0) {
            Fix::Denied
        } else {
            Fix::Failed
        });
    });
    let options = web_sys::PositionOptions::new();
    options.set_timeout(15_000);
    options.set_maximum_age(max_age_ms);
    geo.get_current_position_with_error_callback_and_options(
        ok.unchecked_ref(),
        Some(err.unchecked_ref()),
        &options,
    )
    .is_ok()
}

/// Directions to a place, in the phone's map app.
pub fn directions(lat: f64, lon: f64) -> String {
    format!("https://www.google.com/maps/dir/?api=1&destination={lat:.5},{lon:.5}")
}
