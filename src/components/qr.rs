//! A QR code drawn as inline SVG: one path, crisp at any size and in print.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of the dark modules, and the side length with a 4-module
/// quiet zone; `None` if the text cannot be encoded.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let n = qr.size();
    let mut d = String::new();
    for y in 0..n {
        for x in 0..n {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some((d, n + 8))
}

/// `label` describes the code for screen readers (what it opens).
#[component]
pub fn Qr(text: String, label: String) -> impl IntoView {
    qr_path(&text).map(|(d, side)| {
        view! {
            <svg class="qr" role="img" aria-label=label viewBox=format!("0 0 {side} {side}")
                 shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                <rect width="100%" height="100%" fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}
