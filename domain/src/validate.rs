//! Every answer check, written once: the browser runs it as the citizen
//! types, the server runs it again on submission.
//!
//! Checks work on the answer with surrounding whitespace trimmed; an empty
//! answer is "not answered". A [`Problem`] has a stable `code` and `args`
//! for the API ([`FieldProblem`]) and words itself in Vietnamese or English.
//!
//! Text policy. Text answers may hold any printable Unicode: every
//! Vietnamese letter (precomposed or with combining marks), other scripts,
//! emoji, and markup such as `<script>`, which is only text here (it is
//! escaped where shown). Rejected everywhere: C0 control characters, DEL,
//! C1 controls and the bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069), which can make a record read differently from what it
//! holds. Long text may also hold line breaks (`\n`, `\r`) and tabs. Numbers,
//! dates, phones and emails have shape checks that already refuse anything
//! else (emoji, markup…).
//!
//! Length is counted in characters as a reader sees them: combining marks
//! (U+0300–U+036F) do not count, so "Việt" is 4 long typed precomposed or
//! decomposed. To keep mark-stuffing from bypassing the limit, an answer
//! may hold at most three times the limit in characters all told.
//!
//! [`FieldProblem`]: crate::error::FieldProblem

// Problem: why an answer is refused, its code and its words.
mod problem;
// Checks of one value: text, CCCD, phone, email, date, upload ids.
mod value;
// A form's fields: which are shown, checking them, cleaning the answers.
mod fields;

pub use fields::{
    answer_keys, clean_answers, validate_answers, validate_field, validate_page, COMMUNE_MAX,
};
pub use problem::Problem;
pub use value::{
    check_cccd, check_date, check_email, check_text, file_ids, is_upload_id, normalize_digits,
    normalize_phone, visible_len,
};

#[cfg(test)]
mod tests;
