//! What the citizen can do on a dossier's page, with its secret: send the
//! documents asked for, download the result, rate the service, withdraw.

use cuaso_domain::track::{DossierView, Rating, Supplement, Withdrawal, MAX_COMMENT};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Remote};
use crate::components::file_upload::{slot_limits, FileSlot, FileSlotProps, FileStore};
use crate::drafts;
use crate::i18n::{fill, tr, use_i18n, Strings};

/// A friendly one-line error for an action that failed.
fn action_error(e: &ApiError, t: &'static Strings, lang: &str) -> String {
    match e {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout | ApiError::Aborted => {
            t.action_offline.to_string()
        }
        ApiError::Client { body, .. } => {
            if let Some(p) = body.fields.first() {
                cuaso_domain::validate::Problem::from_code(&p.code, &p.args)
                    .map(|pr| pr.message(lang))
                    .unwrap_or_else(|| p.message.clone())
            } else {
                body.message.clone()
            }
        }
        ApiError::Server { .. } => t.action_failed.to_string(),
    }
}

/// Status 5: the documents asked for, each with an upload slot, and Send.
#[component]
pub(super) fn SupplementForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
    docs: Vec<cuaso_domain::track::MissingDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!("{}{code}", drafts::SUPPLEMENT);
    let draft = RwSignal::new(drafts::load(&key).unwrap_or_default());
    drafts::set_live(&key, draft);
    {
        let key = key.clone();
        Effect::new(move |first: Option<()>| {
            let d = draft.get();
            if first.is_some() {
                drafts::save(&key, &d);
            }
        });
    }
    let store = FileStore {
        code: StoredValue::new(key.clone()),
        draft,
    };
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let n = docs.len();
    let send = {
        let key = key.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let t = i18n.t();
            let d = draft.get_untracked();
            let mut files = Vec::new();
            for i in 0..n {
                let refs = d.files.get(&format!("doc{i}")).cloned().unwrap_or_default();
                if refs.is_empty() {
                    error.set(Some(t.supplement_missing.into()));
                    return;
                }
                if refs.iter().any(|r| r.upload.is_none()) {
                    error.set(Some(t.file_wait_upload.into()));
                    return;
                }
                files.push(refs.into_iter().filter_map(|r| r.upload).collect());
            }
            let Some(s) = secret.get_untracked() else {
                return;
            };
            error.set(None);
            busy.set(true);
            let code = code.clone();
            let key = key.clone();
            let lang = i18n.locale().code();
            leptos::task::spawn_local(async move {
                let body = Supplement { files, note: None };
                match api::send_supplement(&code, &s, &body, lang).await {
                    Ok(_) => {
                        drafts::discard(&key);
                        remote.refetch();
                    }
                    Err(e) => {
                        error.set(Some(action_error(&e, i18n.t(), lang)));
                        busy.set(false);
                    }
                }
            });
        }
    };
    view! {
        <section class="question action" aria-labelledby="supplement-heading">
            <h2 id="supplement-heading">{tr(|t| t.supplement_title)}</h2>
            <p>{tr(|t| t.supplement_intro)}</p>
            <form novalidate on:submit=send>
                {docs.into_iter().enumerate().map(|(i, d)| {
                    let input_id = format!("supplement-{i}");
                    let hint_id = format!("{input_id}-hint");
                    let slot = FileSlot(FileSlotProps {
                        store,
                        slot: format!("doc{i}"),
                        accept: d.accept.clone(),
                        max_bytes: d.max_bytes,
                        max_files: d.max_files,
                        describedby: Signal::derive({ let h = hint_id.clone(); move || h.clone() }),
                        input_id: input_id.clone(),
                    });
                    let limits = move || slot_limits(i18n.t(), i18n.locale().code(), &d.accept, d.max_bytes);
                    view! {
                        <div class="form-group">
                            <p class="label">{d.name.clone()}</p>
                            {d.why.clone().map(|w| view! { <p class="timeline__reason">{w}</p> })}
                            <p class="hint" id=hint_id>{limits}</p>
                            {slot}
                        </div>
                    }
                }).collect_view()}
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <button type="submit" class="btn btn-primary btn-block" aria-disabled=move || busy.get().to_string()>
                    {tr(|t| t.supplement_send)}
                </button>
            </form>
        </section>
    }
}

