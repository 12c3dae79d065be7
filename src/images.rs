//! Photos are downscaled on the device before upload: a phone photo of a
//! paper document is 3–8 MB, and 2000 px on the long side keeps it legible at
//! a tenth of the bytes, which matters on a slow or metered link.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The long side of a downscaled photo, in pixels.
pub const MAX_SIDE: u32 = 2000;
/// Photos at most this size and already small enough are sent as they are.
pub const KEEP_BELOW: f64 = 800_000.0;

/// Re-encodes an image as JPEG with its long side at most [`MAX_SIDE`].
/// `None` if the browser cannot decode it (the original is then sent).
pub async fn downscale(blob: &web_sys::Blob) -> Option<web_sys::Blob> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(blob).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w == 0 || h == 0 {
        return None;
    }
    let scale = (MAX_SIDE as f64 / w.max(h) as f64).min(1.0);
    if scale == 1.0 && blob.size() <= KEEP_BELOW {
        return None;
    }
    let (tw, th) = (
        (w as f64 * scale).round() as u32,
        (h as f64 * scale).round() as u32,
    );
    let canvas: web_sys::HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(tw);
    canvas.set_height(th);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    // White under transparent PNG areas, which JPEG cannot keep.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, tw as f64, th as f64);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw as f64, th as f64)
        .ok()?;
    bitmap.close();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let cb = Closure::once_into_js(move |b: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &b);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(0.85),
        );
    });
    let out: web_sys::Blob = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    (out.size() < blob.size()).then_some(out)
}
