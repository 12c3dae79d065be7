//! The QR worker's entry point: answers each posted frame with the codes in
//! it (`cuaso_qr::worker::answer`), after announcing that it is ready.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let _ = reply_to.post_message(&cuaso_qr::worker::answer(&ev.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(cuaso_qr::worker::READY));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("qrworker is a Web Worker: build it for wasm32 (trunk build)");
}
