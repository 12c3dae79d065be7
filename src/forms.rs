//! What the application form and the feedback form share: a problem at a
//! field and how it reads, the problem of files not uploaded yet, the state
//! of sending the form (sent again by itself when the connection returns),
//! and the character count under a long answer.

use cuaso_domain::validate::Problem;
use cuaso_domain::FieldProblem;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::drafts::FileRef;
use crate::i18n::{fill, Strings};
use crate::transfers::{transfers, Transfer};

/// A problem at a field: a rule the app checks, one the server sent that
/// this version cannot word itself (then the server's message, already in
/// the reader's language), or a file not uploaded yet.
#[derive(Clone, Debug, PartialEq)]
pub enum Issue {
    Rule(Problem),
    Server(String),
    /// A file is still uploading.
    Uploading,
    /// A file's upload failed.
    UploadFailed,
}

/// The problems, with the key of their field.
pub type Issues = Vec<(String, Issue)>;

impl Issue {
    /// A problem the server sent, in this app's words when it knows the rule.
    pub fn from_server(p: &FieldProblem) -> Issue {
        match Problem::from_code(&p.code, &p.args) {
            Some(problem) => Issue::Rule(problem),
            None => Issue::Server(p.message.clone()),
        }
    }

    /// In words: the rule's message, the server's, or for files `uploading`
    /// or `failed` (each form words those its own way).
    pub fn message(&self, lang: &str, uploading: &str, failed: &str) -> String {
        match self {
            Issue::Rule(p) => p.message(lang),
            Issue::Server(m) => m.clone(),
            Issue::Uploading => uploading.into(),
            Issue::UploadFailed => failed.into(),
        }
    }
}

/// The problem of files not all uploaded: still uploading, or failed (one
/// is neither uploaded nor on its way).
pub fn upload_issue(files: &[FileRef]) -> Option<Issue> {
    let pending: Vec<&FileRef> = files.iter().filter(|f| f.upload.is_none()).collect();
    if pending.is_empty() {
        return None;
    }
    let t = transfers().get_untracked();
    let failed = pending
        .iter()
        .any(|f| !matches!(t.get(&f.local), Some(Transfer::Sending(_))));
    Some(if failed {
        Issue::UploadFailed
    } else {
        Issue::Uploading
    })
}

/// Sending a form.
#[derive(Clone, Debug, PartialEq)]
pub enum Sending {
    Idle,
    Busy,
    /// Not sent: no connection. What was typed is safe; it is sent again by
    /// itself when the connection returns.
    Waiting,
    Failed(ApiError),
}

impl Sending {
    /// After a failed attempt: waiting when no answer came (no connection,
    /// too slow), else failed.
    pub fn after(e: ApiError) -> Sending {
        match e {
            ApiError::Offline | ApiError::Unreachable | ApiError::Timeout | ApiError::Aborted => {
                Sending::Waiting
            }
            e => Sending::Failed(e),
        }
    }
}

/// Back online: sends what was waiting, once (while the page is open).
pub fn send_when_online(state: RwSignal<Sending>, send: impl Fn() + 'static) {
    let handle = window_event_listener(leptos::ev::online, move |_| {
        if state.get_untracked() == Sending::Waiting {
            send();
        }
    });
    on_cleanup(move || handle.remove());
}

/// The count under a long answer: the characters left, or how many over.
pub fn chars_left(t: &'static Strings, max: i64, count: usize) -> String {
    let left = max - count as i64;
    if left >= 0 {
        fill(t.chars_left, &[("n", &left.to_string())])
    } else {
        fill(t.chars_over, &[("n", &(-left).to_string())])
    }
}
