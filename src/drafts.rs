//! Applications in progress and dossiers sent, kept on this device.
//!
//! - A draft lives in `localStorage` under `cuaso.draft.{procedure code}` and
//!   is written on every keystroke. Picked files' bytes live in IndexedDB
//!   ([`crate::idb`]) until the dossier is submitted, so a failed upload is
//!   retried without picking the file again, even after a reload.
//! - Dossiers sent from this device, with their lookup secret, live under
//!   `cuaso.my` ("Hồ sơ của tôi").

use std::cell::RefCell;
use std::collections::BTreeMap;

use cuaso_domain::api::Text;
use cuaso_domain::form::{Answers, DossierReceipt, FileType};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::storage;

pub const DRAFT_PREFIX: &str = "cuaso.draft.";
const MY_KEY: &str = "cuaso.my";

/// A file picked for a document slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRef {
    /// Key of the bytes in IndexedDB; also identifies the file in the UI.
    pub local: String,
    pub name: String,
    pub size: u64,
    pub file_type: FileType,
    /// The server's upload id, once uploaded.
    #[serde(default)]
    pub upload: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// The `Idempotency-Key`: made once per draft, so every retry of the
    /// submission is recognised as the same one.
    pub key: String,
    pub procedure_name: Text,
    /// What was typed, as typed (date parts under `{id}.d/.m/.y`).
    pub answers: Answers,
    /// Files per document slot (field id).
    #[serde(default)]
    pub files: BTreeMap<String, Vec<FileRef>>,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub updated: f64,
    /// Helper mode: the citizen's consent as recorded so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<cuaso_domain::helper::Consent>,
}

/// Files picked for a supplement are kept like a draft, under
/// `cuaso.supplement.{dossier}`, apart from the applications in progress.
pub const SUPPLEMENT: &str = "supplement:";

pub fn draft_key(code: &str) -> String {
    match code.strip_prefix(SUPPLEMENT) {
        Some(dossier) => format!("cuaso.supplement.{dossier}"),
        None if helper_mode().is_some() => format!("{HELPER_DRAFT_PREFIX}{code}"),
        None => format!("{DRAFT_PREFIX}{code}"),
    }
}

// ---------------------------------------------------------------------------
// Helper mode: a community digital helper applies for citizens on the
// helper's own device. A citizen's application in progress is kept apart
// (`cuaso.helper.draft.{code}`) and only for the helper's session; the
// dossier sent is never added to this device's "Hồ sơ của tôi"; the receipt
// for the hand-over (`cuaso.helper.handover`) stays until "Kết thúc phiên",
// which removes all of it, files' bytes included.
// ---------------------------------------------------------------------------

/// Present while a helper is signed in on this device: who (not a citizen).
pub const HELPER_KEY: &str = "cuaso.helper";
pub const HELPER_DRAFT_PREFIX: &str = "cuaso.helper.draft.";
pub const HANDOVER_KEY: &str = "cuaso.helper.handover";

/// The signed-in helper on this device, if helper mode is on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HelperMode {
    pub username: String,
    pub name: String,
    pub team: String,
}

pub fn helper_mode() -> Option<HelperMode> {
    serde_json::from_str(&storage::get(HELPER_KEY)?).ok()
}

pub fn set_helper_mode(m: Option<&HelperMode>) {
    match m.and_then(|m| serde_json::to_string(m).ok()) {
        Some(j) => {
            storage::set(HELPER_KEY, &j);
        }
        None => storage::remove(HELPER_KEY),
    }
}

/// A receipt waiting to be handed over, and the citizen it is for (the
/// name given in the consent), so it goes to the right person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    #[serde(flatten)]
    pub receipt: DossierReceipt,
    #[serde(default)]
    pub citizen: String,
}

/// The receipt waiting to be handed over to the citizen.
pub fn handover() -> Option<Handover> {
    serde_json::from_str(&storage::get(HANDOVER_KEY)?).ok()
}

pub fn set_handover(r: &DossierReceipt, citizen: &str) -> bool {
    let h = Handover {
        receipt: r.clone(),
        citizen: citizen.trim().to_string(),
    };
    serde_json::to_string(&h).is_ok_and(|j| storage::set(HANDOVER_KEY, &j))
}

/// The citizens' applications in progress in this helper session.
pub fn helper_drafts() -> Vec<(String, Draft)> {
    let mut out = Vec::new();
    for k in storage::keys() {
        if let Some(code) = k.strip_prefix(HELPER_DRAFT_PREFIX) {
            if let Some(d) = storage::get(&k).and_then(|j| serde_json::from_str::<Draft>(&j).ok()) {
                out.push((code.to_string(), d));
            }
        }
    }
    out.sort_by(|a, b| b.1.updated.total_cmp(&a.1.updated));
    out
}

/// "Kết thúc phiên": forgets every citizen's draft (and its files' bytes)
/// and the receipt being handed over. The helper stays signed in.
pub fn end_citizen_session() {
    for k in storage::keys() {
        if k.starts_with(HELPER_DRAFT_PREFIX) {
            if let Some(d) = storage::get(&k).and_then(|j| serde_json::from_str::<Draft>(&j).ok()) {
                for f in d.files.values().flatten() {
                    crate::idb::delete(f.local.clone());
                }
            }
            storage::remove(&k);
        }
    }
    storage::remove(HANDOVER_KEY);
    LIVE.with(|l| {
        if let Some((_, s)) = l.borrow_mut().take() {
            s.try_set(Draft::default());
        }
    });
}

pub fn load(code: &str) -> Option<Draft> {
    serde_json::from_str(&storage::get(&draft_key(code))?).ok()
}

