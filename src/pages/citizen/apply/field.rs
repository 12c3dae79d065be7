//! One question on a question page: its label, hint, error and input(s),
//! by the kind of answer it takes.

use cuaso_domain::api::Text;
use cuaso_domain::form::{FieldKind, FormField};
use leptos::prelude::*;

use super::Ctx;
use crate::components::file_upload::{slot_limits, FileSlot, FileSlotProps, FileStore};
use crate::forms::chars_left;
use crate::i18n::{fill, tr, use_i18n, Strings};

/// One question: its label, hint, error and input(s). `heading`: the label
/// is the page's heading; `said`: the page's heading already says it (the
/// label is kept for screen readers only, not shown twice).
pub(super) fn field_view(
    ctx: Ctx,
    f: FormField,
    heading: bool,
    said: bool,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let id = f.id.clone();
    let label = StoredValue::new(f.label.clone());
    let optional = f.optional;
    let label_text = move || {
        let t = i18n.t();
        let l = label.with_value(|l| l.get(i18n.locale().code()).to_string());
        if optional {
            format!("{l} {}", t.optional)
        } else {
            l
        }
    };
    let help = f.help.clone();
    let hint_id = format!("f-{id}-hint");
    let err_id = format!("f-{id}-error");
    let error = error_for(id.clone());
    let hint = {
        let hint_id = hint_id.clone();
        let kind = f.kind.clone();
        move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            let mut parts: Vec<String> = help.iter().map(|h| h.get(lang).to_string()).collect();
            if let FieldKind::File {
                accept,
                max_bytes,
                max_files,
            } = &kind
            {
                parts.push(slot_limits(t, lang, accept, *max_bytes));
                if *max_files > 1 {
                    parts.push(fill(t.file_max_files, &[("n", &max_files.to_string())]));
                }
            }
            let text = parts
                .iter()
                .map(|p| p.trim_end_matches('.'))
                .collect::<Vec<_>>()
                .join(". ");
            (!parts.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{text}</p> })
        }
    };
    let has_hint = f.help.is_some() || matches!(f.kind, FieldKind::File { .. });
    let describedby = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            let mut v = Vec::new();
            if has_hint {
                v.push(h.clone());
            }
            if error.get().is_some() {
                v.push(e.clone());
            }
            v.join(" ")
        }
    };
    let error_view = {
        let err_id = err_id.clone();
        move || {
            error.get().map(|m| view! {
                <p class="field-error" id=err_id.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            })
        }
    };
    let invalid = move || error.get().is_some().to_string();
    let group_class = move || {
        if error.get().is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    let max = f.max_len();
    let input_id = format!("f-{id}");

    // A plain one-line input.
    let line = |key: String,
                input_id: String,
                ty: &'static str,
                mode: Option<&'static str>,
                auto: Option<String>,
                width: &'static str| {
        let initial = ctx.get(&key);
        view! {
            <input class=format!("input {width}") id=input_id name=key.clone() type=ty inputmode=mode
                autocomplete=auto.unwrap_or_else(|| "off".into())
                spellcheck=if matches!(ty, "email" | "tel") || mode.is_some() { "false" } else { "true" }
                aria-describedby=describedby.clone() aria-invalid=invalid
                prop:value=initial
                on:input=move |ev| ctx.set(&key, event_target_value(&ev))/>
        }
    };

    let label_el = {
        let input_id = input_id.clone();
        move || {
            if heading {
                view! { <h1 class="label-heading"><label for=input_id.clone()>{label_text}</label></h1> }.into_any()
            } else if said {
                view! { <label class="visually-hidden" for=input_id.clone()>{label_text}</label> }.into_any()
            } else {
                view! { <label class="label" for=input_id.clone()>{label_text}</label> }.into_any()
            }
        }
    };
    let legend = move || {
        if heading {
            view! { <legend class="legend-heading"><h1>{label_text}</h1></legend> }.into_any()
        } else if said {
            view! { <legend class="visually-hidden">{label_text}</legend> }.into_any()
        } else {
            view! { <legend class="label">{label_text}</legend> }.into_any()
        }
    };

    match f.kind.clone() {
        FieldKind::Text { autocomplete } => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "text", None, autocomplete, "")}
            </div>
        }
        .into_any(),
        FieldKind::Cccd { .. } => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "text", Some("numeric"), None, "input--w12")}
            </div>
        }
        .into_any(),
        FieldKind::Phone => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "tel", Some("tel"), Some("tel".into()), "input--w12")}
            </div>
        }
        .into_any(),
        FieldKind::Email => view! {
            <div class=group_class>{label_el}{hint}{error_view}
                {line(id.clone(), input_id, "email", Some("email"), Some("email".into()), "")}
            </div>
        }
        .into_any(),
        FieldKind::LongText => {
            let key = id.clone();
            let count = RwSignal::new(ctx.get(&key).chars().count());
            let initial = ctx.get(&key);
            view! {
                <div class=group_class>{label_el}{hint}{error_view}
                    <textarea class="textarea" id=input_id name=key.clone() rows="5"
                        aria-describedby={let key = key.clone(); move || format!("{} f-{}-count", describedby(), key)}
                        aria-invalid=invalid
                        prop:value=initial
                        on:input={let key = key.clone(); move |ev| {
                            let v = event_target_value(&ev);
                            count.set(v.chars().count());
                            ctx.set(&key, v);
                        }}></textarea>
                    <p class="hint char-count" id=format!("f-{id}-count") aria-live="polite">{move || {
                        chars_left(i18n.t(), max as i64, count.get())
                    }}</p>
                </div>
            }.into_any()
        }
        FieldKind::Date { .. } => {
            let part = move |p: &'static str,
                             lab: fn(&'static Strings) -> &'static str,
                             w: &'static str| {
                let key = format!("{id}.{p}");
                let pid = format!("f-{id}-{p}");
                view! {
                    <div class="date-part">
                        <label class="date-part__label" for=pid.clone()>{tr(lab)}</label>
                        {line(key, pid, "text", Some("numeric"), None, w)}
                    </div>
                }
            };
            view! {
                <div class=group_class>
                    <fieldset class="fieldset" aria-describedby=describedby.clone()>
                        {legend}{hint}{error_view}
                        <div class="date-input">
                            {part("d", |t| t.date_day, "input--w2")}
                            {part("m", |t| t.date_month, "input--w2")}
                            {part("y", |t| t.date_year, "input--w4")}
                        </div>
                    </fieldset>
                </div>
            }
            .into_any()
        }
        FieldKind::Choice { options } => {
            let opts: Vec<(String, Text)> =
                options.into_iter().map(|o| (o.value, o.label)).collect();
            radios(
                ctx,
                id,
                opts,
                group_class,
                legend,
                hint,
                error_view,
                describedby,
            )
        }
        FieldKind::YesNo => {
            let opts = vec![
                (
                    "yes".to_string(),
                    Text {
                        vi: "Có".into(),
                        en: "Yes".into(),
                    },
                ),
                (
                    "no".to_string(),
                    Text {
                        vi: "Không".into(),
                        en: "No".into(),
                    },
                ),
            ];
            radios(
                ctx,
                id,
                opts,
                group_class,
                legend,
                hint,
                error_view,
                describedby,
            )
        }
        FieldKind::Address => address(
            ctx,
            id,
            error_for,
            group_class,
            legend,
            hint,
            error_view,
        ),
        FieldKind::File {
            accept,
            max_bytes,
            max_files,
        } => {
            let describedby = Signal::derive(describedby);
            let slot = FileSlot(FileSlotProps {
                store: FileStore {
                    code: ctx.code,
                    draft: ctx.draft,
                },
                slot: id,
                accept,
                max_bytes,
                max_files,
                describedby,
                input_id,
            });
            view! {
                <div class=group_class>
                    {label_el}{hint}{error_view}
                    {slot}
                </div>
            }
            .into_any()
        }
    }
}

