//! A document slot (GOV.UK's file upload pattern): the limits before
//! picking, each picked file with its upload progress, retry and remove,
//! and a picker for more. The files are kept in a draft ([`crate::drafts`]),
//! their bytes in IndexedDB until sent, and uploaded in the background
//! ([`crate::transfers`]). Used by the application form and by a dossier's
//! supplement.

use cuaso_domain::form::{size_label, FileType};
use leptos::prelude::*;

use crate::dom::{file_type, picked_files};
use crate::drafts::{self, Draft, FileRef};
use crate::images;
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::transfers::{self, transfers, Transfer};

/// Where a [`FileSlot`] keeps its files: a draft, and the key it is saved
/// under (a procedure code, or `supplement:{dossier}`).
#[derive(Clone, Copy)]
pub struct FileStore {
    pub code: StoredValue<String>,
    pub draft: RwSignal<Draft>,
}


/// Starts (or restarts) the upload of one picked file.
pub fn start_upload(code: String, slot: String, file: FileRef) {
    let local = file.local.clone();
    transfers::start(file, move |id| {
        drafts::update(&code, |d| {
            if let Some(r) = d
                .files
                .get_mut(&slot)
                .and_then(|v| v.iter_mut().find(|r| r.local == local))
            {
                r.upload = Some(id);
            }
        });
    });
}

/// "PDF, JPG, PNG, tối đa 5 MB".
pub fn slot_limits(t: &'static Strings, lang: &str, accept: &[FileType], max_bytes: u64) -> String {
    let types: Vec<&str> = accept.iter().map(|a| a.label()).collect();
    fill(
        t.file_limits,
        &[
            ("types", &types.join(", ")),
            ("size", &size_label(max_bytes, lang)),
        ],
    )
}

