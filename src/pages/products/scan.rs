//! `/scan`: read a QR code with the camera, from a photo, or typed by hand.
//!
//! The camera is used only after the person asks for it, and turned off as
//! soon as a code is read, the page is left or hidden, or they press stop.
//! Where there is no camera (in-app webviews such as Zalo's, a refused
//! permission, a desktop) a photo of the code does the same job, and typing
//! works everywhere. What is read goes through `domain::scan`: Cửa Số's own
//! codes open their page; anything else is shown, with a warning, first.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use cuaso_domain::scan::{manual, route, ManualError, ScanTarget};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;
use web_sys::MediaStream;

use crate::dom::focus_id;
use crate::i18n::{tr, use_i18n, Strings};
use super::scanner::{self, CameraError, ScanError};

/// What the scanner is doing, or why it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Idle,
    Starting,
    Aim,
    Reading,
    Paused,
    Camera(CameraError),
    PhotoNone,
    PhotoBad,
    DecoderOffline,
}

impl Status {
    fn text(self, t: &'static Strings) -> &'static str {
        match self {
            Status::Idle => "",
            Status::Starting => t.scan_camera_starting,
            Status::Aim => t.scan_camera_aim,
            Status::Reading => t.scan_reading,
            Status::Paused => t.scan_camera_paused,
            Status::Camera(CameraError::Denied) => t.scan_camera_denied,
            Status::Camera(CameraError::NotFound) => t.scan_camera_none,
            Status::Camera(CameraError::Busy) => t.scan_camera_busy,
            Status::Camera(CameraError::Unsupported) => t.scan_camera_unsupported,
            Status::PhotoNone => t.scan_photo_none,
            Status::PhotoBad => t.scan_photo_bad,
            Status::DecoderOffline => t.scan_decoder_offline,
        }
    }

    fn is_problem(self) -> bool {
        !matches!(
            self,
            Status::Idle | Status::Starting | Status::Aim | Status::Reading
        )
    }
}

/// Pause between camera frames: about six reads a second keeps a cheap
/// phone cool and still feels instant.
const FRAME_GAP_MS: u32 = 160;

#[component]
pub fn ScanPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let lot = RwSignal::new(String::new());
    let other = RwSignal::new(None::<String>);
    let code_problem = RwSignal::new(None::<String>);
    let lot_problem = RwSignal::new(None::<String>);
    let status = RwSignal::new(Status::Idle);
    let camera_on = RwSignal::new(false);
    let video = NodeRef::<leptos::html::Video>::new();
    let can_use_camera = scanner::camera_possible();

    // A scan session: bumped to cancel the camera loop (stop, new start,
    // leaving the page). The stream is kept to turn the camera off.
    let session = Arc::new(AtomicU32::new(0));
    let stream: SendWrapper<Rc<RefCell<Option<MediaStream>>>> = SendWrapper::new(Rc::default());
    let stop_camera = {
        let (session, stream) = (session.clone(), stream.clone());
        move || {
            session.fetch_add(1, Ordering::SeqCst);
            if let Some(s) = stream.borrow_mut().take() {
                scanner::stop_camera(&s, video.get_untracked().as_ref());
            }
            camera_on.try_set(false);
        }
    };
    on_cleanup({
        let stop = SendWrapper::new(stop_camera.clone());
        move || stop()
    });

    // Opens what was read: one of Cửa Số's pages, or the warning.
    let open = {
        let navigate = navigate.clone();
        move |read: String| match route(&read) {
            ScanTarget::Other(s) => {
                other.try_set(Some(s));
                status.try_set(Status::Idle);
                focus_id("scan-other");
            }
            target => {
                if let Some(p) = target.path() {
                    navigate(&p, Default::default());
                }
            }
        }
    };

