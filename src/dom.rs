//! Small browser helpers shared by the pages: the files picked in a file
//! input, where keyboard focus goes after an action, and running code on
//! the next frame (once what it needs is on screen).

use cuaso_domain::form::FileType;
use wasm_bindgen::JsCast;

/// Runs `f` on the next animation frame.
pub fn next_frame(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// The files picked in a file input, from its `change` event; the input is
/// emptied, so the same file can be picked again.
pub fn picked_files(ev: &web_sys::Event) -> Option<Vec<web_sys::File>> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let list = input.files()?;
    let picked = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    Some(picked)
}

/// What a picked file is, by the type the browser gives, else by its name.
pub fn file_type(file: &web_sys::File) -> Option<FileType> {
    let lower = file.name().to_lowercase();
    let by_name = if lower.ends_with(".pdf") {
        Some(FileType::Pdf)
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        Some(FileType::Jpeg)
    } else if lower.ends_with(".png") {
        Some(FileType::Png)
    } else {
        None
    };
    FileType::from_mime(&file.type_()).or(by_name)
}

/// Moves keyboard focus to the element with `id` (after an error or a
/// change of screen), on the next frame so it exists.
pub fn focus_id(id: impl Into<String>) {
    let id: String = id.into();
    next_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// After moving to another screen or page of a form: back to the top, with
/// focus on `<main>` so a screen reader starts reading the new content, as
/// after a full page load.
pub fn scroll_top() {
    next_frame(|| {
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(main) = w
                .document()
                .and_then(|d| d.get_element_by_id("main"))
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = main.focus();
            }
        }
    });
}
