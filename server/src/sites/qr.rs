//! The QR code of a site's plate, as SVG.

use std::fmt::Write as _;

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

use super::{QR_PRINT_SIZE, QR_QUIET_ZONE};
use crate::infra::web::escape;

/// `text` as a QR code in SVG: error correction Q (not raised, so every
/// plate is alike), a quiet zone of [`QR_QUIET_ZONE`] modules, the
/// `viewBox` in modules, black on white, one `<path>` of
/// `M{x} {y}h{run}v1h-{run}z` rectangles (one per run of dark modules in a
/// row). `None` if `text` does not fit.
pub fn qr_svg(text: &str) -> Option<String> {
    let segs = QrSegment::make_segments(text);
    let qr = QrCode::encode_segments_advanced(
        &segs,
        QrCodeEcc::Quartile,
        Version::MIN,
        Version::MAX,
        None,
        false,
    )
    .ok()?;
    let n = qr.size();
    let dim = n + 2 * QR_QUIET_ZONE;
    let mut d = String::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && qr.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(
                d,
                "M{} {}h{run}v1h-{run}z",
                start + QR_QUIET_ZONE,
                y + QR_QUIET_ZONE
            );
        }
    }
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {dim} {dim}\" \
         width=\"{QR_PRINT_SIZE}\" height=\"{QR_PRINT_SIZE}\" shape-rendering=\"crispEdges\">\
         <title>{}</title>\
         <rect x=\"0\" y=\"0\" width=\"{dim}\" height=\"{dim}\" fill=\"#ffffff\"/>\
         <path d=\"{d}\" fill=\"#000000\"/></svg>\n",
        escape(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svg_shape() {
        let svg = qr_svg("https://example.vn/s/vinh-moc").unwrap();
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert!(svg.contains("width=\"100mm\""));
        assert!(qr_svg(&"x".repeat(5000)).is_none());
    }
}
