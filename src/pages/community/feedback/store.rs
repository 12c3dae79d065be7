//! What the feedback pages keep on this device:
//!
//! - the report being written, `cuaso.feedback.draft`, saved on every
//!   keystroke; its photos' bytes in IndexedDB ([`crate::idb`]) until the
//!   report is sent, so a reload or a network drop loses nothing;
//! - reports sent from here, with their code and secret,
//!   `cuaso.feedback.my` ("Phản ánh của tôi").
//!
//! A secret typed to open someone's report on this device is held in
//! memory only, for as long as the page is open.

use std::cell::RefCell;

use cuaso_domain::feedback::{FeedbackStatus, Position};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::drafts::FileRef;
use crate::storage;

pub const DRAFT_KEY: &str = "cuaso.feedback.draft";
pub const MY_KEY: &str = "cuaso.feedback.my";

/// The report being written, as typed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// The `Idempotency-Key`, made once per draft: every retry of the
    /// submission is the same report.
    pub key: String,
    /// `Category::as_str`, once chosen.
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub photos: Vec<FileRef>,
    #[serde(default)]
    pub position: Option<Position>,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub updated: f64,
}

impl Draft {
    pub fn fresh() -> Draft {
        Draft {
            key: crate::drafts::random_id(),
            ..Default::default()
        }
    }

    /// Whether anything was typed or picked.
    pub fn is_empty(&self) -> bool {
        self.category.is_none()
            && self.photos.is_empty()
            && self.position.is_none()
            && [
                &self.title,
                &self.description,
                &self.commune,
                &self.address,
                &self.name,
                &self.phone,
                &self.email,
            ]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

pub fn load_draft() -> Option<Draft> {
    serde_json::from_str(&storage::get(DRAFT_KEY)?).ok()
}

/// Writes the draft (an empty one is removed); returns whether the device
/// kept it.
pub fn save_draft(d: &Draft) -> bool {
    if d.is_empty() {
        storage::remove(DRAFT_KEY);
        return true;
    }
    serde_json::to_string(d).is_ok_and(|j| storage::set(DRAFT_KEY, &j))
}

/// Deletes the draft and its photos' bytes.
pub fn discard_draft() {
    if let Some(d) = load_draft() {
        for f in d.photos {
            crate::idb::delete(f.local);
        }
    }
    storage::remove(DRAFT_KEY);
    LIVE.with(|l| l.borrow_mut().take());
}

thread_local! {
    /// The draft the form has open, so an upload finishing after the page
    /// changed updates storage (and the screen, if it is still there).
    static LIVE: RefCell<Option<RwSignal<Draft>>> = const { RefCell::new(None) };
    /// Secrets typed on this page load, by code; never written to the device.
    static TYPED: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

pub fn set_live(d: RwSignal<Draft>) {
    LIVE.with(|l| *l.borrow_mut() = Some(d));
}

/// Changes the draft, on screen if it is open and in storage either way.
pub fn update_draft(f: impl FnOnce(&mut Draft)) {
    let live = LIVE.with(|l| *l.borrow()).filter(|s| !s.is_disposed());
    match live {
        Some(s) => s.update(f),
        None => {
            if let Some(mut d) = load_draft() {
                f(&mut d);
                save_draft(&d);
            }
        }
    }
}

/// A report sent from this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    pub code: String,
    pub secret: String,
    pub title: String,
    pub category: String,
    /// RFC 3339.
    pub received_at: String,
    /// The latest status the server gave.
    pub status: FeedbackStatus,
    /// The status last seen on the report's page.
    #[serde(default)]
    pub seen: Option<FeedbackStatus>,
}

impl Mine {
    pub fn changed(&self) -> bool {
        self.seen.is_some_and(|s| s != self.status)
    }
}

/// Reports sent from this device, newest first.
pub fn mine() -> Vec<Mine> {
    storage::get(MY_KEY)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

fn save_mine(list: &[Mine]) -> bool {
    serde_json::to_string(list).is_ok_and(|j| storage::set(MY_KEY, &j))
}

/// Keeps a sent report (newest first, each code once).
pub fn remember(m: Mine) -> bool {
    let mut all = mine();
    all.retain(|x| x.code != m.code);
    all.insert(0, m);
    save_mine(&all)
}

pub fn mine_one(code: &str) -> Option<Mine> {
    mine().into_iter().find(|m| m.code == code)
}

/// Records the status the server gave; `seen` when shown on its page.
pub fn set_status(code: &str, status: FeedbackStatus, seen: bool) {
    let mut all = mine();
    if let Some(m) = all.iter_mut().find(|m| m.code == code) {
        if m.status == status && (!seen || m.seen == Some(status)) {
            return;
        }
        m.status = status;
        if seen {
            m.seen = Some(status);
        }
        save_mine(&all);
    }
}

pub fn forget(code: &str) {
    let mut all = mine();
    all.retain(|m| m.code != code);
    save_mine(&all);
}

/// The secret for a report: kept with a report sent from here, or typed on
/// this page load.
pub fn secret_for(code: &str) -> Option<String> {
    mine_one(code).map(|m| m.secret).or_else(|| {
        TYPED.with(|t| {
            t.borrow()
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, s)| s.clone())
        })
    })
}

pub fn remember_typed(code: &str, secret: Option<String>) {
    TYPED.with(|t| {
        let mut t = t.borrow_mut();
        t.retain(|(c, _)| c != code);
        if let Some(s) = secret {
            t.push((code.to_string(), s));
        }
    });
}
