//! Reads QR codes out of raw camera or photo pixels, for browsers without
//! `BarcodeDetector` (most Android webviews, Firefox, desktop Chromium on
//! Linux). It runs in its own Web Worker (`src/main.rs`), so decoding never
//! blocks the page, and it is fetched only when the scanner needs it: the
//! app's first visit never pays for it.

/// Every QR code found in an RGBA image (`width × height × 4` bytes, as
/// `ImageData` holds it), in the order found, without repeats. Codes whose
/// error correction fails are skipped: a blurred frame yields nothing, and
/// the camera loop simply tries the next one.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return Vec::new();
    }
    // Rec. 601 luma in fixed point: what the eye (and a printed code) sees.
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .take(width * height)
        .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32) >> 8) as u8)
        .collect();
    decode_luma(&luma, width, height)
}

/// [`decode_rgba`] for a greyscale image, one byte per pixel.
pub fn decode_luma(luma: &[u8], width: usize, height: usize) -> Vec<String> {
    if width == 0 || height == 0 || luma.len() < width * height {
        return Vec::new();
    }
    let mut decoder = quircs::Quirc::default();
    let mut found: Vec<String> = Vec::new();
    for code in decoder.identify(width, height, &luma[..width * height]).flatten() {
        if let Ok(data) = code.decode() {
            let text = String::from_utf8_lossy(&data.payload).into_owned();
            if !text.is_empty() && !found.contains(&text) {
                found.push(text);
            }
        }
    }
    found
}

/// The message protocol between the page and the worker.
#[cfg(target_arch = "wasm32")]
pub mod worker {
    use js_sys::{Array, Object, Reflect, Uint8ClampedArray};
    use wasm_bindgen::{JsCast, JsValue};

    /// What the worker posts once its wasm is ready: messages sent before
    /// that would be lost, so the page waits for it.
    pub const READY: &str = "ready";

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Answers one request `{id, width, height, data: Uint8ClampedArray}`
    /// (an `ImageData`'s fields) with `{id, texts: [..]}`. A malformed
    /// request gets `{id, texts: []}`, never a crash.
    pub fn answer(msg: &JsValue) -> JsValue {
        let id = get(msg, "id");
        let width = get(msg, "width").as_f64().unwrap_or(0.0);
        let height = get(msg, "height").as_f64().unwrap_or(0.0);
        let texts = Array::new();
        // 4096² is more than any frame or downscaled photo the page sends.
        let ok = |v: f64| (1.0..=4096.0).contains(&v) && v.fract() == 0.0;
        if ok(width) && ok(height) {
            let data = get(msg, "data");
            if data.is_instance_of::<Uint8ClampedArray>() {
                let pixels = data.unchecked_into::<Uint8ClampedArray>().to_vec();
                for t in super::decode_rgba(&pixels, width as usize, height as usize) {
                    texts.push(&JsValue::from_str(&t));
                }
            }
        }
        let out = Object::new();
        let _ = Reflect::set(&out, &JsValue::from_str("id"), &id);
        let _ = Reflect::set(&out, &JsValue::from_str("texts"), &texts);
        out.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcodegen::{QrCode, QrCodeEcc};

    /// Rasterises `text` as a printed label would be: `scale` pixels a
    /// module, a 4-module quiet zone, dark grey on off-white.
    fn render(text: &str, scale: usize) -> (Vec<u8>, usize) {
        let qr = QrCode::encode_text(text, QrCodeEcc::Medium).unwrap();
        let n = (qr.size() as usize + 8) * scale;
        let mut img = vec![235u8; n * n];
        for y in 0..n {
            for x in 0..n {
                let (mx, my) = ((x / scale) as i32 - 4, (y / scale) as i32 - 4);
                if qr.get_module(mx, my) {
                    img[y * n + x] = 30;
                }
            }
        }
        (img, n)
    }

    #[test]
    fn reads_a_digital_link() {
        let url = "https://cuaso.quangtri.gov.vn/01/08930000000019/10/L2504?17=270430";
        let (img, n) = render(url, 4);
        assert_eq!(decode_luma(&img, n, n), vec![url.to_string()]);
    }

    #[test]
    fn reads_rgba_with_vietnamese_text() {
        let text = "Hạt tiêu Cùa – Cam Lộ";
        let (img, n) = render(text, 3);
        let rgba: Vec<u8> = img.iter().flat_map(|&v| [v, v, v, 255]).collect();
        assert_eq!(decode_rgba(&rgba, n, n), vec![text.to_string()]);
    }

    #[test]
    fn a_blank_or_short_image_reads_nothing() {
        assert!(decode_luma(&vec![255u8; 100 * 80], 100, 80).is_empty());
        assert!(decode_rgba(&[0u8; 10], 100, 100).is_empty());
        assert!(decode_rgba(&[], 0, 0).is_empty());
    }
}
