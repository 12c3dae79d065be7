//! Removes metadata from photos before they are stored: the camera, the
//! time, the GPS position and any text a phone or an editor writes into a
//! JPEG, PNG or WebP file. Only what a decoder needs to draw the picture in
//! the right colours is kept; the image data is copied byte for byte, never
//! re-encoded.
//!
//! - **JPEG**: drops APP1 (Exif, XMP), APP13 (IPTC), COM and every other
//!   APPn segment except APP0 `JFIF`, APP2 `ICC_PROFILE` and APP14 `Adobe`
//!   (colour transform). From the first SOS on, the entropy-coded data is
//!   copied as is; metadata segments between the scans of a progressive
//!   file are dropped too; anything after EOI (multi-picture trailers,
//!   which carry their own Exif) is dropped. Bytes where a marker should be
//!   are skipped as a decoder skips them.
//! - **PNG**: drops `eXIf`, `tEXt`, `zTXt`, `iTXt`, `tIME` and every other
//!   ancillary chunk that is not about how to draw the image; stops at IEND.
//! - **WebP**: drops the `EXIF` and `XMP ` chunks (and any chunk that is not
//!   image data, ICC profile or animation), clears their flags in `VP8X`
//!   and writes the RIFF size again.
//!
//! These are pure functions over bytes: they never panic, whatever the
//! input. A file that does not even start like its format is an error,
//! which the caller answers with 415; a damaged or truncated file gives
//! the part that could be read, without its metadata.

/// The formats photos are stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

/// The bytes do not start like the format said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnImage(pub Format);

impl std::fmt::Display for NotAnImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the file is not a readable {:?} image", self.0)
    }
}

impl std::error::Error for NotAnImage {}

/// The photo without its metadata.
pub fn strip(format: Format, bytes: &[u8]) -> Result<Vec<u8>, NotAnImage> {
    match format {
        Format::Jpeg => strip_jpeg(bytes),
        Format::Png => strip_png(bytes),
        Format::Webp => strip_webp(bytes),
    }
}

const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;

/// Is this marker segment kept? `payload` is what follows the length.
fn keep_jpeg_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xE0 => payload.starts_with(b"JFIF\0"),
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        0xEE => payload.starts_with(b"Adobe"),
        // Other APPn, and COM.
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        // Frames, tables, scans, restart interval, JPG extensions.
        0xC0..=0xDF | 0xF0..=0xFD => true,
        // Reserved markers carry nothing a decoder uses.
        _ => false,
    }
}

/// A JPEG without its metadata (see the module docs).
pub fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, NotAnImage> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(NotAnImage(Format::Jpeg));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // The next marker: bytes that are not 0xFF are skipped (a decoder
        // skips them too), then fill bytes.
        while i < b.len() && b[i] != 0xFF {
            i += 1;
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = b.get(i) else {
            break;
        };
        i += 1;
        match marker {
            EOI => {
                out.extend_from_slice(&[0xFF, EOI]);
                break;
            }
            // Standalone markers: TEM and RSTn are kept; a stray 0x00 or a
            // second SOI is dropped.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            0x00 | 0xD8 => continue,
            _ => {}
        }
        let Some(len) = b
            .get(i..i + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            break;
        };
        if len < 2 {
            // A bogus length: drop the marker and look for the next one.
            continue;
        }
        let end = i + len;
        let Some(payload) = b.get(i + 2..end) else {
            // Truncated inside a segment: nothing after this is usable.
            break;
        };
        if keep_jpeg_segment(marker, payload) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if marker == SOS {
            let data_end = entropy_end(b, i);
            out.extend_from_slice(&b[i..data_end]);
            i = data_end;
        }
    }
    Ok(out)
}