/// An address: the province from the list, then the commune and the street,
/// each with its own error.
#[allow(clippy::too_many_arguments)]
fn address(
    ctx: Ctx,
    id: String,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + 'static,
    group_class: impl Fn() -> &'static str + Send + Sync + 'static,
    legend: impl Fn() -> AnyView + Send + Sync + 'static,
    hint: impl IntoView + 'static,
    error_view: impl IntoView + 'static,
) -> AnyView {
    let pkey = format!("{id}.province");
    let initial = ctx.get(&pkey);
    let sub_error = move |k: String| error_for(k);
    let sub_id = id.clone();
    let sub = move |suffix: &'static str,
                    lab: fn(&'static Strings) -> &'static str,
                    auto: &'static str| {
        let id = &sub_id;
        let key = format!("{id}.{suffix}");
        let sid = format!("f-{id}-{suffix}");
        let err = sub_error(key.clone());
        let eid = format!("{sid}-error");
        view! {
            <div class=move || if err.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=sid.clone()>{tr(lab)}</label>
                {let eid = eid.clone(); move || err.get().map(|m| view! { <p class="field-error" id=eid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
                {let initial = ctx.get(&key); view! {
                    <input class="input" id=sid name=key.clone() type="text" autocomplete=auto
                        aria-invalid=move || err.get().is_some().to_string()
                        aria-describedby=move || if err.get().is_some() { eid.clone() } else { String::new() }
                        prop:value=initial on:input=move |ev| ctx.set(&key, event_target_value(&ev))/>
                }}
            </div>
        }
    };
    let perr = sub_error(pkey.clone());
    let pid = format!("f-{id}-province");
    let peid = format!("{pid}-error");
    view! {
        <div class=group_class>
            <fieldset class="fieldset">
                {legend}{hint}{error_view}
                <div class=move || if perr.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for=pid.clone()>{tr(|t| t.address_province)}</label>
                    {let peid = peid.clone(); move || perr.get().map(|m| view! { <p class="field-error" id=peid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
                    <select class="select" id=pid name=pkey.clone() autocomplete="address-level1"
                        aria-invalid=move || perr.get().is_some().to_string()
                        on:change={let pkey = pkey.clone(); move |ev| ctx.set(&pkey, event_target_value(&ev))}>
                        <option value="" selected=initial.is_empty()>{tr(|t| t.address_choose_province)}</option>
                        {cuaso_domain::address::PROVINCES.iter().map(|(slug, name)| {
                            view! { <option value=*slug selected=initial == *slug>{*name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {sub("commune", |t| t.address_commune, "address-level2")}
                {sub("street", |t| t.address_street, "street-address")}
            </fieldset>
        </div>
    }.into_any()
}

#[allow(clippy::too_many_arguments)]
fn radios(
    ctx: Ctx,
    id: String,
    opts: Vec<(String, Text)>,
    group_class: impl Fn() -> &'static str + Send + Sync + 'static,
    legend: impl Fn() -> AnyView + Send + Sync + 'static,
    hint: impl IntoView + 'static,
    error_view: impl IntoView + 'static,
    describedby: impl Fn() -> String + Send + Sync + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let current = ctx.get(&id);
    view! {
        <div class=group_class>
            <fieldset class="fieldset" aria-describedby=describedby>
                {legend}{hint}{error_view}
                <div class="radios">
                    {opts.into_iter().enumerate().map(|(i, (value, label))| {
                        let rid = format!("f-{id}-{i}");
                        let key = id.clone();
                        let checked = current == value;
                        let v = value.clone();
                        view! {
                            <div class="radio">
                                <input type="radio" id=rid.clone() name=id.clone() value=value prop:checked=checked
                                    on:change=move |_| ctx.set(&key, v.clone())/>
                                <label for=rid>{move || label.get(i18n.locale().code()).to_string()}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
    .into_any()
}
