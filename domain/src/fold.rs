//! Vietnamese text folding for search: "Đăng  ký KHAI-SINH" and
//! "dang ky khai sinh" fold to the same string.
//!
//! Folding lowercases, strips tone and vowel marks (precomposed or combining),
//! maps đ to d, turns punctuation into spaces and collapses runs of spaces.
//! It is table-driven so the wasm build carries no Unicode normalisation data.

/// Folds `s` for comparison. The result is ASCII for Vietnamese input; other
/// letters are lowercased and kept.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        // Combining diacritical marks (text typed or pasted in NFD form).
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let base = base_letter(c);
        if base.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            // Lowercasing can add a combining mark ('İ' → "i\u{307}"): drop
            // it too, or folding would not be idempotent.
            for l in base
                .to_lowercase()
                .filter(|l| !('\u{0300}'..='\u{036F}').contains(l))
            {
                out.push(l);
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// Splits a folded string into its words.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

/// The letter without its diacritics, for the Latin letters Vietnamese uses
/// (and the common Western European ones); any other char comes back as is.
pub(crate) fn base_letter(c: char) -> char {
    let cp = c as u32;
    // Latin Extended Additional: the Vietnamese block, in regular runs.
    if (0x1EA0..=0x1EF9).contains(&cp) {
        let upper = cp.is_multiple_of(2);
        let b = match cp {
            0x1EA0..=0x1EB7 => 'a',
            0x1EB8..=0x1EC7 => 'e',
            0x1EC8..=0x1ECB => 'i',
            0x1ECC..=0x1EE3 => 'o',
            0x1EE4..=0x1EF1 => 'u',
            _ => 'y',
        };
        return if upper { b.to_ascii_uppercase() } else { b };
    }
    match c {
        'À'..='Å' => 'A',
        'à'..='å' => 'a',
        'Ç' => 'C',
        'ç' => 'c',
        'È'..='Ë' => 'E',
        'è'..='ë' => 'e',
        'Ì'..='Ï' => 'I',
        'ì'..='ï' => 'i',
        'Ñ' => 'N',
        'ñ' => 'n',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ò'..='ö' | 'ø' => 'o',
        'Ù'..='Ü' => 'U',
        'ù'..='ü' => 'u',
        'Ý' => 'Y',
        'ý' | 'ÿ' => 'y',
        'Ă' => 'A',
        'ă' => 'a',
        'Đ' => 'D',
        'đ' => 'd',
        'Ĩ' => 'I',
        'ĩ' => 'i',
        'Ũ' => 'U',
        'ũ' => 'u',
        'Ơ' => 'O',
        'ơ' => 'o',
        'Ư' => 'U',
        'ư' => 'u',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_and_case() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("ĐĂNG KÝ THƯỜNG TRÚ"), "dang ky thuong tru");
        assert_eq!(
            fold("Cấp phiếu lý lịch tư pháp"),
            "cap phieu ly lich tu phap"
        );
        assert_eq!(fold("Hộ kinh doanh"), "ho kinh doanh");
    }

    #[test]
    fn every_vietnamese_vowel_folds_to_its_base() {
        let cases = [
            ("aàáảãạăằắẳẵặâầấẩẫậ", 'a'),
            ("eèéẻẽẹêềếểễệ", 'e'),
            ("iìíỉĩị", 'i'),
            ("oòóỏõọôồốổỗộơờớởỡợ", 'o'),
            ("uùúủũụưừứửữự", 'u'),
            ("yỳýỷỹỵ", 'y'),
        ];
        for (letters, base) in cases {
            for c in letters.chars() {
                let lower = c.to_string();
                let upper: String = c.to_uppercase().collect();
                assert_eq!(fold(&lower), base.to_string(), "{c}");
                assert_eq!(fold(&upper), base.to_string(), "{upper}");
            }
        }
        assert_eq!(fold("Đđ"), "dd");
    }

    #[test]
    fn combining_marks_fold_like_precomposed() {
        // "Việt" typed as NFD: e + combining circumflex + combining dot below.
        let nfd = "Vie\u{0302}\u{0323}t Nam";
        assert_eq!(fold(nfd), "viet nam");
        assert_eq!(fold(nfd), fold("Việt Nam"));
    }

    #[test]
    fn collapses_spaces_and_punctuation() {
        assert_eq!(fold("  đăng   ký\tkhai-sinh  "), "dang ky khai sinh");
        assert_eq!(fold("(Cư trú)"), "cu tru");
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
        assert_eq!(fold("1.001193"), "1 001193");
    }

    #[test]
    fn lowercasing_adds_no_combining_mark() {
        // Found by tests/props.rs: 'İ' lowercases to 'i' + U+0307.
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold(&fold("İ")), fold("İ"));
    }

    #[test]
    fn keeps_other_scripts() {
        assert_eq!(fold("广治 省"), "广治 省");
        assert_eq!(fold("꽝찌"), "꽝찌");
    }

    #[test]
    fn words_split() {
        let f = fold("Đăng ký  khai sinh");
        assert_eq!(
            words(&f).collect::<Vec<_>>(),
            ["dang", "ky", "khai", "sinh"]
        );
    }
}
