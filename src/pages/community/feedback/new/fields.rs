//! The report form's questions other than photos and place: the category,
//! the text questions (label, hint, error, input, character count) and the
//! contact details.

use cuaso_domain::feedback::{Category, NAME_MAX};
use leptos::either::Either;
use leptos::prelude::*;

use super::{category_label, Ctx, Draft, Label};
use crate::components::privacy::{PrivacyNote, Purpose};
use crate::forms::chars_left;
use crate::i18n::{tr, use_i18n};

/// The error line under a label, with its id for `aria-describedby`.
pub(super) fn error_line(error: Signal<Option<String>>, id: String) -> impl IntoView {
    move || {
        error.get().map(|m| {
            view! {
                <p class="field-error" id=id.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p>
            }
        })
    }
}

pub(super) fn group_class(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy {
    move || {
        if error.get().is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    }
}

/// A text question: label (with "(không bắt buộc)" when `optional`), hint,
/// error, the input or textarea, and a character count when `max` is set.
#[allow(clippy::too_many_arguments)]
pub(super) fn text_field(
    ctx: Ctx,
    key: &'static str,
    id: &'static str,
    label: Label,
    hint: Option<Label>,
    optional: Signal<bool>,
    multiline: bool,
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
    max: Option<u32>,
) -> impl IntoView {
    text_input(
        ctx,
        key,
        id,
        label,
        hint,
        optional,
        multiline,
        ("text", None, "off"),
        get,
        set,
        max,
    )
}

#[allow(clippy::too_many_arguments)]
pub(super) fn text_input(
    ctx: Ctx,
    key: &'static str,
    id: &'static str,
    label: Label,
    hint: Option<Label>,
    optional: Signal<bool>,
    multiline: bool,
    (ty, mode, auto): (&'static str, Option<&'static str>, &'static str),
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
    max: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error(key);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let count_id = format!("{id}-count");
    let initial = ctx.draft.with_untracked(|d| get(d).clone());
    let count = RwSignal::new(initial.chars().count());
    let describedby = {
        let (h, e, c) = (hint_id.clone(), err_id.clone(), count_id.clone());
        move || {
            let mut v = Vec::new();
            if hint.is_some() {
                v.push(h.clone());
            }
            if error.get().is_some() {
                v.push(e.clone());
            }
            if max.is_some() {
                v.push(c.clone());
            }
            v.join(" ")
        }
    };
    let label_text = move || {
        let t = i18n.t();
        if optional.get() {
            format!("{} {}", label(t), t.optional)
        } else {
            label(t).to_string()
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        count.set(v.chars().count());
        ctx.edit(key, |d| set(d, v));
    };
    let invalid = move || error.get().is_some().to_string();
    let input = if multiline {
        Either::Left(view! {
            <textarea class="textarea" id=id name=key rows="5" spellcheck="true"
                aria-describedby=describedby aria-invalid=invalid
                prop:value=initial on:input=on_input></textarea>
        })
    } else {
        Either::Right(view! {
            <input class="input" id=id name=key type=ty inputmode=mode autocomplete=auto
                spellcheck=if ty == "text" { "true" } else { "false" }
                aria-describedby=describedby aria-invalid=invalid
                prop:value=initial on:input=on_input/>
        })
    };
    view! {
        <div class=group_class(error)>
            <label class="label" for=id>{label_text}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{tr(h)}</p> })}
            {error_line(error, err_id)}
            {input}
            {max.map(|max| view! {
                <p class="hint char-count" id=count_id aria-live="polite">{move || {
                    chars_left(i18n.t(), i64::from(max), count.get())
                }}</p>
            })}
        </div>
    }
}

/// The five categories as radio buttons.
pub(super) fn category_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error("category");
    let current = ctx.draft.with_untracked(|d| d.category.clone());
    view! {
        <div class=group_class(error)>
            <fieldset class="fieldset" aria-describedby=move || error.get().is_some().then_some("fb-category-error")>
                <legend class="label">{tr(|t| t.fb_category_label)}</legend>
                {error_line(error, "fb-category-error".into())}
                <div class="radios">
                    {Category::ALL.into_iter().enumerate().map(|(i, c)| {
                        let rid = format!("fb-category-{i}");
                        let checked = current.as_deref() == Some(c.as_str());
                        view! {
                            <div class="radio">
                                <input type="radio" id=rid.clone() name="category" value=c.as_str() prop:checked=checked
                                    on:change=move |_| ctx.edit("category", |d| d.category = Some(c.as_str().into()))/>
                                <label for=rid>{move || category_label(i18n.t(), c)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}


/// Optional contact details, with the anonymous note.
pub(super) fn contact_field(ctx: Ctx) -> impl IntoView {
    let yes = Signal::stored(true);
    view! {
        <fieldset class="fieldset fb-contact" aria-describedby="fb-contact-note">
            <legend class="label">{tr(|t| t.fb_contact_label)}</legend>
            <p class="notice fb-anonymous" id="fb-contact-note">{tr(|t| t.fb_contact_note)}</p>
            <PrivacyNote purpose=Purpose::Feedback/>
            {text_input(ctx, "contact.name", "fb-name", |t| t.fb_name_label, None, yes, false,
                ("text", None, "name"), |d| &d.name, |d, v| d.name = v, Some(NAME_MAX))}
            {text_input(ctx, "contact.phone", "fb-phone", |t| t.fb_phone_label, Some(|t| t.fb_phone_hint), yes, false,
                ("tel", Some("tel"), "tel"), |d| &d.phone, |d, v| d.phone = v, None)}
            {text_input(ctx, "contact.email", "fb-email", |t| t.fb_email_label, None, yes, false,
                ("email", Some("email"), "email"), |d| &d.email, |d, v| d.email = v, None)}
        </fieldset>
    }
}
