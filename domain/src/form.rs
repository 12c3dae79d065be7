//! Online application forms: the schema a procedure serves, the answers a
//! citizen gives, and what a submission sends and gets back.
//!
//! Answers are a flat map from a key to the text typed or chosen. Most fields
//! use their own `id` as the key. Two kinds use more than one key:
//! - `address`: `{id}.province`, `{id}.commune`, `{id}.street`;
//! - `file`: `{id}` holds the upload ids, separated by `,`.
//!
//! Dates are `YYYY-MM-DD`, yes/no answers are `yes` or `no`, a choice is the
//! option's `value`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;

/// What the citizen has answered so far, by key (see the module docs).
pub type Answers = BTreeMap<String, String>;

/// The questions of one procedure's online application, page by page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormSchema {
    /// Question pages, in order. Page ids are unique, `[a-z0-9-]`, and are
    /// used in the page's URL; `check` is reserved.
    pub pages: Vec<FormPage>,
}

/// One question page: a single question, or one tight group (an address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormPage {
    pub id: String,
    /// The page heading: the question itself when the page has one field.
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    pub fields: Vec<FormField>,
    /// The page is skipped (and its answers ignored) unless this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormField {
    /// Unique in the form, `[a-z0-9_]`.
    pub id: String,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    pub kind: FieldKind,
    /// Fields are required unless marked optional.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Overrides the kind's default maximum length (see [`FieldKind::max_len`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<u32>,
    /// The field is hidden (and its answer ignored) unless this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Start from an answer already given (see [`Prefill`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<Prefill>,
}