/// Where the entropy-coded data that starts at `i` ends: at the 0xFF of
/// the first marker that is neither a stuffed byte (`FF 00`) nor a restart
/// (`FF D0`–`FF D7`), or at the end of the file.
fn entropy_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            None => return b.len(),
            Some(0x00 | 0xD0..=0xD7) => i += 2,
            // A fill byte before a marker.
            Some(0xFF) => i += 1,
            Some(_) => return i,
        }
    }
    b.len()
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Ancillary PNG chunks that say how to draw the image, kept; every other
/// ancillary chunk (text, time, Exif and unknown private ones) is dropped.
/// Critical chunks (upper-case first letter) are always kept: a decoder
/// must refuse an image whose critical chunk it does not know.
const PNG_KEEP: [&[u8; 4]; 16] = [
    b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"cLLI", b"bKGD",
    b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

fn keep_png_chunk(kind: &[u8]) -> bool {
    let critical = kind.first().is_some_and(u8::is_ascii_uppercase);
    critical || PNG_KEEP.iter().any(|k| k.as_slice() == kind)
}

/// A PNG without its metadata (see the module docs).
pub fn strip_png(b: &[u8]) -> Result<Vec<u8>, NotAnImage> {
    if !b.starts_with(PNG_SIGNATURE) {
        return Err(NotAnImage(Format::Png));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    while let Some(head) = b.get(i..i + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        if len > 0x7FFF_FFFF || !kind.iter().all(u8::is_ascii_alphabetic) {
            break;
        }
        // Length, type, data, CRC.
        let end = i.saturating_add(12).saturating_add(len);
        let keep = keep_png_chunk(kind);
        match b.get(i..end) {
            Some(chunk) => {
                if keep {
                    out.extend_from_slice(chunk);
                }
            }
            // Truncated: the partial chunk is dropped, so nothing that its
            // declared length covers can slip through.
            None => break,
        }
        if kind == b"IEND" {
            break;
        }
        i = end;
    }
    Ok(out)
}

/// WebP chunks kept: the image itself (lossy, lossless, alpha), the
/// extended header, the colour profile and animation.
const WEBP_KEEP: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF",
];

/// `VP8X` flag bits for the Exif and XMP chunks.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// A WebP without its metadata (see the module docs).
pub fn strip_webp(b: &[u8]) -> Result<Vec<u8>, NotAnImage> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(NotAnImage(Format::Webp));
    }
    // Only what the RIFF header covers; bytes after it are not part of the file.
    let declared = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let b = &b[..b.len().min(declared.saturating_add(8))];
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut i = 12;
    while let Some(head) = b.get(i..i + 8) {
        let kind = &head[..4];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let keep = WEBP_KEEP.iter().any(|k| k.as_slice() == kind);
        // Chunks are padded to an even size.
        let end = i
            .saturating_add(8)
            .saturating_add(len)
            .saturating_add(len & 1);
        let at = out.len();
        // A truncated chunk is dropped (its last byte of padding may be missing).
        let Some(chunk) = b.get(i..end).or_else(|| b.get(i..end - (len & 1))) else {
            break;
        };
        if keep {
            out.extend_from_slice(chunk);
            if kind == b"VP8X" {
                if let Some(flags) = out.get_mut(at + 8) {
                    *flags &= !(VP8X_EXIF | VP8X_XMP);
                }
            }
        }
        i = end;
    }
    let size = u32::try_from(out.len() - 8).unwrap_or(u32::MAX);
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    /// SOI, the given header segments, a frame, a table, a scan with
    /// stuffed bytes and a restart marker, EOI.
    fn jpeg(header: &[Vec<u8>], between: &[Vec<u8>], trailer: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        for h in header {
            v.extend_from_slice(h);
        }
        v.extend(seg(0xDB, &[0; 65]));
        v.extend(seg(0xC2, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
        v.extend(seg(
            0xC4,
            &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        v.extend(seg(SOS, &[1, 1, 0, 0, 63, 0]));
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        for h in between {
            v.extend_from_slice(h);
        }
        v.extend(seg(SOS, &[1, 1, 0, 1, 63, 0]));
        v.extend_from_slice(&[0x78, 0xFF, 0x00, 0x9A, 0xFF, 0xFF]);
        v.extend_from_slice(&[0xFF, EOI]);
        v.extend_from_slice(trailer);
        v
    }

    fn exif_app1() -> Vec<u8> {
        seg(0xE1, b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 16.8")
    }

    #[test]
    fn jpeg_metadata_goes_and_the_image_stays() {
        let jfif = seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let icc = seg(0xE2, b"ICC_PROFILE\0\x01\x01profile");
        let adobe = seg(0xEE, b"Adobe\0\x64\0\0\0\0\x01");
        let xmp = seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>");
        let iptc = seg(0xED, b"Photoshop 3.0\08BIM");
        let com = seg(0xFE, b"Nha so 12");
        let mpf = seg(0xE2, b"MPF\0\0\0");
        let jfxx = seg(0xE0, b"JFXX\0\x10thumb");
        let input = jpeg(
            &[
                jfif.clone(),
                exif_app1(),
                xmp,
                icc.clone(),
                iptc,
                com.clone(),
                mpf,
                adobe.clone(),
                jfxx,
            ],
            &[com, exif_app1()],
            b"\xFF\xD8\xFF\xE1\0\x08Exif\0\0",
        );
        let clean = strip_jpeg(&input).unwrap();
        let want = jpeg(&[jfif, icc, adobe], &[], b"");
        assert_eq!(clean, want);
        // Stripping again changes nothing.
        assert_eq!(strip_jpeg(&clean).unwrap(), clean);
        let text = String::from_utf8_lossy(&clean);
        for gone in ["Exif", "GPS", "xmpmeta", "8BIM", "Nha so", "MPF", "JFXX"] {
            assert!(!text.contains(gone), "{gone}");
        }
    }

    #[test]
    fn a_clean_jpeg_is_unchanged() {
        let input = jpeg(&[seg(0xE0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0")], &[], b"");
        assert_eq!(strip_jpeg(&input).unwrap(), input);
    }

    #[test]
    fn garbage_between_segments_is_skipped_as_decoders_skip_it() {
        let mut input = vec![0xFF, 0xD8, 0x5A, 0x5A];
        input.extend(exif_app1());
        input.extend_from_slice(&[0, 0, 0xFF, 0xFF]);
        input.extend(seg(0xDB, &[1, 2, 3]));
        input.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x00, 0xFF, 0x00, 0xFF, 0xD8]);
        input.extend_from_slice(&[0xFF, EOI]);
        let mut want = vec![0xFF, 0xD8];
        want.extend(seg(0xDB, &[1, 2, 3]));
        want.extend_from_slice(&[0xFF, EOI]);
        assert_eq!(strip_jpeg(&input).unwrap(), want);
    }

    #[test]
    fn not_a_jpeg_is_an_error() {
        assert_eq!(strip_jpeg(b""), Err(NotAnImage(Format::Jpeg)));
        assert_eq!(strip_jpeg(b"\xFF"), Err(NotAnImage(Format::Jpeg)));
        assert_eq!(strip_jpeg(b"%PDF-1.7"), Err(NotAnImage(Format::Jpeg)));
        assert_eq!(strip_jpeg(b"\xFF\xD8").unwrap(), b"\xFF\xD8");
    }

    /// Every prefix of the sample (no metadata text survives), every
    /// single-byte corruption and random tails (no panic, never longer).
    fn torture(sample: &[u8], f: fn(&[u8]) -> Result<Vec<u8>, NotAnImage>, secrets: &[&str]) {
        for n in 0..=sample.len() {
            if let Ok(out) = f(&sample[..n]) {
                assert!(out.len() <= n.max(12));
                let text = String::from_utf8_lossy(&out);
                for s in secrets {
                    assert!(!text.contains(s), "{s} survived a cut at {n}: {out:?}");
                }
            }
        }
        for i in 0..sample.len() {
            for v in [0x00, 0x01, 0xFF, 0xD9, 0xDA, 0x7F, 0x80] {
                let mut x = sample.to_vec();
                x[i] = v;
                if let Ok(out) = f(&x) {
                    assert!(out.len() <= x.len().max(12));
                }
            }
        }
        // Pseudo-random bytes after a valid start.
        let mut seed = 0x2545_F491_u32;
        for _ in 0..200 {
            let mut x = sample[..sample.len().min(12)].to_vec();
            for _ in 0..300 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                x.push((seed >> 24) as u8);
            }
            let _ = f(&x);
        }
    }

    #[test]
    fn jpeg_truncated_or_corrupted_never_panics_nor_leaks() {
        let input = jpeg(
            &[exif_app1(), seg(0xFE, b"Nha so 12")],
            &[exif_app1()],
            b"\xFF\xE1\0\x0aGPS-TAIL",
        );
        torture(&input, strip_jpeg, &["Exif", "Nha so", "GPS"]);
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = (data.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        // The CRC is not checked here.
        v.extend_from_slice(&[0, 0, 0, 0]);
        v
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut v = PNG_SIGNATURE.to_vec();
        for c in chunks {
            v.extend_from_slice(c);
        }
        v
    }

    #[test]
    fn png_text_time_and_exif_go() {
        let ihdr = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        let srgb = chunk(b"sRGB", &[0]);
        let phys = chunk(b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1]);
        let idat = chunk(b"IDAT", b"pixels");
        let iend = chunk(b"IEND", b"");
        let input = png(&[
            ihdr.clone(),
            srgb.clone(),
            chunk(b"eXIf", b"MM\0*GPS"),
            chunk(b"tEXt", b"Comment\0Nha so 12"),
            chunk(b"zTXt", b"Author\0\0x"),
            chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"),
            chunk(b"tIME", &[7, 234, 11, 23, 8, 15, 0]),
            chunk(b"prVt", b"private"),
            phys.clone(),
            idat.clone(),
            iend.clone(),
            b"trailing GPS".to_vec(),
        ]);
        let want = png(&[ihdr, srgb, phys, idat, iend]);
        let clean = strip_png(&input).unwrap();
        assert_eq!(clean, want);
        assert_eq!(strip_png(&clean).unwrap(), clean);
        torture(&input, strip_png, &["GPS", "Nha so", "xmpmeta", "private"]);
        assert_eq!(strip_png(b"\x89PNG"), Err(NotAnImage(Format::Png)));
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend_from_slice(&body);
        v
    }

    fn wchunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = kind.to_vec();
        v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    #[test]
    fn webp_exif_and_xmp_go_and_the_header_follows() {
        let flags = 0x20 | 0x10 | VP8X_EXIF | VP8X_XMP;
        let vp8x = |f: u8| wchunk(b"VP8X", &[f, 0, 0, 0, 15, 0, 0, 15, 0, 0]);
        let iccp = wchunk(b"ICCP", b"icc");
        let alph = wchunk(b"ALPH", b"alpha");
        let vp8 = wchunk(b"VP8 ", b"frame data");
        let input = riff(&[
            vp8x(flags),
            iccp.clone(),
            alph.clone(),
            vp8.clone(),
            wchunk(b"EXIF", b"MM\0*GPS"),
            wchunk(b"XMP ", b"<x:xmpmeta/>"),
        ]);
        let clean = strip_webp(&input).unwrap();
        assert_eq!(clean, riff(&[vp8x(0x20 | 0x10), iccp, alph, vp8.clone()]));
        assert_eq!(strip_webp(&clean).unwrap(), clean);
        // A simple lossy file is unchanged.
        let simple = riff(&[vp8]);
        assert_eq!(strip_webp(&simple).unwrap(), simple);
        torture(&input, strip_webp, &["GPS", "xmpmeta"]);
        assert_eq!(
            strip_webp(b"RIFF\0\0\0\0WAVE"),
            Err(NotAnImage(Format::Webp))
        );
    }

    #[test]
    fn webp_riff_size_is_written_again() {
        // The producer test's minimal file: a declared size that is too small.
        let mut input = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
        input.extend_from_slice(&[0u8; 32]);
        let out = strip_webp(&input).unwrap();
        let size = u32::from_le_bytes([out[4], out[5], out[6], out[7]]) as usize;
        assert_eq!(size + 8, out.len());
        assert!(out.starts_with(b"RIFF") && &out[8..12] == b"WEBP");
    }
}
