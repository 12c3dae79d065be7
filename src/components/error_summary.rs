//! The error summary (GOV.UK Frontend's pattern): when a form is sent with
//! problems, a box at its top takes focus and says what is wrong: a link to
//! each field with a problem ([`ErrorSummary`]), or one message when what
//! went wrong is not at a field, such as a refused sign-in ([`ErrorAlert`]).

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::tr;

/// One problem: where its link goes (`#field`, or another page of the
/// form), the id of the field it moves to (empty for another page), and
/// what it says.
pub type ErrorLink = (String, String, String);

/// How a link of the summary takes the reader to the field.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Follow {
    /// Focuses the field and scrolls it into view; a link whose field is
    /// not on the page is followed as a link.
    #[default]
    Scroll,
    /// Moves focus to the field on the next frame; the link itself is never
    /// followed (the producer portal).
    Focus,
}

/// The summary of a form's problems, shown while there are some.
#[component]
pub fn ErrorSummary(
    /// The problems, in the order of the form.
    #[prop(into)]
    items: Signal<Vec<ErrorLink>>,
    /// The box, for the page to focus it after a failed submit.
    #[prop(optional)]
    node: NodeRef<Div>,
    /// The box's `id`, for a page that focuses it by id.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The `id` of its heading, which names the box (`aria-labelledby`).
    #[prop(optional)]
    title_id: Option<&'static str>,
    #[prop(optional)] follow: Follow,
) -> impl IntoView {
    move || {
        let list = items.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="error-summary" id=id role="alert" tabindex="-1" node_ref=node aria-labelledby=title_id>
                    <h2 id=title_id>{tr(|t| t.error_summary_title)}</h2>
                    <ul>
                        {list.into_iter().map(|(href, target, msg)| {
                            let go = move |ev: leptos::ev::MouseEvent| go_to(&ev, &target, follow);
                            view! { <li><a href=href on:click=go>{msg}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Takes the reader to the field with id `target` (none: the link is
/// followed).
fn go_to(ev: &leptos::ev::MouseEvent, target: &str, follow: Follow) {
    if target.is_empty() {
        return;
    }
    match follow {
        Follow::Scroll => {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(target))
            {
                ev.prevent_default();
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                    el.scroll_into_view();
                }
            }
        }
        Follow::Focus => {
            ev.prevent_default();
            crate::dom::focus_id(target);
        }
    }
}

/// The error summary's box with one message, while there is one.
#[component]
pub fn ErrorAlert(
    /// The box's `id`, for the page to focus it.
    id: &'static str,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="error-summary" id=id role="alert" tabindex="-1"><p class="strong">{m}</p></div>
            }
        })
    }
}
