//! Where a scanned (or typed) code leads. The scanner reads any QR code;
//! this decides, the same way on every device, what it is: a product's GS1
//! Digital Link, a site guide's plate (`/s/{slug}`), a dossier's tracking
//! link or code, or something else, which the app shows before opening.

use crate::gs1;
use crate::track::normalize_code;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanTarget {
    /// An app path: `/01/...` (canonical Digital Link path, with its query).
    Product(String),
    /// A site guide's slug.
    Site(String),
    /// A dossier code, normalized.
    Dossier(String),
    /// Anything else, as read (trimmed).
    Other(String),
}

impl ScanTarget {
    /// The app path to open, if the code is one of Cửa Số's.
    pub fn path(&self) -> Option<String> {
        match self {
            ScanTarget::Product(p) => Some(p.clone()),
            ScanTarget::Site(s) => Some(format!("/s/{s}")),
            ScanTarget::Dossier(c) => Some(format!("/track/{c}")),
            ScanTarget::Other(_) => None,
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The path of a URL (or the text itself when it starts with `/`).
fn path_of(text: &str) -> Option<&str> {
    if text.starts_with('/') {
        return Some(text);
    }
    let rest = text.split_once("://")?.1;
    Some(rest.find('/').map_or("/", |i| &rest[i..]))
}

/// Decides where a scanned or typed code leads.
pub fn route(text: &str) -> ScanTarget {
    let text = text.trim();
    // A bare barcode number (GTIN-8/12/13/14).
    if matches!(text.len(), 8 | 12 | 13 | 14) && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(g) = gs1::gtin14(text) {
            return ScanTarget::Product(format!("/01/{g}"));
        }
    }
    if let Some(c) = normalize_code(text) {
        return ScanTarget::Dossier(c);
    }
    match gs1::parse(text) {
        Ok(link) => {
            let q = link.query();
            let mut path = link.path();
            if !q.is_empty() {
                path = format!("{path}?{q}");
            }
            return ScanTarget::Product(path);
        }
        // A Digital Link with a mistake: the product page explains it.
        Err(e) if e != gs1::Gs1Error::NotDigitalLink => {
            if let Some(path) = path_of(text).filter(|p| p.contains("/01/") || p.contains("/gtin/"))
            {
                let at = path
                    .find("/01/")
                    .or_else(|| path.find("/gtin/"))
                    .unwrap_or(0);
                return ScanTarget::Product(path[at..].to_string());
            }
        }
        Err(_) => {}
    }
    if let Some(path) = path_of(text) {
        let path = path.split(['?', '#']).next().unwrap_or("");
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["s" | "sites", slug] if is_slug(slug) => return ScanTarget::Site(slug.to_string()),
            ["track", code] => {
                if let Some(c) = normalize_code(code) {
                    return ScanTarget::Dossier(c);
                }
            }
            _ => {}
        }
    }
    ScanTarget::Other(text.to_string())
}

/// Why a typed barcode number and lot do not make a product link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManualError {
    /// A lot was given, but the code is not a barcode number.
    LotWithoutGtin,
    /// The barcode number is wrong (length, digits, check digit).
    Gtin(gs1::Gs1Error),
    /// The lot has a character a GS1 lot cannot have, or is too long.
    Lot(gs1::Gs1Error),
}

/// The page of a product, or of one of its batches, from a barcode number
/// and lot typed by hand (spaces in the number are ignored): the same rules
/// as a scanned Digital Link, lot included.
pub fn product_path(gtin: &str, lot: &str) -> Result<String, ManualError> {
    let digits: String = gtin.chars().filter(|c| !c.is_whitespace()).collect();
    let gtin = gs1::gtin14(&digits).map_err(ManualError::Gtin)?;
    let lot = lot.trim();
    let link = gs1::DigitalLink {
        gtin,
        lot: (!lot.is_empty()).then(|| lot.to_string()),
        ..Default::default()
    };
    // The parser holds the lot rules (character set 82, 20 characters).
    gs1::parse(&link.path())
        .map(|l| l.path())
        .map_err(ManualError::Lot)
}