/// Carry an answer forward so nobody types it twice: after "Bạn là ai của
/// trẻ? → Mẹ", the mother's name and number are the applicant's. When
/// `when` holds and the field is still empty, it starts with the answer of
/// `from` (an earlier field of the same kind: text, CCCD, phone or email);
/// the citizen can change it, and an answer given is never replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Prefill {
    pub from: String,
    pub when: Condition,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Show something only if the answer under `field` equals `equals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Condition {
    pub field: String,
    pub equals: String,
}

/// The type of a question, and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text. `autocomplete` is the HTML token (`name`, …).
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        autocomplete: Option<String>,
    },
    LongText,
    Date {
        rule: DateRule,
    },
    Choice {
        options: Vec<ChoiceOption>,
    },
    YesNo,
    /// A 12-digit citizen identity number. When `birth_date` names a date
    /// field, the number's century and year digits must agree with it.
    Cccd {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        birth_date: Option<String>,
    },
    Phone,
    Email,
    /// Province, commune (xã/phường) and street address.
    Address,
    /// A document slot (thành phần hồ sơ): files uploaded first, then
    /// referenced by id.
    File {
        accept: Vec<FileType>,
        max_bytes: u64,
        #[serde(default = "one")]
        max_files: u32,
    },
}

fn one() -> u32 {
    1
}

impl FieldKind {
    /// The longest answer accepted, in characters, unless the field overrides it.
    pub fn max_len(&self) -> u32 {
        match self {
            FieldKind::Text { .. } => 200,
            FieldKind::LongText => 2000,
            FieldKind::Date { .. } => 10,
            FieldKind::Choice { .. } => 64,
            FieldKind::YesNo => 3,
            FieldKind::Cccd { .. } => 12,
            FieldKind::Phone => 16,
            FieldKind::Email => 254,
            // The street part; province and commune have their own limits.
            FieldKind::Address => 200,
            // Upload ids (32 hex) joined by commas.
            FieldKind::File { max_files, .. } => 33 * *max_files,
        }
    }
}

/// Which dates make sense for a date question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    /// A birth date: not in the future, at most 130 years ago.
    Birth,
    /// Today or earlier, not before 1900.
    Past,
    /// Today or later, at most 10 years ahead.
    Future,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChoiceOption {
    pub value: String,
    pub label: Text,
}

/// File types an upload may have; the server checks the bytes, not the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPG",
            FileType::Png => "PNG",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<FileType> {
        match mime {
            "application/pdf" => Some(FileType::Pdf),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(FileType::Jpeg),
            "image/png" => Some(FileType::Png),
            _ => None,
        }
    }

    /// The type the bytes really are, from their magic number.
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else {
            None
        }
    }
}

/// A file size as people read it, rounded up to a tenth so a file just
/// over a limit never reads as equal to it: 5 242 880 → "5 MB",
/// 1 572 864 → "1,5 MB" ("1.5 MB" in English), 300 KiB → "300 KB".
pub fn size_label(bytes: u64, lang: &str) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < 1000 * KB {
        return format!("{} KB", bytes.div_ceil(KB).max(1));
    }
    let tenths = (bytes * 10).div_ceil(MB);
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        let sep = if lang == "en" { "." } else { "," };
        format!("{}{sep}{} MB", tenths / 10, tenths % 10)
    }
}

/// The largest upload the server takes at all; a slot may allow less.
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

/// `POST /api/v1/uploads` answers with this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Upload {
    /// 32 lowercase hex characters; reference it from a file answer.
    pub id: String,
    pub name: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub file_type: FileType,
}

/// `POST /api/v1/dossiers` body, sent with an `Idempotency-Key` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewDossier {
    /// Procedure code.
    pub procedure: String,
    pub answers: Answers,
}

/// Where to pay a fee by bank transfer (VietQR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentAccount {
    /// The bank's 6-digit NAPAS BIN, e.g. `970415`.
    pub bank_bin: String,
    pub bank_name: String,
    pub account: String,
    pub account_name: String,
}

/// What the server answers to a submission (201 the first time, 200 with the
/// same body for a retry with the same key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierReceipt {
    /// `{agency}-{YYMMDD}-{NNNN}`.
    pub code: String,
    /// Shown once; needed to see personal data later.
    pub secret: String,
    pub procedure: String,
    pub procedure_name: Text,
    /// Dossier status code; 1 (Mới đăng ký) on submission.
    pub status: u8,
    /// RFC 3339, with offset.
    pub received_at: String,
    /// `YYYY-MM-DD`: received date plus the statutory working days.
    pub promised_date: String,
    /// Fee due in VND; 0 when free.
    pub fee: u64,
    pub agency: Text,
    /// How to reach the agency: phone, address.
    pub contact: Text,
    /// Present when a fee is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentAccount>,
}

/// Is `id` a well-formed page, field or option id (`[a-z0-9_-]`, 1–40 chars)?
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl FormSchema {
    /// Every field, with the page it is on.
    pub fn fields(&self) -> impl Iterator<Item = (&FormPage, &FormField)> {
        self.pages
            .iter()
            .flat_map(|p| p.fields.iter().map(move |f| (p, f)))
    }

    pub fn field(&self, id: &str) -> Option<&FormField> {
        self.fields().map(|(_, f)| f).find(|f| f.id == id)
    }

    /// Is this page shown, given the answers so far?
    pub fn page_shown(&self, page: &FormPage, answers: &Answers) -> bool {
        page.show_if.as_ref().is_none_or(|c| c.holds(answers))
    }

    /// Pages shown for these answers, in order.
    pub fn shown_pages<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a FormPage> {
        self.pages.iter().filter(|p| self.page_shown(p, answers))
    }

    /// The answers `page` starts with, carried forward by its fields'
    /// [`Prefill`] rules: `(field id, answer)` for each field of the page
    /// still empty whose rule holds and whose source is answered.
    pub fn carried(&self, page: &FormPage, answers: &Answers) -> Vec<(String, String)> {
        page.fields
            .iter()
            .filter(|f| answers.get(&f.id).is_none_or(|v| v.trim().is_empty()))
            .filter_map(|f| {
                let rule = f.prefill.as_ref().filter(|r| r.when.holds(answers))?;
                let v = answers.get(&rule.from).filter(|v| !v.trim().is_empty())?;
                Some((f.id.clone(), v.clone()))
            })
            .collect()
    }

    /// Checks the schema itself: unique well-formed ids, conditions that
    /// name an earlier field, choices with options, sane file slots,
    /// prefills from an earlier field of the same kind.
    /// Returns a description of the first problem.
    pub fn check(&self) -> Result<(), String> {
        let mut seen: Vec<&str> = Vec::new();
        let mut pages: Vec<&str> = Vec::new();
        if self.pages.is_empty() {
            return Err("no pages".into());
        }
        for page in &self.pages {
            if !is_id(&page.id) || page.id == "check" || pages.contains(&page.id.as_str()) {
                return Err(format!("bad or repeated page id {:?}", page.id));
            }
            pages.push(&page.id);
            if page.fields.is_empty() {
                return Err(format!("page {} has no fields", page.id));
            }
            if let Some(c) = &page.show_if {
                if !seen.contains(&c.field.as_str()) {
                    return Err(format!(
                        "page {} depends on unknown or later field {}",
                        page.id, c.field
                    ));
                }
            }
            for field in &page.fields {
                if !is_id(&field.id) || field.id.contains('-') || seen.contains(&field.id.as_str())
                {
                    return Err(format!("bad or repeated field id {:?}", field.id));
                }
                if let Some(c) = &field.show_if {
                    if !seen.contains(&c.field.as_str()) {
                        return Err(format!(
                            "field {} depends on unknown or later field {}",
                            field.id, c.field
                        ));
                    }
                }
                if let Some(r) = &field.prefill {
                    let carried = |k: &FieldKind| {
                        matches!(
                            k,
                            FieldKind::Text { .. } | FieldKind::Cccd { .. } | FieldKind::Phone | FieldKind::Email
                        )
                    };
                    let from = self.field(&r.from).filter(|f| seen.contains(&f.id.as_str()));
                    if !from.is_some_and(|f| {
                        carried(&f.kind)
                            && std::mem::discriminant(&f.kind) == std::mem::discriminant(&field.kind)
                    }) || !seen.contains(&r.when.field.as_str())
                    {
                        return Err(format!("field {} has a bad prefill", field.id));
                    }
                }
                match &field.kind {
                    FieldKind::Choice { options } if options.len() < 2 => {
                        return Err(format!("choice {} needs two options", field.id));
                    }
                    FieldKind::File {
                        accept,
                        max_bytes,
                        max_files,
                    } => {
                        if accept.is_empty()
                            || *max_bytes == 0
                            || *max_bytes > MAX_UPLOAD_BYTES
                            || *max_files == 0
                            || *max_files > 10
                        {
                            return Err(format!("file slot {} has bad limits", field.id));
                        }
                    }
                    FieldKind::Cccd {
                        birth_date: Some(d),
                    } => {
                        if !self
                            .pages
                            .iter()
                            .flat_map(|p| &p.fields)
                            .any(|f| &f.id == d && matches!(f.kind, FieldKind::Date { .. }))
                        {
                            return Err(format!(
                                "cccd {} refers to unknown date field {d}",
                                field.id
                            ));
                        }
                    }
                    _ => {}
                }
                seen.push(&field.id);
            }
        }
        Ok(())
    }
}

impl Condition {
    pub fn holds(&self, answers: &Answers) -> bool {
        answers.get(&self.field).map(String::as_str) == Some(self.equals.as_str())
    }
}

impl FormField {
    /// The longest answer accepted, in characters.
    pub fn max_len(&self) -> u32 {
        self.max_len.unwrap_or_else(|| self.kind.max_len())
    }

    /// Is this field shown (on a shown page), given the answers?
    pub fn shown(&self, page: &FormPage, answers: &Answers) -> bool {
        page.show_if.as_ref().is_none_or(|c| c.holds(answers))
            && self.show_if.as_ref().is_none_or(|c| c.holds(answers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_labels_round_up_to_a_tenth() {
        assert_eq!(size_label(5 * 1024 * 1024, "vi"), "5 MB");
        assert_eq!(size_label(5 * 1024 * 1024 + 1, "vi"), "5,1 MB");
        assert_eq!(size_label(1_572_864, "vi"), "1,5 MB");
        assert_eq!(size_label(1_572_864, "en"), "1.5 MB");
        assert_eq!(size_label(1000, "en"), "1 KB");
        assert_eq!(size_label(0, "en"), "1 KB");
        assert_eq!(size_label(300 * 1024, "en"), "300 KB");
    }

    #[test]
    fn sniff_reads_magic_numbers() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(FileType::Png)
        );
        assert_eq!(FileType::sniff(b"<script>"), None);
        assert_eq!(FileType::sniff(b""), None);
    }

    fn text(id: &str) -> FormField {
        serde_json::from_value(serde_json::json!({
            "id": id, "label": {"vi": id, "en": id}, "kind": {"type": "text"}
        }))
        .unwrap()
    }

    #[test]
    fn prefills_carry_an_answer_forward_when_their_rule_holds() {
        let who: FormField = serde_json::from_value(serde_json::json!({
            "id": "quan_he", "label": {"vi": "Bạn là ai?", "en": "Who?"},
            "kind": {"type": "choice", "options": [
                {"value": "me", "label": {"vi": "Mẹ", "en": "Mother"}},
                {"value": "cha", "label": {"vi": "Cha", "en": "Father"}}]}
        }))
        .unwrap();
        let mut mother = text("me_ho_ten");
        mother.prefill = Some(Prefill {
            from: "ho_ten".into(),
            when: Condition { field: "quan_he".into(), equals: "me".into() },
        });
        let page = |id: &str, fields: Vec<FormField>| FormPage {
            id: id.into(),
            title: Text { vi: id.into(), en: id.into() },
            help: None,
            fields,
            show_if: None,
        };
        let schema = FormSchema {
            pages: vec![
                page("a", vec![who, text("ho_ten")]),
                page("b", vec![mother.clone()]),
            ],
        };
        assert_eq!(schema.check(), Ok(()));
        let mut a: Answers = [("quan_he", "me"), ("ho_ten", "Trần Thị Mận")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let b = &schema.pages[1];
        assert_eq!(
            schema.carried(b, &a),
            [("me_ho_ten".to_string(), "Trần Thị Mận".to_string())]
        );
        // An answer given is never replaced.
        a.insert("me_ho_ten".into(), "Lê Thị Hoa".into());
        assert!(schema.carried(b, &a).is_empty());
        // The rule does not hold: nothing is carried.
        a.remove("me_ho_ten");
        a.insert("quan_he".into(), "cha".into());
        assert!(schema.carried(b, &a).is_empty());
        // A prefill must come from an earlier field of the same kind.
        let mut bad = schema.clone();
        bad.pages[1].fields[0].prefill.as_mut().unwrap().from = "quan_he".into();
        assert!(bad.check().is_err());
        let mut later = schema.clone();
        later.pages[0].fields[1].prefill = Some(Prefill {
            from: "me_ho_ten".into(),
            when: Condition { field: "quan_he".into(), equals: "me".into() },
        });
        assert!(later.check().is_err());
    }

    #[test]
    fn field_kind_round_trips_with_a_type_tag() {
        let k: FieldKind =
            serde_json::from_str(r#"{"type":"file","accept":["pdf","jpeg"],"max_bytes":5242880}"#)
                .unwrap();
        assert_eq!(
            k,
            FieldKind::File {
                accept: vec![FileType::Pdf, FileType::Jpeg],
                max_bytes: 5_242_880,
                max_files: 1
            }
        );
        let t: FieldKind = serde_json::from_str(r#"{"type":"yes_no"}"#).unwrap();
        assert_eq!(t, FieldKind::YesNo);
    }
}
