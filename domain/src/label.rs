//! Batch labels: a GS1 QR code with the human-readable text under it, on an
//! A4 sheet. Sizes in millimetres.
//!
//! GS1 General Specifications (5.12.3.1, QR codes scanned at retail point of
//! sale): the module (X-dimension) is 0.396–0.990 mm, and the symbol needs a
//! quiet zone of 4 modules on every side.

use crate::date::Date;

/// The smallest and largest module GS1 allows at point of sale, in mm.
pub const X_MIN_MM: f64 = 0.396;
pub const X_MAX_MM: f64 = 0.990;
/// Quiet zone, in modules, on each side.
pub const QUIET_MODULES: u32 = 4;
/// Labels per request.
pub const COUNT_MAX: u32 = 500;

/// A4 portrait with the margins most office printers can reach.
pub const PAGE_W_MM: f64 = 210.0;
pub const PAGE_H_MM: f64 = 297.0;
pub const PAGE_MARGIN_MM: f64 = 8.0;
/// Space between labels (cutting).
pub const GAP_MM: f64 = 2.0;
/// Padding inside a label.
pub const PAD_MM: f64 = 2.0;
/// Room under the code for four lines of text.
pub const TEXT_MM: f64 = 14.0;

/// The label sizes offered, width × height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelSize {
    Small,
    Medium,
    Large,
}

impl LabelSize {
    pub const ALL: [LabelSize; 3] = [LabelSize::Small, LabelSize::Medium, LabelSize::Large];

    /// Width and height in mm.
    pub fn mm(self) -> (f64, f64) {
        match self {
            LabelSize::Small => (40.0, 50.0),
            LabelSize::Medium => (50.0, 70.0),
            LabelSize::Large => (70.0, 90.0),
        }
    }

    /// `40x50`…, for URLs and form values.
    pub fn id(self) -> &'static str {
        match self {
            LabelSize::Small => "40x50",
            LabelSize::Medium => "50x70",
            LabelSize::Large => "70x90",
        }
    }

    pub fn parse(s: &str) -> Option<LabelSize> {
        LabelSize::ALL.into_iter().find(|l| l.id() == s)
    }

    /// Columns and rows on one A4 sheet.
    pub fn grid(self) -> (u32, u32) {
        let (w, h) = self.mm();
        let fit = |avail: f64, size: f64| ((avail + GAP_MM) / (size + GAP_MM)).floor() as u32;
        (
            fit(PAGE_W_MM - 2.0 * PAGE_MARGIN_MM, w),
            fit(PAGE_H_MM - 2.0 * PAGE_MARGIN_MM, h),
        )
    }

    pub fn per_page(self) -> u32 {
        let (c, r) = self.grid();
        c * r
    }

    /// Sheets needed for `count` labels.
    pub fn pages(self, count: u32) -> u32 {
        count.div_ceil(self.per_page())
    }
}

/// How the QR code sits on a label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QrFit {
    /// The module (X-dimension), mm.
    pub module_mm: f64,
    /// The symbol with its quiet zone, mm (square).
    pub side_mm: f64,
}

/// The largest module that fits the label (capped at [`X_MAX_MM`]) for a
/// symbol of `modules` × `modules` (quiet zone not included). `None` when
/// even [`X_MIN_MM`] does not fit: the text is too long for that size.
pub fn qr_fit(size: LabelSize, modules: u32) -> Option<QrFit> {
    let (w, h) = size.mm();
    let room = (w - 2.0 * PAD_MM).min(h - 2.0 * PAD_MM - TEXT_MM);
    let total = (modules + 2 * QUIET_MODULES) as f64;
    // Whole hundredths of a mm, so the printed size is exact.
    let x = ((room / total) * 100.0).floor() / 100.0;
    let x = x.min(X_MAX_MM);
    (x >= X_MIN_MM).then_some(QrFit {
        module_mm: x,
        side_mm: x * total,
    })
}

/// The type sizes, in points, the product name may take on a label, largest
/// first; the other lines are [`TEXT_PT`]. The portal's stylesheet has a class
/// for each (`qr-label__name--7`, …).
pub const NAME_PT: [u8; 4] = [7, 6, 5, 4];
/// The type size of the lines under the name (GTIN, lot, expiry), points.
pub const TEXT_PT: f64 = 7.0;
/// Line heights (the stylesheet's): the name's, the other lines'.
const NAME_LEADING: f64 = 1.15;
const TEXT_LEADING: f64 = 1.25;
/// A character's average width, in ems, for the system sans-serif fonts;
/// lines wrap at spaces, so a line holds somewhat less than width ÷ this.
const CHAR_EM: f64 = 0.55;
const WRAP_SLACK: f64 = 0.85;
const PT_MM: f64 = 25.4 / 72.0;

