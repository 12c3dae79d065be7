//! The report's photos: made smaller on the device, kept in IndexedDB and
//! uploaded in the background, each with a preview, its progress, retry
//! and remove.

use std::collections::HashMap;

use cuaso_domain::feedback::{PHOTOS_MAX, PHOTO_MAX_BYTES};
use cuaso_domain::form::{size_label, FileType};
use leptos::either::EitherOf3;
use leptos::prelude::*;

use super::fields::{error_line, group_class};
use super::{blob_url, revoke, start_upload, store, Ctx, Label};
use crate::dom::{file_type, focus_id, picked_files};
use crate::i18n::{fill, tr, use_i18n};
use crate::images;
use crate::transfers::{self, transfers, Transfer};

/// Up to three photos: previews (decorative: the file name and number are
/// the text), upload progress, retry, remove, and a picker for more.
pub(super) fn photos_field(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let error = ctx.error("photos");
    let pick_error = RwSignal::new(None::<String>);
    // Object URLs of the previews, by the photo's local key.
    let previews = RwSignal::new(HashMap::<String, String>::new());
    on_cleanup(move || {
        if let Some(p) = previews.try_get_untracked() {
            for url in p.values() {
                revoke(url);
            }
        }
    });
    // Photos kept from before a reload: their previews from the stored bytes.
    for f in ctx.draft.with_untracked(|d| d.photos.clone()) {
        leptos::task::spawn_local(async move {
            if let Some(url) = transfers::local_blob(&f.local).await.as_ref().and_then(blob_url) {
                if previews
                    .try_update(|p| p.insert(f.local.clone(), url.clone()))
                    .is_none()
                {
                    revoke(&url);
                }
            }
        });
    }
    let photos = Memo::new(move |_| ctx.draft.with(|d| d.photos.clone()));
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(picked) = picked_files(&ev) else {
            return;
        };
        pick_error.set(None);
        let t = i18n.t();
        let lang = i18n.locale().code();
        let mut room =
            (PHOTOS_MAX as usize).saturating_sub(ctx.draft.with_untracked(|d| d.photos.len()));
        for file in picked {
            if room == 0 {
                pick_error.set(Some(fill(
                    t.fb_photo_too_many,
                    &[("n", &PHOTOS_MAX.to_string())],
                )));
                break;
            }
            let name = file.name();
            let kind = file_type(&file).filter(|k| *k != FileType::Pdf);
            let Some(kind) = kind else {
                pick_error.set(Some(fill(t.fb_photo_wrong_type, &[("name", &name)])));
                continue;
            };
            room -= 1;
            leptos::task::spawn_local(async move {
                let original: web_sys::Blob = file.clone().into();
                // Made smaller on the device: a phone photo is megabytes.
                let (blob, kind, name) = match images::smaller(&original, &name).await {
                    Some((small, name)) => (small, FileType::Jpeg, name),
                    None => (original, kind, name),
                };
                let size = blob.size();
                if size > PHOTO_MAX_BYTES as f64 {
                    pick_error.try_set(Some(fill(
                        t.fb_photo_too_big,
                        &[("name", &name), ("max", &size_label(PHOTO_MAX_BYTES, lang))],
                    )));
                    return;
                }
                let r = transfers::keep(&blob, name, kind).await;
                if let Some(url) = blob_url(&blob) {
                    if previews
                        .try_update(|p| p.insert(r.local.clone(), url.clone()))
                        .is_none()
                    {
                        revoke(&url);
                    }
                }
                store::update_draft(|d| {
                    if d.photos.len() < PHOTOS_MAX as usize {
                        d.photos.push(r.clone());
                    }
                });
                ctx.server.try_update(|s| s.retain(|(k, _)| k != "photos"));
                start_upload(r);
            });
        }
    };
    let remove = move |i: usize, local: String| {
        ctx.edit("photos", |d| d.photos.retain(|r| r.local != local));
        if let Some(url) = previews.try_update(|p| p.remove(&local)).flatten() {
            revoke(&url);
        }
        transfers().update(|m| {
            m.remove(&local);
        });
        crate::idb::delete(local);
        // Focus stays in the photo list: the next photo's remove button, or the picker.
        let n = ctx.draft.with_untracked(|d| d.photos.len());
        if n > 0 {
            focus_id(format!("fb-photo-remove-{}", i.min(n - 1)));
        } else {
            focus_id("fb-photos");
        }
    };
    let describedby = move || {
        if error.get().is_some() {
            "fb-photos-hint fb-photos-error"
        } else {
            "fb-photos-hint"
        }
    };
    view! {
        <div class=group_class(error)>
            <fieldset class="fieldset">
                <legend class="label">{tr(|t| t.fb_photos_label)}" "{tr(|t| t.optional)}</legend>
                <p class="hint" id="fb-photos-hint">{move || fill(i18n.t().fb_photos_hint, &[("n", &PHOTOS_MAX.to_string())])}</p>
                {error_line(error, "fb-photos-error".into())}
                <ul class="fb-photos" aria-live="polite">
                    {move || {
                    let t = i18n.t();
                    photos.get().into_iter().enumerate().map(|(i, r)| {
                        let local = r.local.clone();
                        let l2 = local.clone();
                        let src = move || previews.with(|p| p.get(&l2).cloned());
                        let state = {
                            let local = local.clone();
                            move || transfers().with(|m| m.get(&local).copied())
                        };
                        let uploaded = r.upload.is_some();
                        let retry_ref = r.clone();
                        let n = (i + 1).to_string();
                        view! {
                            <li class="fb-photo">
                                {move || src().map(|s| view! { <img class="fb-photo__img" src=s alt="" width="96" height="72"/> })}
                                <div class="fb-photo__body">
                                    <p class="fb-photo__name">
                                        <span class="strong">{fill(t.fb_photo_n, &[("n", &n)])}</span>
                                        " " {r.name.clone()}
                                        <span class="file__size">{format!(" · {}", size_label(r.size, i18n.locale().code()))}</span>
                                    </p>
                                    {move || {
                                        let t = i18n.t();
                                        if uploaded {
                                            EitherOf3::A(view! { <p class="file__status file__status--ok">{t.file_uploaded}</p> })
                                        } else {
                                            match state() {
                                                Some(Transfer::Sending(p)) => {
                                                    let pct = (p * 100.0).round() as u32;
                                                    EitherOf3::B(view! {
                                                        <p class="file__status">
                                                            <progress max="100" value=pct.to_string() aria-label=t.file_uploading></progress>
                                                            " " {fill(t.file_progress, &[("n", &pct.to_string())])}
                                                        </p>
                                                    })
                                                }
                                                _ => {
                                                    let r = retry_ref.clone();
                                                    EitherOf3::C(view! {
                                                        <p class="file__status file__status--bad">{t.file_failed}</p>
                                                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| start_upload(r.clone())>
                                                            {t.file_retry}
                                                        </button>
                                                    })
                                                }
                                            }
                                        }
                                    }}
                                    <button type="button" class="btn btn-link btn-small" id=format!("fb-photo-remove-{i}")
                                        on:click=move |_| remove(i, local.clone())>
                                        {fill(t.fb_photo_remove, &[("n", &n)])}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()
                    }}
                </ul>
                {move || pick_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || (photos.with(|p| p.len()) < PHOTOS_MAX as usize).then(|| {
                    let label: Label = if photos.with(|p| p.is_empty()) { |t| t.fb_photo_add } else { |t| t.fb_photo_add_more };
                    view! {
                    <div class="file-pick">
                        <input class="file-pick__input" type="file" id="fb-photos" accept="image/jpeg,image/png,.jpg,.jpeg,.png"
                            multiple aria-describedby=describedby on:change=on_pick/>
                        <label class="btn btn-secondary file-pick__button" for="fb-photos">
                            {tr(label)}
                        </label>
                    </div>
                }})}
            </fieldset>
        </div>
    }
}
