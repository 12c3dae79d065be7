//! Reads every QR code in a PNG and prints each distinct text on its own
//! line. The e2e label test
//! decodes its screenshot of the printed sheet with this:
//!
//! ```text
//! cargo run -q -p cuaso-qr --example decode -- SHEET.png
//! ```
//!
//! Exits 1 when no code is found.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path] = args.as_slice() else {
        eprintln!("usage: decode IMAGE.png");
        std::process::exit(2);
    };
    let file = std::fs::File::open(path).unwrap_or_else(|e| {
        eprintln!("decode: cannot open {path}: {e}");
        std::process::exit(2);
    });
    let mut dec = png::Decoder::new(std::io::BufReader::new(file));
    // Palette and 16-bit images become 8-bit RGB(A) or grey.
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().unwrap_or_else(|e| {
        eprintln!("decode: {path} is not a PNG: {e}");
        std::process::exit(2);
    });
    let mut buf = vec![0; reader.output_buffer_size().expect("image size fits memory")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    let (w, h) = (info.width as usize, info.height as usize);
    let px = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    // To grey: the decoder works on luminance.
    let luma: Vec<u8> = px
        .chunks_exact(channels)
        .map(|p| match channels {
            1 | 2 => p[0],
            _ => ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8,
        })
        .collect();
    let texts = cuaso_qr::decode_luma(&luma, w, h);
    if texts.is_empty() {
        eprintln!("decode: no QR code found in {path} ({w}×{h})");
        std::process::exit(1);
    }
    for t in texts {
        println!("{t}");
    }
}
