//! Fields and forms: the answer keys of a field, which fields a form shows
//! given the answers so far, checking a field, a page or the whole form,
//! and the cleaned answers kept.

use crate::address::PROVINCES;
use crate::date::Date;
use crate::form::{Answers, FieldKind, FormField, FormPage, FormSchema};

use super::problem::Problem;
use super::value::{
    check_cccd, check_date, check_email, check_text, file_ids, normalize_digits, normalize_phone,
    visible_len,
};

/// The longest commune (xã, phường, đặc khu) name accepted.
pub const COMMUNE_MAX: u32 = 100;

/// The answer keys a field uses (see [`crate::form`]).
pub fn answer_keys(field: &FormField) -> Vec<String> {
    match field.kind {
        FieldKind::Address => ["province", "commune", "street"]
            .iter()
            .map(|p| format!("{}.{p}", field.id))
            .collect(),
        _ => vec![field.id.clone()],
    }
}

fn answer<'a>(answers: &'a Answers, key: &str) -> &'a str {
    answers.get(key).map_or("", |v| v.trim())
}

/// What an empty required field says: choose, upload, or enter what its
/// label names.
fn required_problem(field: &FormField) -> Problem {
    match field.kind {
        FieldKind::Choice { .. } | FieldKind::YesNo => Problem::RequiredChoice,
        FieldKind::File { .. } => Problem::RequiredFile,
        _ => Problem::Missing {
            what: field.label.clone(),
        },
    }
}

fn required_part(v: &str, max: u32, what: Problem) -> Result<(), Problem> {
    if v.is_empty() {
        Err(what)
    } else {
        check_text(v, max, false)
    }
}

/// Checks one field's answer(s). `birth` is the answer to the date field a
/// CCCD field is checked against, if any.
fn check_field(
    field: &FormField,
    answers: &Answers,
    today: Date,
    birth: Option<Date>,
) -> Vec<(String, Problem)> {
    let max = field.max_len();
    if let FieldKind::Address = field.kind {
        let keys = answer_keys(field);
        let vals: Vec<&str> = keys.iter().map(|k| answer(answers, k)).collect();
        if field.optional && vals.iter().all(|v| v.is_empty()) {
            return Vec::new();
        }
        let results = [
            if vals[0].is_empty() {
                Err(Problem::RequiredChoice)
            } else if PROVINCES.iter().any(|(id, _)| *id == vals[0]) {
                Ok(())
            } else {
                Err(Problem::ProvinceUnknown)
            },
            required_part(vals[1], COMMUNE_MAX, Problem::missing("xã, phường, đặc khu", "the commune or ward")),
            required_part(
                vals[2],
                max,
                Problem::missing("số nhà, đường, thôn, tổ dân phố", "the house number, street or village"),
            ),
        ];
        return keys
            .into_iter()
            .zip(results)
            .filter_map(|(k, r)| r.err().map(|p| (k, p)))
            .collect();
    }
    let v = answer(answers, &field.id);
    if v.is_empty() {
        return if field.optional {
            Vec::new()
        } else {
            vec![(field.id.clone(), required_problem(field))]
        };
    }
    let result = match &field.kind {
        FieldKind::Text { .. } => check_text(v, max, false),
        FieldKind::LongText => check_text(v, max, true),
        FieldKind::Date { rule } => check_date(v, *rule, today).map(|_| ()),
        FieldKind::Choice { options } => {
            if options.iter().any(|o| o.value == v) {
                Ok(())
            } else {
                Err(Problem::NotAnOption)
            }
        }
        FieldKind::YesNo => {
            if v == "yes" || v == "no" {
                Ok(())
            } else {
                Err(Problem::NotYesNo)
            }
        }
        FieldKind::Cccd { .. } => check_cccd(v, birth),
        FieldKind::Phone => normalize_phone(v).map(|_| ()),
        FieldKind::Email => {
            if visible_len(v) > max as usize {
                Err(Problem::TooLong { max })
            } else {
                check_email(v)
            }
        }
        FieldKind::File { max_files, .. } => file_ids(v, *max_files).map(|_| ()),
        FieldKind::Address => Ok(()),
    };
    match result {
        Ok(()) => Vec::new(),
        Err(p) => vec![(field.id.clone(), p)],
    }
}


