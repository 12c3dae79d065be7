//! Reading QR codes from the camera or a photo, for `/scan`.
//!
//! Where the browser has `BarcodeDetector` with QR support (Chrome on
//! Android, Safari 17+ on some devices) it does the work. Everywhere else the
//! pixels go to the QR worker (`qr/`, a Rust decoder compiled to its own
//! wasm), which is fetched the first time it is needed and never by any
//! other page: decoding stays off the main thread and out of the first
//! visit's bytes.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use js_sys::{Array, Object, Promise, Reflect, Uint8ClampedArray};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    HtmlVideoElement, ImageBitmap, MediaStream, MediaStreamConstraints, MediaStreamTrack,
    MessageEvent, Worker,
};

#[wasm_bindgen]
extern "C" {
    /// The Shape Detection API's barcode detector (not in web-sys' stable
    /// set): constructed only after checking that it exists.
    #[wasm_bindgen(js_name = BarcodeDetector)]
    pub type NativeDetector;
    #[wasm_bindgen(constructor, js_class = "BarcodeDetector", catch)]
    fn new(options: &JsValue) -> Result<NativeDetector, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn detect(this: &NativeDetector, source: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(static_method_of = NativeDetector, js_class = "BarcodeDetector", js_name = getSupportedFormats, catch)]
    fn supported_formats() -> Result<Promise, JsValue>;
}

/// How long the worker may take to arrive and start (a cold fetch on 3G).
const WORKER_START_MS: u32 = 30_000;
/// How long one frame may take to decode before the worker is thought stuck.
const DECODE_MS: u32 = 8_000;
/// Camera frames are scaled to this long side for the worker: a QR code
/// filling a good part of the view reads well, and a cheap phone keeps up.
pub const FRAME_SIDE: u32 = 720;
/// Photos are read at this long side first, then at [`PHOTO_SIDE_MAX`] if
/// the code was too small to find.
const PHOTO_SIDE: u32 = 1280;
const PHOTO_SIDE_MAX: u32 = 2400;

/// The QR worker, started once and kept for the page's lifetime.
pub struct QrWorker {
    worker: Worker,
    waiting: Rc<RefCell<Option<oneshot::Sender<Vec<String>>>>>,
    next_id: std::cell::Cell<u32>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for QrWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// What decodes: the browser's detector or the QR worker.
#[derive(Clone)]
pub enum Decoder {
    Native(Rc<NativeDetector>),
    Worker(Rc<QrWorker>),
}

thread_local! {
    static DECODER: RefCell<Option<Decoder>> = const { RefCell::new(None) };
}

/// Why nothing could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanError {
    /// The decoder could not be loaded (offline, or the worker failed).
    DecoderUnavailable,
    /// The browser could not open the picture.
    BadImage,
}

async fn native_detector() -> Option<NativeDetector> {
    let global = js_sys::global();
    if !Reflect::has(&global, &"BarcodeDetector".into()).unwrap_or(false) {
        return None;
    }
    let formats = JsFuture::from(NativeDetector::supported_formats().ok()?)
        .await
        .ok()?;
    if !Array::from(&formats).includes(&"qr_code".into(), 0) {
        return None;
    }
    let options = Object::new();
    let list = Array::of1(&"qr_code".into());
    Reflect::set(&options, &"formats".into(), &list).ok()?;
    NativeDetector::new(&options).ok()
}

