//! Writes a QR code as a PNG, as a label printer would: 8 px a module and a
//! 4-module quiet zone. The e2e scanner test's images come from this:
//!
//! ```text
//! cargo run -p cuaso-qr --example fixture -- TEXT OUT.png
//! ```

use qrcodegen::{QrCode, QrCodeEcc};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, text, out] = args.as_slice() else {
        eprintln!("usage: fixture TEXT OUT.png");
        std::process::exit(2);
    };
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).expect("text fits a QR code");
    let scale = 8usize;
    let n = (qr.size() as usize + 8) * scale;
    let mut pixels = vec![255u8; n * n];
    for y in 0..n {
        for x in 0..n {
            let (mx, my) = ((x / scale) as i32 - 4, (y / scale) as i32 - 4);
            if qr.get_module(mx, my) {
                pixels[y * n + x] = 0;
            }
        }
    }
    let file = std::fs::File::create(out).expect("create the PNG");
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), n as u32, n as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let mut w = enc.write_header().expect("PNG header");
    w.write_image_data(&pixels).expect("PNG data");
}