    let start_camera = {
        let (session, stream, stop_camera, open) =
            (session.clone(), stream.clone(), stop_camera.clone(), open.clone());
        move |_| {
            let Some(el) = video.get_untracked() else {
                return;
            };
            stop_camera();
            let me = session.fetch_add(1, Ordering::SeqCst) + 1;
            other.set(None);
            camera_on.set(true);
            status.set(Status::Starting);
            let (session, stream, stop_camera, open) =
                (session.clone(), stream.clone(), stop_camera.clone(), open.clone());
            spawn_local(async move {
                let live = || session.load(Ordering::SeqCst) == me;
                // The worker (if needed) loads while the person answers the
                // camera prompt.
                let decoder = scanner::decoder();
                match scanner::open_camera(&el).await {
                    Ok(s) if live() => *stream.borrow_mut() = Some(s),
                    Ok(s) => return scanner::stop_camera(&s, None),
                    Err(e) => {
                        if live() {
                            camera_on.try_set(false);
                            status.try_set(Status::Camera(e));
                        }
                        return;
                    }
                }
                status.try_set(Status::Aim);
                let Some(decoder) = decoder.await else {
                    if live() {
                        stop_camera();
                        status.try_set(Status::DecoderOffline);
                    }
                    return;
                };
                while live() {
                    if document().hidden() {
                        stop_camera();
                        status.try_set(Status::Paused);
                        return;
                    }
                    match decoder.read_frame(&el).await {
                        Ok(found) if !found.is_empty() && live() => {
                            stop_camera();
                            return open(found[0].clone());
                        }
                        Err(ScanError::DecoderUnavailable) if live() => {
                            stop_camera();
                            status.try_set(Status::DecoderOffline);
                            return;
                        }
                        _ => {}
                    }
                    gloo_timers::future::TimeoutFuture::new(FRAME_GAP_MS).await;
                }
            });
        }
    };

