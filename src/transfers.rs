//! Uploads running in the background, shared by the application form and the
//! feedback form: the progress of each picked file (by its local id), and the
//! bytes of files IndexedDB would not keep (private mode), held for the life
//! of the page instead. Not saved: a reload restarts unfinished uploads.

use std::collections::HashMap;

use cuaso_domain::form::FileType;
use leptos::prelude::*;

use crate::api;
use crate::drafts::FileRef;

/// Upload state of a file on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Transfer {
    Sending(f64),
    Failed,
}

thread_local! {
    /// Reference-counted, not owned by any page: uploads outlive the page
    /// that started them.
    static TRANSFERS: ArcRwSignal<HashMap<String, Transfer>> = ArcRwSignal::new(HashMap::new());
    static MEMORY: std::cell::RefCell<Vec<(String, web_sys::Blob)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

pub fn transfers() -> ArcRwSignal<HashMap<String, Transfer>> {
    TRANSFERS.with(|t| t.clone())
}

/// Keeps a picked file's bytes on the device under a new local id: in
/// IndexedDB, else for the life of the page. Not uploaded yet.
pub async fn keep(blob: &web_sys::Blob, name: String, file_type: FileType) -> FileRef {
    let local = crate::drafts::random_id();
    if !crate::idb::put(&local, blob).await {
        keep_in_memory(&local, blob);
    }
    FileRef {
        local,
        name,
        size: blob.size() as u64,
        file_type,
        upload: None,
    }
}

/// Holds a file's bytes for the life of the page (IndexedDB refused them).
pub fn keep_in_memory(local: &str, blob: &web_sys::Blob) {
    MEMORY.with(|m| m.borrow_mut().push((local.to_string(), blob.clone())));
}

fn memory_blob(key: &str) -> Option<web_sys::Blob> {
    MEMORY.with(|m| {
        m.borrow()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, b)| b.clone())
    })
}

/// A picked file's bytes: from IndexedDB, else from memory.
pub async fn local_blob(local: &str) -> Option<web_sys::Blob> {
    match crate::idb::get(local).await {
        Some(b) => Some(b),
        None => memory_blob(local),
    }
}

/// Starts (or restarts) the upload of one picked file, with progress;
/// `uploaded` gets the server's upload id.
pub fn start(file: FileRef, uploaded: impl FnOnce(String) + 'static) {
    let local = file.local.clone();
    transfers().update(|m| {
        m.insert(local.clone(), Transfer::Sending(0.0));
    });
    leptos::task::spawn_local(async move {
        let Some(blob) = local_blob(&local).await else {
            transfers().update(|m| {
                m.insert(local.clone(), Transfer::Failed);
            });
            return;
        };
        let key = local.clone();
        let result = api::upload(&blob, &file.name, move |p| {
            transfers().update(|m| {
                m.insert(key.clone(), Transfer::Sending(p));
            });
        })
        .await;
        match result {
            Ok(up) => {
                transfers().update(|m| {
                    m.remove(&local);
                });
                uploaded(up.id);
            }
            Err(_) => transfers().update(|m| {
                m.insert(local.clone(), Transfer::Failed);
            }),
        }
    });
}