/// The product name's type size on a label of `size` whose code takes
/// `side_mm`: the largest of [`NAME_PT`] at which the name, wrapped, fits
/// the width and the height left under the code by the three other lines.
/// A name is shrunk or wrapped, never cut (the smallest size wraps on).
pub fn name_pt(size: LabelSize, side_mm: f64, name: &str) -> u8 {
    let (w, h) = size.mm();
    let width = w - 2.0 * PAD_MM;
    let room = h - 2.0 * PAD_MM - side_mm - 3.0 * TEXT_PT * TEXT_LEADING * PT_MM;
    let chars = name.chars().count().max(1) as f64;
    let fits = |pt: f64| {
        let per_line = (width / (CHAR_EM * pt * PT_MM) * WRAP_SLACK).floor().max(1.0);
        (chars / per_line).ceil() * pt * NAME_LEADING * PT_MM <= room
    };
    NAME_PT
        .into_iter()
        .find(|&pt| fits(pt as f64))
        .unwrap_or(NAME_PT[NAME_PT.len() - 1])
}

/// Why a label count is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountProblem {
    NotANumber,
    OutOfRange,
}

impl CountProblem {
    pub fn message(self, lang: &str) -> String {
        if lang == "en" {
            format!("Enter a whole number from 1 to {COUNT_MAX}")
        } else {
            format!("Nhập số nguyên từ 1 đến {COUNT_MAX}")
        }
    }
}

/// Parses the number of labels typed (spaces allowed around it).
pub fn parse_count(s: &str) -> Result<u32, CountProblem> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CountProblem::NotANumber);
    }
    match t.parse::<u32>() {
        Ok(n) if (1..=COUNT_MAX).contains(&n) => Ok(n),
        _ => Err(CountProblem::OutOfRange),
    }
}

/// The expiry as printed on the label: `HSD: 12/08/2026` / `EXP: 2026-08-12`
/// (Vietnamese labels use day/month/year).
pub fn expiry_text(expires: Date, lang: &str) -> String {
    if lang == "en" {
        format!("EXP {expires}")
    } else {
        format!(
            "HSD {:02}/{:02}/{}",
            expires.day, expires.month, expires.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets() {
        assert_eq!(LabelSize::Small.grid(), (4, 5));
        assert_eq!(LabelSize::Medium.grid(), (3, 3));
        assert_eq!(LabelSize::Large.grid(), (2, 3));
        assert_eq!(LabelSize::Small.pages(20), 1);
        assert_eq!(LabelSize::Small.pages(21), 2);
        for l in LabelSize::ALL {
            assert_eq!(LabelSize::parse(l.id()), Some(l));
            let (c, r) = l.grid();
            let (w, h) = l.mm();
            assert!(c as f64 * w + (c - 1) as f64 * GAP_MM <= PAGE_W_MM - 2.0 * PAGE_MARGIN_MM);
            assert!(r as f64 * h + (r - 1) as f64 * GAP_MM <= PAGE_H_MM - 2.0 * PAGE_MARGIN_MM);
        }
    }

    #[test]
    fn modules_stay_in_the_gs1_range() {
        // A version-4 symbol (33 modules): a Digital Link with lot and expiry.
        for l in LabelSize::ALL {
            let f = qr_fit(l, 33).unwrap();
            assert!((X_MIN_MM..=X_MAX_MM).contains(&f.module_mm), "{l:?} {f:?}");
            let (w, h) = l.mm();
            assert!(f.side_mm <= w - 2.0 * PAD_MM && f.side_mm <= h - 2.0 * PAD_MM - TEXT_MM);
        }
        assert_eq!(qr_fit(LabelSize::Large, 21).unwrap().module_mm, X_MAX_MM);
        // A huge symbol cannot be printed small enough to stay readable.
        assert_eq!(qr_fit(LabelSize::Small, 177), None);
    }

    #[test]
    fn long_names_shrink_instead_of_being_cut() {
        let side = qr_fit(LabelSize::Small, 33).unwrap().side_mm;
        assert_eq!(name_pt(LabelSize::Small, side, "Hạt tiêu Cùa"), 7);
        // 41 characters: two lines of a smaller type on 40 × 50 mm.
        let coffee = "Khe Sanh Coffee – cà phê bột 100% Arabica";
        assert!(name_pt(LabelSize::Small, side, coffee) < 7);
        // The larger labels have room for it at full size.
        let side = qr_fit(LabelSize::Large, 33).unwrap().side_mm;
        assert_eq!(name_pt(LabelSize::Large, side, coffee), 7);
        // However long, the smallest size (which wraps on) at worst.
        assert_eq!(name_pt(LabelSize::Small, 32.0, &"x".repeat(500)), 4);
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(" 24 "), Ok(24));
        assert_eq!(parse_count("0"), Err(CountProblem::OutOfRange));
        assert_eq!(parse_count("501"), Err(CountProblem::OutOfRange));
        assert_eq!(parse_count("99999999999"), Err(CountProblem::OutOfRange));
        assert_eq!(parse_count("-3"), Err(CountProblem::NotANumber));
        assert_eq!(parse_count("12a"), Err(CountProblem::NotANumber));
        assert!(CountProblem::OutOfRange.message("vi").contains("500"));
    }

    #[test]
    fn expiry_on_the_label() {
        let d = Date::parse("2026-08-12").unwrap();
        assert_eq!(expiry_text(d, "vi"), "HSD 12/08/2026");
        assert_eq!(expiry_text(d, "en"), "EXP 2026-08-12");
    }
}