    let on_photo = {
        let (stop_camera, open) = (stop_camera.clone(), open.clone());
        move |ev: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // The same photo can be picked again after a failed read.
            input.set_value("");
            stop_camera();
            other.set(None);
            status.set(Status::Reading);
            let open = open.clone();
            spawn_local(async move {
                let Some(decoder) = scanner::decoder().await else {
                    status.try_set(Status::DecoderOffline);
                    return;
                };
                match decoder.read_photo(&file).await {
                    Ok(found) if !found.is_empty() => {
                        status.try_set(Status::Idle);
                        open(found[0].clone());
                    }
                    Ok(_) => {
                        status.try_set(Status::PhotoNone);
                    }
                    Err(ScanError::BadImage) => {
                        status.try_set(Status::PhotoBad);
                    }
                    Err(ScanError::DecoderUnavailable) => {
                        status.try_set(Status::DecoderOffline);
                    }
                }
            });
        }
    };

    let submit = {
        let stop_camera = stop_camera.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let lang = i18n.locale().code();
            let (t, l) = (text.get_untracked(), lot.get_untracked());
            code_problem.set(None);
            lot_problem.set(None);
            if t.trim().is_empty() {
                code_problem.set(Some(i18n.t().scan_empty.to_string()));
                focus_id("scan-text");
                return;
            }
            match manual(&t, &l) {
                Ok(ScanTarget::Other(s)) => {
                    stop_camera();
                    other.set(Some(s));
                    focus_id("scan-other");
                }
                Ok(target) => {
                    stop_camera();
                    if let Some(p) = target.path() {
                        navigate(&p, Default::default());
                    }
                }
                Err(e @ ManualError::Lot(_)) => {
                    lot_problem.set(Some(e.message(lang)));
                    focus_id("scan-lot");
                }
                Err(e) => {
                    code_problem.set(Some(e.message(lang)));
                    focus_id("scan-text");
                }
            }
        }
    };

    let stop_button = {
        let stop_camera = stop_camera.clone();
        move |_| {
            stop_camera();
            status.set(Status::Idle);
        }
    };

    view! {
        <Title text=tr(|t| t.scan_title)/>
        <h1>{tr(|t| t.scan_title)}</h1>
        <p class="lead">{tr(|t| t.scan_intro)}</p>
        <section class="scanner" aria-labelledby="scan-read-title">
            <h2 id="scan-read-title" class="visually-hidden">{tr(|t| t.scan_read_title)}</h2>
            <div class="scanner__view" hidden=move || !camera_on.get()>
                <video node_ref=video class="scanner__video" muted=true playsinline=true
                    aria-label=tr(|t| t.scan_camera_label)></video>
                <div class="scanner__frame" aria-hidden="true"></div>
            </div>
            <div class="scanner__status" aria-live="polite">
                {move || {
                    let s = status.get();
                    let t = i18n.t();
                    (s != Status::Idle).then(|| if s.is_problem() {
                        view! { <p class="notice notice--warn" id="scan-status">{s.text(t)}</p> }.into_any()
                    } else {
                        view! {
                            <p class="loading" id="scan-status">
                                {(s != Status::Aim).then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                                {s.text(t)}
                            </p>
                        }.into_any()
                    })
                }}
            </div>
            {can_use_camera.then(|| view! {
                <Show when=move || camera_on.get()
                    fallback=move || view! {
                        <button type="button" class="btn btn-primary btn-block" id="scan-camera" on:click=start_camera.clone()>
                            {tr(|t| t.scan_camera_start)}
                        </button>
                    }>
                    <button type="button" class="btn btn-secondary btn-block" on:click=stop_button.clone()>
                        {tr(|t| t.scan_camera_stop)}
                    </button>
                </Show>
            })}
            {(!can_use_camera).then(|| view! {
                <p class="notice notice--warn">{tr(|t| t.scan_camera_unsupported)}</p>
            })}
            <div class="file-pick scanner__photo">
                <label class="btn btn-secondary btn-block file-pick__button" for="scan-photo">{tr(|t| t.scan_photo)}</label>
                <input class="file-pick__input" type="file" id="scan-photo" accept="image/*"
                    aria-describedby="scan-photo-hint" on:change=on_photo/>
            </div>
            <p class="hint" id="scan-photo-hint">{tr(|t| t.scan_photo_hint)}</p>
        </section>
        <form class="question" novalidate on:submit=submit>
            <h2>{tr(|t| t.scan_type_title)}</h2>
            <div class=move || if code_problem.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="scan-text">{tr(|t| t.scan_label)}</label>
                <p class="hint" id="scan-hint">{tr(|t| t.scan_hint)}</p>
                {move || code_problem.get().map(|m| view! { <p class="field-error" id="scan-error">{m}</p> })}
                <input class="input" id="scan-text" type="text" autocomplete="off" spellcheck="false" inputmode="url"
                    aria-describedby=move || if code_problem.get().is_some() { "scan-hint scan-error" } else { "scan-hint" }
                    aria-invalid=move || code_problem.get().is_some().to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            </div>
            <div class=move || if lot_problem.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="scan-lot">{move || format!("{} {}", i18n.t().gs1_lot_label, i18n.t().optional)}</label>
                <p class="hint" id="scan-lot-hint">{tr(|t| t.scan_lot_hint)}</p>
                {move || lot_problem.get().map(|m| view! { <p class="field-error" id="scan-lot-error">{m}</p> })}
                <input class="input input--w12" id="scan-lot" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby=move || if lot_problem.get().is_some() { "scan-lot-hint scan-lot-error" } else { "scan-lot-hint" }
                    aria-invalid=move || lot_problem.get().is_some().to_string()
                    prop:value=move || lot.get() on:input=move |ev| lot.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.scan_open)}</button>
        </form>
        {move || other.get().map(|s| {
            let is_web = s.starts_with("https://") || s.starts_with("http://");
            view! {
                <div class="notice notice--warn" id="scan-other" tabindex="-1" role="alert">
                    <h2>{tr(|t| t.scan_other_title)}</h2>
                    <p class="scan-text">{s.clone()}</p>
                    <p>{move || if is_web { i18n.t().scan_other_link } else { i18n.t().scan_other_text }}</p>
                    {is_web.then(|| view! {
                        <a class="btn btn-secondary" href=s.clone() rel="noopener noreferrer nofollow" target="_blank">
                            {tr(|t| t.scan_other_open)}
                        </a>
                    })}
                </div>
            }
        })}
    }
}