/// Where a code typed by hand leads, with the lot number printed beside
/// the barcode when the shopper typed it: `8930000000019` + `L2504` opens
/// that batch's page. Without a lot it is [`route`].
pub fn manual(code: &str, lot: &str) -> Result<ScanTarget, ManualError> {
    let code = code.trim();
    if lot.trim().is_empty() {
        return Ok(route(code));
    }
    if !code.chars().any(|c| c.is_ascii_digit())
        || !code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        return Err(ManualError::LotWithoutGtin);
    }
    product_path(code, lot).map(ScanTarget::Product)
}

impl ManualError {
    /// What is wrong and how to fix it, in `en` or (any other `lang`)
    /// Vietnamese.
    pub fn message(&self, lang: &str) -> String {
        match self {
            ManualError::LotWithoutGtin if lang == "en" => "A lot number goes with a product's barcode number: type the digits printed under the barcode in the first box".into(),
            ManualError::LotWithoutGtin => "Số lô chỉ dùng kèm mã vạch sản phẩm: nhập dãy số in dưới mã vạch vào ô đầu tiên".into(),
            ManualError::Gtin(e) | ManualError::Lot(e) => e.message(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_go_where_they_belong() {
        assert_eq!(
            route("https://cuaso.quangtri.gov.vn/01/08930000000019/10/L2504"),
            ScanTarget::Product("/01/08930000000019/10/L2504".into())
        );
        assert_eq!(
            route("https://id.example.com/qr/01/8930000000019?17=271231"),
            ScanTarget::Product("/01/08930000000019?17=271231".into())
        );
        assert_eq!(
            route(" 8930000000019 "),
            ScanTarget::Product("/01/08930000000019".into())
        );
        assert_eq!(
            route("https://x.vn/s/vinh-moc"),
            ScanTarget::Site("vinh-moc".into())
        );
        assert_eq!(
            route("/sites/hien-luong?src=qr"),
            ScanTarget::Site("hien-luong".into())
        );
        assert_eq!(
            route("https://x.vn/track/QT.XA-261124-0001"),
            ScanTarget::Dossier("QT.XA-261124-0001".into())
        );
        assert_eq!(
            route("qt.xa-261124-0001"),
            ScanTarget::Dossier("QT.XA-261124-0001".into())
        );
        assert_eq!(
            ScanTarget::Site("vinh-moc".into()).path().as_deref(),
            Some("/s/vinh-moc")
        );
        // A Digital Link with a mistake still opens the product page, which explains it.
        assert_eq!(
            route("https://x.vn/01/08930000000017/10/L1"),
            ScanTarget::Product("/01/08930000000017/10/L1".into())
        );
    }

    #[test]
    fn anything_else_is_shown_as_it_is() {
        for t in [
            "https://evil.example/login",
            "8930000000018",
            "<script>alert(1)</script>",
            "WIFI:S:cafe;T:WPA;P:secret;;",
            "",
        ] {
            assert!(matches!(route(t), ScanTarget::Other(_)), "{t}");
            assert_eq!(route(t).path(), None);
        }
    }

    #[test]
    fn a_typed_barcode_and_lot_open_the_batch() {
        assert_eq!(
            manual(" 8930000000019 ", " L2504 "),
            Ok(ScanTarget::Product("/01/08930000000019/10/L2504".into()))
        );
        // Spaces inside the barcode number are dropped; "/" is a lot
        // character (encoded in the path), a space is not.
        assert_eq!(
            manual("893 0000 000019", "L25/04"),
            Ok(ScanTarget::Product("/01/08930000000019/10/L25%2F04".into()))
        );
        assert!(matches!(
            manual("8930000000019", "L 2504"),
            Err(ManualError::Lot(gs1::Gs1Error::BadCharacter {
                ch: ' ',
                ..
            }))
        ));
        assert_eq!(manual("8930000000019", ""), Ok(route("8930000000019")));
        assert_eq!(
            manual("QT.XA-261124-0001", "L1"),
            Err(ManualError::LotWithoutGtin)
        );
        assert!(matches!(
            manual("8930000000017", "L1"),
            Err(ManualError::Gtin(gs1::Gs1Error::CheckDigit { .. }))
        ));
        assert!(matches!(
            manual("8930000000019", "LÔ1"),
            Err(ManualError::Lot(gs1::Gs1Error::BadCharacter { .. }))
        ));
        assert!(matches!(
            manual("8930000000019", &"L".repeat(21)),
            Err(ManualError::Lot(gs1::Gs1Error::TooLong { .. }))
        ));
    }
}