/// Status 9/10: the result file.
#[component]
pub(super) fn ResultDownload(code: String, secret: RwSignal<Option<String>>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let download = move |_| {
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let code = code.clone();
        let name = name.clone();
        leptos::task::spawn_local(async move {
            match api::result_file(&code, &s).await {
                Ok(blob) => {
                    error.set(None);
                    save_blob(&blob, &name);
                }
                Err(e) => error.set(Some(action_error(&e, i18n.t(), i18n.locale().code()))),
            }
        });
    };
    view! {
        <section class="question action" aria-labelledby="result-heading">
            <h2 id="result-heading">{tr(|t| t.result_title)}</h2>
            <p>{tr(|t| t.result_body)}</p>
            <button type="button" class="btn btn-primary" on:click=download>{tr(|t| t.result_download)}</button>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}

/// Saves a blob as a file through a temporary link.
fn save_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Status 10: 1–5 stars and an optional comment, once.
#[component]
pub(super) fn RatingForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        if stars.get_untracked() == 0 {
            error.set(Some(t.rating_choose.into()));
            return;
        }
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let c = comment.get_untracked().trim().to_string();
        let r = Rating {
            stars: stars.get_untracked(),
            comment: (!c.is_empty()).then_some(c),
        };
        let code = code.clone();
        let lang = i18n.locale().code();
        leptos::task::spawn_local(async move {
            match api::rate(&code, &s, &r, lang).await {
                Ok(_) => remote.refetch(),
                Err(e) => error.set(Some(action_error(&e, i18n.t(), lang))),
            }
        });
    };
    view! {
        <section class="question action" aria-labelledby="rating-heading">
            <h2 id="rating-heading">{tr(|t| t.rating_title)}</h2>
            <form novalidate on:submit=submit>
                <fieldset class="fieldset">
                    <legend class="label">{tr(|t| t.rating_question)}</legend>
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <div class="radios rating">
                        {(1..=5u8).map(|n| {
                            let id = format!("rating-{n}");
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name="rating" value=n.to_string()
                                        on:change=move |_| stars.set(n)/>
                                    <label for=id>{move || fill(i18n.t().rating_stars, &[("n", &n.to_string())])}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="form-group">
                    <label class="label" for="rating-comment">{move || format!("{} {}", i18n.t().rating_comment, i18n.t().optional)}</label>
                    <textarea class="textarea" id="rating-comment" rows="3" maxlength=MAX_COMMENT.to_string()
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="btn btn-primary">{tr(|t| t.rating_send)}</button>
            </form>
        </section>
    }
}

/// Withdraw, with a confirmation step.
#[component]
pub(super) fn WithdrawForm(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<DossierView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirm = move |_| {
        let Some(s) = secret.get_untracked() else {
            return;
        };
        let code = code.clone();
        let lang = i18n.locale().code();
        leptos::task::spawn_local(async move {
            match api::withdraw(&code, &s, &Withdrawal::default(), lang).await {
                Ok(_) => remote.refetch(),
                Err(e) => error.set(Some(action_error(&e, i18n.t(), lang))),
            }
        });
    };
    view! {
        <section class="withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{tr(|t| t.withdraw_title)}</h2>
            {move || if asking.get() {
                let confirm = confirm.clone();
                view! {
                    <div class="notice notice--warn" role="alert">
                        <p>{tr(|t| t.withdraw_confirm_body)}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-danger" on:click=confirm>{tr(|t| t.withdraw_confirm)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| asking.set(false)>{tr(|t| t.withdraw_cancel)}</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p>{tr(|t| t.withdraw_body)}</p>
                    <button type="button" class="btn btn-secondary" on:click=move |_| asking.set(true)>{tr(|t| t.withdraw_button)}</button>
                }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}
