//! The decoder as the scanner uses it: inside a dedicated Web Worker, handed
//! the pixels of an image the browser drew (tilted and anti-aliased, like a
//! camera frame), through the same message protocol as `src/main.rs`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use qrcodegen::{QrCode, QrCodeEcc};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{OffscreenCanvas, OffscreenCanvasRenderingContext2d};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const W: u32 = 480;
const H: u32 = 360;

/// Draws `text` as a QR code on a grey "table", turned by `angle` radians,
/// `module` pixels per module, and returns the canvas' `ImageData`.
fn photo_of(text: &str, angle: f64, module: f64) -> JsValue {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).unwrap();
    let canvas = OffscreenCanvas::new(W, H).unwrap();
    let ctx: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.set_fill_style_str("#8a8f96");
    ctx.fill_rect(0.0, 0.0, W as f64, H as f64);
    ctx.translate(W as f64 / 2.0, H as f64 / 2.0).unwrap();
    ctx.rotate(angle).unwrap();
    let side = (qr.size() as f64 + 8.0) * module;
    ctx.set_fill_style_str("#f4f1ea");
    ctx.fill_rect(-side / 2.0, -side / 2.0, side, side);
    ctx.set_fill_style_str("#1d1d1f");
    let origin = -side / 2.0 + 4.0 * module;
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                ctx.fill_rect(origin + x as f64 * module, origin + y as f64 * module, module, module);
            }
        }
    }
    ctx.get_image_data(0.0, 0.0, W as f64, H as f64).unwrap().into()
}

fn request(id: u32, image: &JsValue) -> JsValue {
    let msg = Object::new();
    Reflect::set(&msg, &"id".into(), &id.into()).unwrap();
    for key in ["width", "height", "data"] {
        Reflect::set(&msg, &key.into(), &Reflect::get(image, &key.into()).unwrap()).unwrap();
    }
    msg.into()
}

fn texts(reply: &JsValue) -> Vec<String> {
    Array::from(&Reflect::get(reply, &"texts".into()).unwrap())
        .iter()
        .filter_map(|t| t.as_string())
        .collect()
}

#[wasm_bindgen_test]
fn reads_tilted_codes_of_a_site_plate_and_a_product_in_a_worker() {
    assert!(
        js_sys::global().is_instance_of::<web_sys::WorkerGlobalScope>(),
        "the decoder must be tested where it runs: in a Web Worker"
    );
    let site = "https://cuaso.quangtri.gov.vn/s/vinh-moc";
    let reply = cuaso_qr::worker::answer(&request(7, &photo_of(site, 0.21, 6.0)));
    assert_eq!(Reflect::get(&reply, &"id".into()).unwrap(), JsValue::from(7));
    assert_eq!(texts(&reply), vec![site.to_string()]);

    let product = "https://cuaso.quangtri.gov.vn/01/08930000000019/10/L2504";
    let reply = cuaso_qr::worker::answer(&request(8, &photo_of(product, -0.35, 5.0)));
    assert_eq!(texts(&reply), vec![product.to_string()]);
}

#[wasm_bindgen_test]
fn a_frame_without_a_code_or_a_malformed_request_reads_nothing() {
    let blank = OffscreenCanvas::new(W, H).unwrap();
    let ctx: OffscreenCanvasRenderingContext2d =
        blank.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let image: JsValue = ctx.get_image_data(0.0, 0.0, W as f64, H as f64).unwrap().into();
    assert!(texts(&cuaso_qr::worker::answer(&request(1, &image))).is_empty());

    // Sizes that do not match the pixels, or no pixels at all.
    let bad = request(2, &image);
    Reflect::set(&bad, &"width".into(), &JsValue::from(100_000)).unwrap();
    assert!(texts(&cuaso_qr::worker::answer(&bad)).is_empty());
    assert!(texts(&cuaso_qr::worker::answer(&JsValue::from_str("ready"))).is_empty());
    assert!(texts(&cuaso_qr::worker::answer(&JsValue::NULL)).is_empty());
}
