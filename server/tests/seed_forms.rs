//! The online application forms in `seed/forms.json`: one entry per
//! procedure code, with the receiving agency's dossier-code prefix, how to
//! reach that agency, and the form itself.
//!
//! The agency codes are placeholders in one consistent scheme, not Quảng
//! Trị's real codes (which look like `H15.50`); a province replaces them:
//! - `QT.XA`: a commune or ward People's Committee (civil status, household
//!   business registration);
//! - `QT.CA`: commune or ward police (residence registration);
//! - `QT.CAT`: the provincial police (criminal record certificates, passports).
//!
//! The contact texts name the unit and say where its phone number is printed;
//! they give no phone numbers, which the seed does not know.

use std::collections::{BTreeMap, BTreeSet};

use cuaso_domain::api::Text;
use cuaso_domain::form::{is_id, FieldKind, FileType, FormSchema};
use serde::Deserialize;

const FORMS: &str = include_str!("../seed/forms.json");
const PROCEDURES: &str = include_str!("../seed/procedures.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    agency_code: String,
    contact: Text,
    form: FormSchema,
}

fn forms() -> BTreeMap<String, Entry> {
    serde_json::from_str(FORMS).expect("forms.json parses into Entry values")
}

/// Procedure code → its `online` value ("full", "partial" or "none").
fn online_modes() -> BTreeMap<String, String> {
    let list: Vec<serde_json::Value> =
        serde_json::from_str(PROCEDURES).expect("procedures.json parses");
    list.iter()
        .map(|p| {
            (
                p["code"].as_str().expect("procedure code").to_string(),
                p["online"]
                    .as_str()
                    .expect("procedure online mode")
                    .to_string(),
            )
        })
        .collect()
}