/// Writes the draft; returns whether the device kept it.
pub fn save(code: &str, draft: &Draft) -> bool {
    serde_json::to_string(draft).is_ok_and(|json| storage::set(&draft_key(code), &json))
}

/// Deletes a draft and its files' bytes.
pub fn discard(code: &str) {
    if let Some(d) = load(code) {
        for f in d.files.values().flatten() {
            crate::idb::delete(f.local.clone());
        }
    }
    storage::remove(&draft_key(code));
    LIVE.with(|l| {
        if let Some((c, s)) = &*l.borrow() {
            if c == code {
                s.try_set(Draft::default());
            }
        }
    });
}

/// Every draft on this device: (procedure code, draft), newest first.
pub fn all() -> Vec<(String, Draft)> {
    let mut out = Vec::new();
    for k in storage::keys() {
        if let Some(code) = k.strip_prefix(DRAFT_PREFIX) {
            if let Some(d) = storage::get(&k).and_then(|j| serde_json::from_str::<Draft>(&j).ok()) {
                out.push((code.to_string(), d));
            }
        }
    }
    out.sort_by(|a, b| b.1.updated.total_cmp(&a.1.updated));
    out
}

thread_local! {
    /// The draft the apply page has open, so work finishing after the page
    /// changed (an upload) updates what is on screen as well as storage.
    static LIVE: RefCell<Option<(String, RwSignal<Draft>)>> = const { RefCell::new(None) };
}

pub fn set_live(code: &str, draft: RwSignal<Draft>) {
    LIVE.with(|l| *l.borrow_mut() = Some((code.to_string(), draft)));
}

/// Changes a draft, on screen if it is open and in storage either way.
pub fn update(code: &str, f: impl FnOnce(&mut Draft)) {
    let live = LIVE.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(c, s)| c == code && !s.is_disposed())
            .map(|(_, s)| *s)
    });
    match live {
        Some(s) => s.update(f),
        None => {
            if let Some(mut d) = load(code) {
                f(&mut d);
                save(code, &d);
            }
        }
    }
}

/// A dossier sent from this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    pub receipt: DossierReceipt,
}

pub fn sent() -> Vec<DossierReceipt> {
    storage::get(MY_KEY)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

pub fn sent_one(code: &str) -> Option<DossierReceipt> {
    sent().into_iter().find(|r| r.code == code)
}

/// Keeps the receipt (newest first); the same code is stored once.
pub fn remember(receipt: &DossierReceipt) -> bool {
    let mut all = sent();
    all.retain(|r| r.code != receipt.code);
    all.insert(0, receipt.clone());
    serde_json::to_string(&all).is_ok_and(|j| storage::set(MY_KEY, &j))
}

pub fn forget(code: &str) {
    let mut all = sent();
    all.retain(|r| r.code != code);
    if let Ok(j) = serde_json::to_string(&all) {
        storage::set(MY_KEY, &j);
    }
}

/// A random id: 32 hex characters from the browser's CSPRNG.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes == [0; 16] {
        // No crypto (very old browser): time and Math.random still differ per draft.
        let t = js_sys::Date::now() as u64;
        bytes[..8].copy_from_slice(&t.to_le_bytes());
        bytes[8..].copy_from_slice(&((js_sys::Math::random() * 1e15) as u64).to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

const TRACK_KEY: &str = "cuaso.track";

/// A dossier followed from this device ("Hồ sơ của tôi"): sent from here, or
/// looked up with its secret.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tracked {
    pub code: String,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub name: Text,
    /// The latest status the server gave.
    #[serde(default)]
    pub status: Option<u8>,
    /// The status the citizen last saw on the dossier page.
    #[serde(default)]
    pub seen: Option<u8>,
    /// When the server last heard of it (ms since the epoch).
    #[serde(default)]
    pub checked: f64,
}

impl Tracked {
    pub fn changed(&self) -> bool {
        self.status.is_some() && self.status != self.seen
    }
}

/// Every dossier followed from this device, newest first; dossiers sent
/// from here are included with their secret.
pub fn tracked() -> Vec<Tracked> {
    let mut list: Vec<Tracked> = storage::get(TRACK_KEY)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    for r in sent().into_iter().rev() {
        if !list.iter().any(|t| t.code == r.code) {
            list.insert(
                0,
                Tracked {
                    code: r.code.clone(),
                    secret: Some(r.secret.clone()),
                    name: r.procedure_name.clone(),
                    status: Some(r.status),
                    seen: Some(r.status),
                    checked: 0.0,
                },
            );
        }
    }
    list
}

/// Saves the list and the navigation badge (how many changed).
pub fn save_tracked(list: &[Tracked]) {
    if let Ok(j) = serde_json::to_string(list) {
        storage::set(TRACK_KEY, &j);
    }
    crate::badge::set(list.iter().filter(|t| t.changed()).count() as u32);
}

/// Changes one followed dossier, adding it if new.
pub fn track_update(code: &str, f: impl FnOnce(&mut Tracked)) {
    let mut list = tracked();
    match list.iter_mut().find(|t| t.code == code) {
        Some(t) => f(t),
        None => {
            let mut t = Tracked {
                code: code.to_string(),
                ..Default::default()
            };
            f(&mut t);
            list.insert(0, t);
        }
    }
    save_tracked(&list);
}

/// Stops following a dossier on this device (its receipt too).
pub fn untrack(code: &str) {
    forget(code);
    let mut list = tracked();
    list.retain(|t| t.code != code);
    save_tracked(&list);
}

/// The secret kept on this device for a dossier.
pub fn secret_for(code: &str) -> Option<String> {
    tracked()
        .into_iter()
        .find(|t| t.code == code)
        .and_then(|t| t.secret)
}
