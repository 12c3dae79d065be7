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

/// A picked photo made smaller ([`downscale`]) and named `.jpg`, as it now
/// is; `None` when it goes as it is.
pub async fn smaller(photo: &web_sys::Blob, name: &str) -> Option<(web_sys::Blob, String)> {
    let small = downscale(photo).await?;
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    Some((small, format!("{stem}.jpg")))
}

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
    if w.max(h) <= MAX_SIDE && blob.size() <= KEEP_BELOW {
        return None;
    }
    let (canvas, _, _, _) = draw_scaled(bitmap.as_ref(), w, h, MAX_SIDE, false)?;
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

/// A white canvas with `source` (a playing `<video>` or an `ImageBitmap` of
/// `width × height`) drawn on it, scaled so its long side is at most `side`;
/// with its 2D context and size. `read_often` asks for a context suited to
/// reading the pixels back (the QR scanner does, every frame).
pub fn draw_scaled(
    source: &JsValue,
    width: u32,
    height: u32,
    side: u32,
    read_often: bool,
) -> Option<(
    web_sys::HtmlCanvasElement,
    web_sys::CanvasRenderingContext2d,
    u32,
    u32,
)> {
    if width == 0 || height == 0 {
        return None;
    }
    let scale = (side as f64 / width.max(height) as f64).min(1.0);
    let (w, h) = (
        ((width as f64 * scale).round() as u32).max(1),
        ((height as f64 * scale).round() as u32).max(1),
    );
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(w);
    canvas.set_height(h);
    let options = js_sys::Object::new();
    if read_often {
        let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE);
    }
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()?;
    // White under transparent pixels: paper, and what JPEG cannot keep.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
    let drawn = if let Some(v) = source.dyn_ref::<web_sys::HtmlVideoElement>() {
        ctx.draw_image_with_html_video_element_and_dw_and_dh(v, 0.0, 0.0, w as f64, h as f64)
    } else if let Some(b) = source.dyn_ref::<web_sys::ImageBitmap>() {
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(b, 0.0, 0.0, w as f64, h as f64)
    } else {
        return None;
    };
    drawn.ok()?;
    Some((canvas, ctx, w, h))
}