/// Every bilingual text in an entry, with where it is, for error messages.
fn texts(code: &str, e: &Entry) -> Vec<(String, Text)> {
    let mut out = vec![(format!("{code} contact"), e.contact.clone())];
    for page in &e.form.pages {
        let at = format!("{code} page {}", page.id);
        out.push((format!("{at} title"), page.title.clone()));
        if let Some(h) = &page.help {
            out.push((format!("{at} help"), h.clone()));
        }
        for f in &page.fields {
            let at = format!("{at} field {}", f.id);
            out.push((format!("{at} label"), f.label.clone()));
            if let Some(h) = &f.help {
                out.push((format!("{at} help"), h.clone()));
            }
            if let FieldKind::Choice { options } = &f.kind {
                for o in options {
                    out.push((format!("{at} option {}", o.value), o.label.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn forms_cover_the_required_procedures() {
    let forms = forms();
    assert!(forms.len() >= 8, "only {} forms", forms.len());
    for code in ["1.001193", "1.004222", "3.000333", "1.001612"] {
        assert!(forms.contains_key(code), "no form for {code}");
    }
}

#[test]
fn every_form_belongs_to_an_online_procedure() {
    let modes = online_modes();
    for code in forms().keys() {
        match modes.get(code).map(String::as_str) {
            Some("full") | Some("partial") => {}
            Some(other) => panic!("{code} is online {other:?} but has a form"),
            None => panic!("{code} is not in procedures.json"),
        }
    }
}

#[test]
fn agency_codes_fit_the_dossier_code_pattern() {
    for (code, e) in forms() {
        let a = &e.agency_code;
        assert!(
            (2..=12).contains(&a.len())
                && a.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.'),
            "{code}: agency code {a:?} is not [A-Z0-9.]{{2,12}}"
        );
    }
}

#[test]
fn every_form_passes_the_schema_check() {
    for (code, e) in forms() {
        if let Err(why) = e.form.check() {
            panic!("{code}: {why}");
        }
        let pages = e.form.pages.len();
        assert!((5..=12).contains(&pages), "{code} has {pages} pages");
        // A shown page always asks something: at least one field on it
        // depends on nothing beyond the page's own condition.
        for page in &e.form.pages {
            assert!(
                page.fields
                    .iter()
                    .any(|f| f.show_if.is_none() || f.show_if == page.show_if),
                "{code}: page {} can be shown with no field on it",
                page.id
            );
        }
    }
}

#[test]
fn every_form_reaches_the_applicant_and_takes_documents() {
    for (code, e) in forms() {
        let kinds: Vec<&FieldKind> = e.form.fields().map(|(_, f)| &f.kind).collect();
        assert!(
            kinds.iter().any(|k| matches!(k, FieldKind::File { .. })),
            "{code} has no file slot"
        );
        assert!(
            kinds.iter().any(|k| matches!(k, FieldKind::Phone)),
            "{code} asks for no phone number"
        );
        assert!(
            kinds.iter().any(|k| matches!(k, FieldKind::Cccd { .. })),
            "{code} asks for no identity number"
        );
        assert!(
            e.form.fields().any(|(_, f)| matches!(
                &f.kind,
                FieldKind::Text { autocomplete: Some(a) } if a == "name"
            )),
            "{code} asks for no applicant name"
        );
        // A phone number the office can call must never be hidden or optional.
        for (page, f) in e.form.fields() {
            if matches!(f.kind, FieldKind::Phone) {
                assert!(
                    !f.optional && f.show_if.is_none() && page.show_if.is_none(),
                    "{code}: phone field {} is optional or conditional",
                    f.id
                );
            }
        }
    }
}

#[test]
fn choices_and_conditions_use_values_that_exist() {
    for (code, e) in forms() {
        // What each field may answer, when that is a closed set.
        let mut values: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (_, f) in e.form.fields() {
            match &f.kind {
                FieldKind::Choice { options } => {
                    let mut seen = BTreeSet::new();
                    for o in options {
                        assert!(
                            is_id(&o.value) && !o.value.contains('-'),
                            "{code}: option value {:?} of {} is not [a-z0-9_]",
                            o.value,
                            f.id
                        );
                        assert!(
                            seen.insert(o.value.as_str()),
                            "{code}: repeated option {}",
                            o.value
                        );
                    }
                    values.insert(&f.id, seen);
                }
                FieldKind::YesNo => {
                    values.insert(&f.id, ["yes", "no"].into());
                }
                _ => {}
            }
        }
        let conditions =
            e.form
                .pages
                .iter()
                .filter_map(|p| p.show_if.as_ref().map(|c| (format!("page {}", p.id), c)))
                .chain(e.form.fields().filter_map(|(_, f)| {
                    f.show_if.as_ref().map(|c| (format!("field {}", f.id), c))
                }));
        for (what, c) in conditions {
            let allowed = values.get(c.field.as_str()).unwrap_or_else(|| {
                panic!(
                    "{code}: {what} depends on {}, which is not a choice or yes/no",
                    c.field
                )
            });
            assert!(
                allowed.contains(c.equals.as_str()),
                "{code}: {what} waits for {}={:?}, which is never answered",
                c.field,
                c.equals
            );
        }
    }
}

#[test]
fn file_slots_have_sensible_limits() {
    for (code, e) in forms() {
        for (_, f) in e.form.fields() {
            if let FieldKind::File {
                accept,
                max_bytes,
                max_files,
            } = &f.kind
            {
                assert!(
                    (1024 * 1024..=10 * 1024 * 1024).contains(max_bytes),
                    "{code}: {} allows {max_bytes} bytes",
                    f.id
                );
                assert!(*max_files <= 5, "{code}: {} allows {max_files} files", f.id);
                assert!(
                    accept.contains(&FileType::Jpeg),
                    "{code}: {} takes no phone photos",
                    f.id
                );
            }
        }
    }
}

#[test]
fn all_text_is_bilingual_and_precomposed() {
    for (code, e) in forms() {
        for (at, t) in texts(&code, &e) {
            assert!(!t.vi.trim().is_empty(), "{at}: empty Vietnamese");
            assert!(!t.en.trim().is_empty(), "{at}: empty English");
            assert!(!t.vi.contains('*') && !t.en.contains('*'), "{at}: asterisk");
        }
    }
    // Vietnamese must be precomposed (NFC): no combining diacritics anywhere.
    if let Some((i, c)) = FORMS
        .char_indices()
        .find(|(_, c)| ('\u{0300}'..='\u{036F}').contains(c))
    {
        panic!(
            "combining mark U+{:04X} at byte {i} of forms.json",
            c as u32
        );
    }
}

/// The end-to-end submission test fills in the birth registration form; pin
/// what it relies on.
#[test]
fn birth_registration_is_short_and_takes_the_birth_notice() {
    let forms = forms();
    let form = &forms["1.001193"].form;
    assert!(form.pages.len() <= 9, "{} pages", form.pages.len());
    let slot = form
        .field("giay_chung_sinh")
        .expect("a slot for the medical birth notice");
    match &slot.kind {
        FieldKind::File { accept, .. } => {
            assert!(accept.contains(&FileType::Png) && accept.contains(&FileType::Pdf));
        }
        other => panic!("giay_chung_sinh is {other:?}"),
    }
    match &form
        .field("so_dinh_danh")
        .expect("applicant identity number")
        .kind
    {
        FieldKind::Cccd {
            birth_date: Some(d),
        } => assert_eq!(d, "ngay_sinh"),
        other => panic!("so_dinh_danh is {other:?}"),
    }
    assert!(matches!(
        form.field("tre_ngay_sinh").map(|f| &f.kind),
        Some(FieldKind::Date {
            rule: cuaso_domain::form::DateRule::Birth
        })
    ));
    assert_eq!(form.pages[0].fields[0].id, "quan_he");
}