/// Checks one field against the answers, whether or not it is shown. A
/// CCCD field is checked against its birth-date field's answer when that
/// is a valid date. Returns (answer key, problem) pairs; an address can
/// give one per part.
pub fn validate_field(field: &FormField, answers: &Answers, today: Date) -> Vec<(String, Problem)> {
    let birth = match &field.kind {
        FieldKind::Cccd {
            birth_date: Some(b),
        } => Date::parse(answer(answers, b)),
        _ => None,
    };
    check_field(field, answers, today, birth)
}

/// The shown fields in form order, and the answers to them (raw). A
/// condition is read from the answers kept so far, so a field that depends
/// on a hidden field's stale answer is hidden too.
fn shown_fields<'a>(
    schema: &'a FormSchema,
    answers: &Answers,
) -> (Vec<(&'a FormPage, &'a FormField)>, Answers) {
    let mut kept = Answers::new();
    let mut shown = Vec::new();
    for page in &schema.pages {
        if !schema.page_shown(page, &kept) {
            continue;
        }
        for field in &page.fields {
            if !field.shown(page, &kept) {
                continue;
            }
            for key in answer_keys(field) {
                if let Some(v) = answers.get(&key) {
                    kept.insert(key, v.clone());
                }
            }
            shown.push((page, field));
        }
    }
    (shown, kept)
}

fn validate_shown(
    schema: &FormSchema,
    answers: &Answers,
    today: Date,
    only_page: Option<&str>,
) -> Vec<(String, Problem)> {
    let (shown, kept) = shown_fields(schema, answers);
    let mut out = Vec::new();
    for (page, field) in shown {
        if only_page.is_some_and(|p| p != page.id) {
            continue;
        }
        let birth = match &field.kind {
            FieldKind::Cccd {
                birth_date: Some(b),
            } => Date::parse(answer(&kept, b)),
            _ => None,
        };
        out.extend(check_field(field, answers, today, birth));
    }
    out
}

/// Checks the shown fields of one page; nothing if the page is hidden.
pub fn validate_page(
    schema: &FormSchema,
    page: &FormPage,
    answers: &Answers,
    today: Date,
) -> Vec<(String, Problem)> {
    validate_shown(schema, answers, today, Some(&page.id))
}

/// Checks every shown field of every shown page, in form order. Answers
/// to hidden or unknown fields are ignored.
pub fn validate_answers(
    schema: &FormSchema,
    answers: &Answers,
    today: Date,
) -> Vec<(String, Problem)> {
    validate_shown(schema, answers, today, None)
}

/// The answers to keep: only keys of shown fields, trimmed, empty ones
/// dropped; CCCD numbers as 12 digits, phones as `0xxxxxxxxx`, line breaks
/// in long text as `\n`, file ids without repeats. Values that do not
/// validate are kept trimmed as they are (validate first).
pub fn clean_answers(schema: &FormSchema, answers: &Answers) -> Answers {
    let (shown, kept) = shown_fields(schema, answers);
    let mut out = Answers::new();
    for (_, field) in shown {
        for key in answer_keys(field) {
            let v = answer(&kept, &key);
            if v.is_empty() {
                continue;
            }
            let clean = match &field.kind {
                FieldKind::Cccd { .. } => normalize_digits(v)
                    .filter(|n| n.len() == 12)
                    .unwrap_or_else(|| v.to_string()),
                FieldKind::Phone => normalize_phone(v).unwrap_or_else(|_| v.to_string()),
                FieldKind::LongText => v.replace("\r\n", "\n").replace('\r', "\n"),
                FieldKind::File { .. } => {
                    let mut ids: Vec<&str> = Vec::new();
                    for id in v.split(',') {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    ids.join(",")
                }
                _ => v.to_string(),
            };
            out.insert(key, clean);
        }
    }
    out
}