async fn start_worker() -> Option<QrWorker> {
    let worker = Worker::new(&crate::api::app_file("qrworker_loader.js")).ok()?;
    let (ready_tx, ready_rx) = oneshot::channel::<bool>();
    let ready_tx = Rc::new(RefCell::new(Some(ready_tx)));
    let waiting: Rc<RefCell<Option<oneshot::Sender<Vec<String>>>>> = Rc::default();
    let on_message = {
        let (ready_tx, waiting) = (ready_tx.clone(), waiting.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            if data.as_string().as_deref() == Some("ready") {
                if let Some(tx) = ready_tx.borrow_mut().take() {
                    let _ = tx.send(true);
                }
                return;
            }
            let texts = Reflect::get(&data, &"texts".into())
                .map(|t| Array::from(&t).iter().filter_map(|v| v.as_string()).collect())
                .unwrap_or_default();
            if let Some(tx) = waiting.borrow_mut().take() {
                let _ = tx.send(texts);
            }
        })
    };
    // A worker that fails to load or traps: whoever waits gets a dropped
    // channel, which reads as "decoder unavailable".
    let on_error = {
        let (ready_tx, waiting) = (ready_tx.clone(), waiting.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            ready_tx.borrow_mut().take();
            waiting.borrow_mut().take();
            DECODER.with(|d| d.borrow_mut().take());
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let w = QrWorker {
        worker,
        waiting,
        next_id: std::cell::Cell::new(1),
        _on_message: on_message,
        _on_error: on_error,
    };
    let timeout = gloo_timers::future::TimeoutFuture::new(WORKER_START_MS);
    match select(ready_rx, timeout).await {
        Either::Left((Ok(true), _)) => Some(w),
        _ => None,
    }
}

/// The decoder, started on first use. `None` when neither the browser's
/// detector nor the worker is available (the worker is fetched, so this
/// happens offline on a first visit).
pub async fn decoder() -> Option<Decoder> {
    if let Some(d) = DECODER.with(|d| d.borrow().clone()) {
        return Some(d);
    }
    let d = match native_detector().await {
        Some(n) => Decoder::Native(Rc::new(n)),
        None => Decoder::Worker(Rc::new(start_worker().await?)),
    };
    DECODER.with(|slot| *slot.borrow_mut() = Some(d.clone()));
    Some(d)
}

/// Whether the page may ask for the camera at all: in-app webviews and
/// pages not served over https have no `getUserMedia`.
pub fn camera_possible() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let nav = window.navigator();
    let Ok(devices) = Reflect::get(&nav, &"mediaDevices".into()) else {
        return false;
    };
    !devices.is_undefined()
        && Reflect::get(&devices, &"getUserMedia".into())
            .map(|f| f.is_function())
            .unwrap_or(false)
}

/// Why the camera could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraError {
    /// The person (or the browser's settings) refused.
    Denied,
    /// No camera on this device.
    NotFound,
    /// Another app holds the camera.
    Busy,
    /// No camera access in this browser (in-app webview, http).
    Unsupported,
}

/// Opens the back camera (the front one if that is all there is) into
/// `video`. The stream is returned so the caller can stop it.
pub async fn open_camera(video: &HtmlVideoElement) -> Result<MediaStream, CameraError> {
    if !camera_possible() {
        return Err(CameraError::Unsupported);
    }
    let devices = web_sys::window()
        .ok_or(CameraError::Unsupported)?
        .navigator()
        .media_devices()
        .map_err(|_| CameraError::Unsupported)?;
    let video_constraints = Object::new();
    let facing = Object::new();
    let _ = Reflect::set(&facing, &"ideal".into(), &"environment".into());
    let _ = Reflect::set(&video_constraints, &"facingMode".into(), &facing);
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video_constraints);
    constraints.set_audio(&JsValue::FALSE);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::Unsupported)?;
    let stream: MediaStream = JsFuture::from(promise)
        .await
        .map_err(|e| {
            let name = Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            match name.as_str() {
                "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => {
                    CameraError::Denied
                }
                "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => {
                    CameraError::NotFound
                }
                "NotReadableError" | "AbortError" | "TrackStartError" => CameraError::Busy,
                _ => CameraError::Unsupported,
            }
        })?
        .unchecked_into();
    video.set_src_object(Some(&stream));
    // Inline, silent playback: iOS shows nothing otherwise.
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    if let Ok(p) = video.play() {
        let _ = JsFuture::from(p).await;
    }
    Ok(stream)
}

/// Turns the camera off (the phone's camera light goes out).
pub fn stop_camera(stream: &MediaStream, video: Option<&HtmlVideoElement>) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
    if let Some(v) = video {
        v.set_src_object(None);
    }
}

