//! The answers of an application as the citizen reads them (GOV.UK summary
//! list): one row per question shown, its label and the answer in words (a
//! choice's label, a date as 27/03/2007, an address on one line, the files
//! sent). On "check your answers" (each row with a link to change it) and on
//! the tracking page with the secret (what was sent, read only).

use std::collections::BTreeMap;

use cuaso_domain::date::Date;
use cuaso_domain::form::{Answers, FieldKind, FormField, FormSchema};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Strings;

/// A file slot's files, by field id, as they read in a row (names, sizes).
pub type FileNames = BTreeMap<String, Vec<String>>;

/// How an answer reads.
fn display(f: &FormField, a: &Answers, files: &FileNames, lang: &str, t: &'static Strings) -> String {
    let v = a.get(&f.id).cloned().unwrap_or_default();
    match &f.kind {
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.value == v)
            .map(|o| o.label.get(lang).to_string())
            .unwrap_or(v),
        FieldKind::YesNo => match v.as_str() {
            "yes" => t.yes.into(),
            "no" => t.no.into(),
            _ => v,
        },
        FieldKind::Date { .. } => match Date::parse(&v) {
            Some(dt) => format!("{:02}/{:02}/{}", dt.day, dt.month, dt.year),
            None => v,
        },
        FieldKind::Address => {
            let g = |s: &str| a.get(&format!("{}.{s}", f.id)).cloned().unwrap_or_default();
            let province = cuaso_domain::address::PROVINCES
                .iter()
                .find(|(slug, _)| *slug == g("province"))
                .map(|(_, n)| n.to_string())
                .unwrap_or_default();
            [g("street"), g("commune"), province]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        }
        FieldKind::File { .. } => files.get(&f.id).map(|n| n.join(", ")).unwrap_or_default(),
        _ => v,
    }
}

/// The rows of the questions shown for `answers`, in form order. `change`:
/// the link that changes a page's answers (check answers), or none (read
/// only).
pub fn answer_rows(
    schema: &FormSchema,
    answers: &Answers,
    files: &FileNames,
    change: Option<&dyn Fn(&str) -> String>,
    lang: &'static str,
    t: &'static Strings,
) -> impl IntoView {
    schema
        .shown_pages(answers)
        .flat_map(|p| {
            p.fields
                .iter()
                .filter(|f| f.shown(p, answers))
                .map(|f| {
                    let value = display(f, answers, files, lang, t);
                    let label = f.label.get(lang).to_string();
                    let href = change.map(|c| c(&p.id));
                    view! {
                        <div class="summary-row">
                            <dt>{label.clone()}</dt>
                            <dd>{if value.is_empty() { t.not_answered.to_string() } else { value }}</dd>
                            {href.map(|href| view! {
                                <dd class="summary-row__action">
                                    <A href=href>{t.change}<span class="visually-hidden">{format!(" {label}")}</span></A>
                                </dd>
                            })}
                        </div>
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect_view()
}
