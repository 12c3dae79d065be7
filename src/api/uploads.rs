//! Files for an application or a report (`POST /api/v1/uploads`).

use cuaso_domain::{ApiErrorBody, ErrorCode};

use super::{connection_error, ApiError, API_BASE};

/// Uploads one file (`POST /api/v1/uploads`, multipart), reporting progress
/// as a fraction 0..=1. Uses XMLHttpRequest: fetch cannot report upload
/// progress. The time limit grows with the size, for slow links.
pub async fn upload(
    blob: &web_sys::Blob,
    name: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<cuaso_domain::form::Upload, ApiError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| connection_error())?;
    let form = web_sys::FormData::new().map_err(|_| connection_error())?;
    form.append_with_blob_and_filename("file", blob, name)
        .map_err(|_| connection_error())?;
    xhr.open("POST", &format!("{API_BASE}/api/v1/uploads"))
        .map_err(|_| connection_error())?;
    let _ = xhr.set_request_header("Accept", "application/json");
    // 30 s, plus one second per 8 KB: a 5 MB file may take 11 minutes.
    xhr.set_timeout(30_000 + (blob.size() / 8_000.0) as u32 * 1000);
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(u) = xhr.upload() {
        u.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // 0 done, 1 network error, 2 timeout, 3 aborted.
    let done = js_sys::Promise::new(&mut |resolve, _| {
        for (event, outcome) in [("load", 0), ("error", 1), ("timeout", 2), ("abort", 3)] {
            let resolve = resolve.clone();
            let cb = Closure::once_into_js(move || {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &outcome.into());
            });
            let _ = xhr.add_event_listener_with_callback(event, cb.unchecked_ref());
        }
    });
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| connection_error())?;
    let outcome = wasm_bindgen_futures::JsFuture::from(done)
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1.0) as u8;
    drop(progress);
    match outcome {
        0 => {}
        2 => return Err(ApiError::Timeout),
        3 => return Err(ApiError::Aborted),
        _ => return Err(connection_error()),
    }
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| ApiError::Server { status });
    }
    if (400..500).contains(&status) {
        let body = serde_json::from_str::<ApiErrorBody>(&text).unwrap_or_else(|_| {
            ApiErrorBody::new(
                match status {
                    413 => ErrorCode::PayloadTooLarge,
                    415 => ErrorCode::UnsupportedType,
                    _ => ErrorCode::Unknown,
                },
                "no error body",
            )
        });
        return Err(ApiError::Client { status, body });
    }
    Err(ApiError::Server { status })
}
