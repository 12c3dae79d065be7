//! Ranking for the procedure catalogue search. Both sides fold with
//! [`crate::fold::fold`], so "dang ky khai sinh" finds "Đăng ký khai sinh" and
//! ranks it above longer names that merely contain the same words.

use crate::fold::{fold, words};

/// What a catalogue entry offers to search: folded once, ahead of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Folded Vietnamese name.
    pub name: String,
    /// Folded English name, field names and other words worth matching.
    pub extra: String,
    /// The procedure code, as is (e.g. `1.001193`).
    pub code: String,
}

impl SearchDoc {
    pub fn new(name_vi: &str, extra: &[&str], code: &str) -> Self {
        SearchDoc {
            name: fold(name_vi),
            extra: fold(&extra.join(" ")),
            code: code.to_string(),
        }
    }
}

/// A folded query, ready to score documents.
#[derive(Debug, Clone)]
pub struct Matcher {
    raw: String,
    folded: String,
    /// `folded` with a leading space, for word-boundary phrase checks.
    spaced: String,
    words: Vec<String>,
}

/// How well a document matches, best first. Ties go to the shorter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Every word starts a word somewhere in the English name or other text.
    WordsAnywhere = 1,
    /// Every word starts a word of the Vietnamese name.
    WordsInName = 2,
    /// The query appears as a phrase inside the name, from a word boundary.
    PhraseInName = 3,
    /// The name begins with the query.
    NameStarts = 4,
    /// The name is the query.
    ExactName = 5,
    /// The query is the procedure code.
    Code = 6,
}

impl Matcher {
    pub fn new(query: &str) -> Self {
        let folded = fold(query);
        let words = words(&folded).map(str::to_string).collect();
        Matcher {
            raw: query.trim().to_string(),
            spaced: format!(" {folded}"),
            folded,
            words,
        }
    }

    /// An empty query matches everything with the same score.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A sortable score (higher is better), or `None` if the document does not match.
    pub fn score(&self, doc: &SearchDoc) -> Option<u32> {
        let tier = self.tier(doc)?;
        let len_penalty = doc.name.len().min(999) as u32;
        Some(tier as u32 * 1000 + (999 - len_penalty))
    }

    pub fn tier(&self, doc: &SearchDoc) -> Option<Tier> {
        if self.is_empty() {
            return Some(Tier::WordsAnywhere);
        }
        if !doc.code.is_empty() && self.raw == doc.code {
            return Some(Tier::Code);
        }
        if doc.name == self.folded {
            return Some(Tier::ExactName);
        }
        if doc.name.starts_with(&self.folded) {
            return Some(Tier::NameStarts);
        }
        let spaced_name = format!(" {}", doc.name);
        if spaced_name.contains(&self.spaced) {
            return Some(Tier::PhraseInName);
        }
        if self.all_words_prefix(&doc.name) {
            return Some(Tier::WordsInName);
        }
        let all = format!("{} {} {}", doc.name, doc.extra, fold(&doc.code));
        if self.all_words_prefix(&all) {
            return Some(Tier::WordsAnywhere);
        }
        None
    }

    fn all_words_prefix(&self, haystack: &str) -> bool {
        self.words
            .iter()
            .all(|q| words(haystack).any(|w| w.starts_with(q.as_str())))
    }
}

/// Ranks `docs` for `query`: indices of the matches, best first; ties keep
/// their original order, so an empty query keeps the catalogue order.
pub fn rank(query: &str, docs: &[SearchDoc]) -> Vec<usize> {
    rank_where(query, docs, |_| true)
}

/// [`rank`] over the documents whose index passes `keep` (e.g. one field).
pub fn rank_where(query: &str, docs: &[SearchDoc], keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let m = Matcher::new(query);
    let mut hits: Vec<(u32, usize)> = docs
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .filter_map(|(i, d)| m.score(d).map(|s| (s, i)))
        .collect();
    if !m.is_empty() {
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    hits.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Vec<SearchDoc> {
        [
            (
                "Đăng ký khai sinh có yếu tố nước ngoài",
                "Birth registration with a foreign element",
                "1.001695",
            ),
            (
                "Đăng ký thường trú",
                "Permanent residence registration",
                "1.004222",
            ),
            (
                "Đăng ký lại khai sinh",
                "Re-registration of a birth",
                "1.004884",
            ),
            ("Đăng ký khai sinh", "Birth registration", "1.001193"),
            (
                "Cấp phiếu lý lịch tư pháp",
                "Judicial record certificate",
                "2.000488",
            ),
            (
                "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
                "Birth registration with parentage",
                "1.000689",
            ),
        ]
        .iter()
        .map(|(vi, en, code)| SearchDoc::new(vi, &[en], code))
        .collect()
    }

    #[test]
    fn unaccented_query_puts_the_exact_procedure_first() {
        let docs = catalogue();
        let r = rank("dang ky khai sinh", &docs);
        assert_eq!(r[0], 3, "Đăng ký khai sinh first");
        assert_eq!(r.len(), 4, "all birth registrations match: {r:?}");
        assert!(!r.contains(&1) && !r.contains(&4));
    }

    #[test]
    fn accented_and_shouting_queries_rank_the_same() {
        let docs = catalogue();
        assert_eq!(
            rank("ĐĂNG KÝ KHAI SINH", &docs),
            rank("dang ky khai sinh", &docs)
        );
        assert_eq!(
            rank("  Đăng   ký khai sinh ", &docs),
            rank("dang ky khai sinh", &docs)
        );
    }

    #[test]
    fn partial_last_word_matches_while_typing() {
        let docs = catalogue();
        let r = rank("dang ky thuong t", &docs);
        assert_eq!(r, vec![1]);
    }

    #[test]
    fn english_names_and_codes_match() {
        let docs = catalogue();
        assert_eq!(rank("judicial record", &docs), vec![4]);
        assert_eq!(rank("1.004222", &docs)[0], 1);
    }

    #[test]
    fn words_out_of_order_still_match_below_phrases() {
        let docs = catalogue();
        let r = rank("khai sinh dang ky", &docs);
        assert_eq!(r.len(), 4);
        let m = Matcher::new("khai sinh dang ky");
        assert_eq!(m.tier(&docs[3]), Some(Tier::WordsInName));
    }

    #[test]
    fn nothing_matches_nonsense() {
        assert!(rank("xyzzy", &catalogue()).is_empty());
    }

    #[test]
    fn rank_where_keeps_only_the_chosen_documents() {
        let docs = catalogue();
        assert_eq!(rank_where("dang ky", &docs, |i| i >= 3), vec![3, 5]);
    }

    #[test]
    fn empty_query_keeps_catalogue_order() {
        assert_eq!(rank("", &catalogue()), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(rank("  - ", &catalogue()), vec![0, 1, 2, 3, 4, 5]);
    }
}