impl Decoder {
    /// The codes in `source` (a playing video or an `ImageBitmap` of
    /// `width × height`), read at most `side` pixels on the long side by the
    /// worker. Empty when there is none; `Err` when the decoder failed.
    async fn read(
        &self,
        source: &JsValue,
        width: u32,
        height: u32,
        side: u32,
    ) -> Result<Vec<String>, ScanError> {
        match self {
            Decoder::Native(d) => {
                let found = JsFuture::from(d.detect(source).map_err(|_| ScanError::BadImage)?)
                    .await
                    .map_err(|_| ScanError::BadImage)?;
                Ok(Array::from(&found)
                    .iter()
                    .filter_map(|b| Reflect::get(&b, &"rawValue".into()).ok()?.as_string())
                    .filter(|t| !t.is_empty())
                    .collect())
            }
            Decoder::Worker(w) => {
                let (_, ctx, w_px, h_px) =
                    crate::images::draw_scaled(source, width, height, side, true)
                        .ok_or(ScanError::BadImage)?;
                let image = ctx
                    .get_image_data(0.0, 0.0, w_px as f64, h_px as f64)
                    .map_err(|_| ScanError::BadImage)?;
                w.decode(&image).await
            }
        }
    }

    /// Reads the current frame of a playing camera video.
    pub async fn read_frame(&self, video: &HtmlVideoElement) -> Result<Vec<String>, ScanError> {
        let (w, h) = (video.video_width(), video.video_height());
        if w == 0 || h == 0 {
            return Ok(Vec::new());
        }
        self.read(video.as_ref(), w, h, FRAME_SIDE).await
    }

    /// Reads a photo the person picked.
    pub async fn read_photo(&self, file: &web_sys::Blob) -> Result<Vec<String>, ScanError> {
        let window = web_sys::window().ok_or(ScanError::BadImage)?;
        let bitmap: ImageBitmap = JsFuture::from(
            window
                .create_image_bitmap_with_blob(file)
                .map_err(|_| ScanError::BadImage)?,
        )
        .await
        .map_err(|_| ScanError::BadImage)?
        .unchecked_into();
        let (w, h) = (bitmap.width(), bitmap.height());
        let mut found = self.read(bitmap.as_ref(), w, h, PHOTO_SIDE).await;
        // A small code in a large photo: look again at more pixels.
        if matches!(&found, Ok(t) if t.is_empty()) && w.max(h) > PHOTO_SIDE {
            if let Decoder::Worker(_) = self {
                found = self.read(bitmap.as_ref(), w, h, PHOTO_SIDE_MAX).await;
            }
        }
        bitmap.close();
        found
    }
}

impl QrWorker {
    async fn decode(&self, image: &web_sys::ImageData) -> Result<Vec<String>, ScanError> {
        let data: Uint8ClampedArray = Reflect::get(image, &"data".into())
            .map_err(|_| ScanError::BadImage)?
            .unchecked_into();
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"id".into(), &id.into());
        let _ = Reflect::set(&msg, &"width".into(), &image.width().into());
        let _ = Reflect::set(&msg, &"height".into(), &image.height().into());
        let _ = Reflect::set(&msg, &"data".into(), &data);
        let (tx, rx) = oneshot::channel();
        *self.waiting.borrow_mut() = Some(tx);
        // The pixels move to the worker rather than being copied.
        self.worker
            .post_message_with_transfer(&msg, &Array::of1(&data.buffer()))
            .map_err(|_| ScanError::DecoderUnavailable)?;
        let timeout = gloo_timers::future::TimeoutFuture::new(DECODE_MS);
        match select(rx, timeout).await {
            Either::Left((Ok(texts), _)) => Ok(texts),
            _ => {
                // Stuck or crashed: start afresh next time.
                DECODER.with(|d| d.borrow_mut().take());
                Err(ScanError::DecoderUnavailable)
            }
        }
    }
}