/// A document slot: the limits before picking, each file with its upload
/// progress, retry and remove, and a picker for more.
#[component]
pub fn FileSlot(
    store: FileStore,
    slot: String,
    accept: Vec<FileType>,
    max_bytes: u64,
    max_files: u32,
    describedby: Signal<String>,
    input_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let pick_error = RwSignal::new(None::<String>);
    let slot = StoredValue::new(slot);
    let accept = StoredValue::new(accept);
    let files = Memo::new(move |_| {
        store
            .draft
            .with(|d| d.files.get(&slot.get_value()).cloned().unwrap_or_default())
    });
    let accept_attr = accept.with_value(|a| {
        a.iter()
            .flat_map(|t| match t {
                FileType::Pdf => vec![".pdf", "application/pdf"],
                FileType::Jpeg => vec![".jpg", ".jpeg", "image/jpeg"],
                FileType::Png => vec![".png", "image/png"],
            })
            .collect::<Vec<_>>()
            .join(",")
    });
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(picked) = picked_files(&ev) else {
            return;
        };
        pick_error.set(None);
        let t = i18n.t();
        let lang_t = t;
        let lang = i18n.locale().code();
        let code = store.code.get_value();
        let slot_id = slot.get_value();
        for file in picked {
            let count = store
                .draft
                .with_untracked(|d| d.files.get(&slot_id).map_or(0, |v| v.len()));
            if count as u32 >= max_files {
                pick_error.set(Some(fill(
                    lang_t.file_too_many,
                    &[("n", &max_files.to_string())],
                )));
                break;
            }
            let name = file.name();
            let kind = file_type(&file);
            let limits = accept.with_value(|a| slot_limits(lang_t, lang, a, max_bytes));
            let Some(kind) = kind.filter(|k| accept.with_value(|a| a.contains(k))) else {
                pick_error.set(Some(fill(
                    lang_t.file_wrong_type,
                    &[("name", &name), ("limits", &limits)],
                )));
                continue;
            };
            let code = code.clone();
            let slot_id = slot_id.clone();
            leptos::task::spawn_local(async move {
                let original: web_sys::Blob = file.clone().into();
                // Photos are made smaller first; PDFs go as they are.
                let (blob, kind, name) = if kind != FileType::Pdf
                    && accept.with_value(|a| a.contains(&FileType::Jpeg))
                {
                    match images::smaller(&original, &name).await {
                        Some((small, name)) => (small, FileType::Jpeg, name),
                        None => (original, kind, name),
                    }
                } else {
                    (original, kind, name)
                };
                let size = blob.size();
                if size > max_bytes as f64 {
                    pick_error.set(Some(fill(
                        lang_t.file_too_big,
                        &[
                            ("name", &name),
                            ("size", &size_label(size as u64, lang)),
                            ("max", &size_label(max_bytes, lang)),
                        ],
                    )));
                    return;
                }
                let r = transfers::keep(&blob, name, kind).await;
                drafts::update(&code, |d| {
                    d.files.entry(slot_id.clone()).or_default().push(r.clone())
                });
                start_upload(code, slot_id, r);
            });
        }
    };
    let remove = move |local: String| {
        let slot_id = slot.get_value();
        drafts::update(&store.code.get_value(), |d| {
            if let Some(v) = d.files.get_mut(&slot_id) {
                v.retain(|r| r.local != local);
            }
        });
        crate::idb::delete(local);
    };
    let retry = move |r: FileRef| start_upload(store.code.get_value(), slot.get_value(), r);
    let pick_label = move || {
        let t = i18n.t();
        if files.with(|f| f.is_empty()) {
            t.file_choose
        } else {
            t.file_choose_another
        }
    };
    view! {
        <ul class="file-list" aria-live="polite">
            <For each=move || files.get() key=|r| (r.local.clone(), r.upload.clone()) let:r>
                {
                    let local = r.local.clone();
                    let state = move || transfers().with(|m| m.get(&local).copied());
                    let uploaded = r.upload.is_some();
                    let r2 = r.clone();
                    let r3 = r.clone();
                    view! {
                        <li class="file">
                            <span class="file__name">{r.name.clone()}</span>
                            <span class="file__size">{move || size_label(r.size, i18n.locale().code())}</span>
                            {move || {
                                let t = i18n.t();
                                if uploaded {
                                    view! { <span class="file__status file__status--ok">{t.file_uploaded}</span> }.into_any()
                                } else {
                                    match state() {
                                        Some(Transfer::Sending(p)) => {
                                            let pct = (p * 100.0).round() as u32;
                                            view! {
                                                <span class="file__status">
                                                    <progress max="100" value=pct.to_string() aria-label=t.file_uploading></progress>
                                                    {fill(t.file_progress, &[("n", &pct.to_string())])}
                                                </span>
                                            }.into_any()
                                        }
                                        _ => {
                                            let r = r2.clone();
                                            view! {
                                                <span class="file__status file__status--bad">{t.file_failed}</span>
                                                <button type="button" class="btn btn-secondary btn-small" on:click=move |_| retry(r.clone())>{t.file_retry}</button>
                                            }.into_any()
                                        }
                                    }
                                }
                            }}
                            {
                                let local = r3.local.clone();
                                let name = r3.name.clone();
                                view! {
                                    <button type="button" class="btn btn-link btn-small" on:click=move |_| remove(local.clone())>
                                        {tr(|t| t.file_remove)}<span class="visually-hidden">{format!(" {name}")}</span>
                                    </button>
                                }
                            }
                        </li>
                    }
                }
            </For>
        </ul>
        {move || pick_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        {move || (files.with(|f| f.len()) < max_files as usize).then(|| {
            let input_id = input_id.clone();
            let accept_attr = accept_attr.clone();
            view! {
                <div class="file-pick">
                    <label class="btn btn-secondary file-pick__button" for=input_id.clone()>{pick_label}</label>
                    <input class="file-pick__input" type="file" id=input_id accept=accept_attr
                        multiple={max_files > 1}
                        aria-describedby=move || describedby.get()
                        on:change=on_pick/>
                </div>
            }
        })}
    }
}

