//! One spelling style for Vietnamese text: where the tone mark goes in an
//! open syllable ending in "oa", "oe" or "uy".
//!
//! Vietnamese is written in two styles that differ only there: the
//! traditional one puts the mark on the first vowel (hòa, xóa, khỏe, Ủy,
//! thủy), the newer one on the second (hoà, xoá, khoẻ, Uỷ, thuỷ). With a
//! final consonant both agree (hoàn, toán, khoảng, huýt), and after "qu" the
//! "u" belongs to the consonant (quý, quả). Cửa Số writes the traditional
//! style, as most administrative text and the seeded procedures do; a test
//! over `locales/` and `server/seed/` keeps every string in it.

/// Combining tone marks: grave, acute, tilde, hook above, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A vowel letter's base letter and whether it carries a tone mark, for the
/// plain vowels a, e, o, u, y (any case). Letters with another diacritic
/// (â, ê, ô, ơ, ư, ă) or no vowel at all answer `None`.
fn vowel(c: char) -> Option<(char, bool)> {
    let lower = c.to_lowercase().next()?;
    let (base, tone) = match lower {
        'a' | 'e' | 'o' | 'u' | 'y' => (lower, false),
        'à' | 'á' | 'ã' | 'ả' | 'ạ' => ('a', true),
        'è' | 'é' | 'ẽ' | 'ẻ' | 'ẹ' => ('e', true),
        'ò' | 'ó' | 'õ' | 'ỏ' | 'ọ' => ('o', true),
        'ù' | 'ú' | 'ũ' | 'ủ' | 'ụ' => ('u', true),
        'ỳ' | 'ý' | 'ỹ' | 'ỷ' | 'ỵ' => ('y', true),
        _ => return None,
    };
    Some((base, tone))
}

/// Is `word` (letters only) an open "oa"/"oe"/"uy" syllable with its tone
/// mark on the second vowel: the newer style?
pub fn is_new_style(word: &str) -> bool {
    // Text in decomposed form (a letter and a combining mark) is not read
    // here: the project's strings are NFC, and a test would flag NFD apart.
    if word.chars().any(|c| TONES.contains(&c)) {
        return false;
    }
    let letters: Vec<char> = word.chars().collect();
    let n = letters.len();
    if n < 2 {
        return false;
    }
    let (Some((first, first_tone)), Some((second, second_tone))) =
        (vowel(letters[n - 2]), vowel(letters[n - 1]))
    else {
        return false;
    };
    let pair = matches!((first, second), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    let after_q = first == 'u' && n >= 3 && letters[n - 3].to_lowercase().eq(['q']);
    pair && !after_q && second_tone && !first_tone
}

/// The words of `text` written in the newer style, in order.
pub fn new_style_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| is_new_style(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_styles() {
        for w in [
            "hoà", "xoá", "Xoá", "khoẻ", "Uỷ", "thuỷ", "hoạ", "loè", "tuỳ",
        ] {
            assert!(is_new_style(w), "{w}");
        }
        for w in [
            "hòa", "xóa", "khỏe", "Ủy", "thủy", "họa", "tùy", "hoàn", "toán", "khoảng", "huýt",
            "quý", "quả", "Quỳ", "hoa", "khuya", "thuở", "người", "a", "",
        ] {
            assert!(!is_new_style(w), "{w}");
        }
    }

    #[test]
    fn words_of_a_text() {
        assert_eq!(
            new_style_words("Uỷ ban, hòa giải; xoá ảnh (quý 2)"),
            ["Uỷ", "xoá"]
        );
    }
}
