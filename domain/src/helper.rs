//! Assisted applications: a registered community digital helper (thành viên
//! Tổ công nghệ số cộng đồng) applies on a citizen's behalf, on the helper's
//! own device.
//!
//! - Helper accounts are created by the commune with the CLI
//!   (`cuaso-server helper add`) and sign in with the same session machinery
//!   as producers (`POST /api/v1/auth/login`; [`crate::producer::Session`]
//!   then has `role: helper`).
//! - `POST /api/v1/helper/dossiers` ([`AssistedDossier`], session + CSRF +
//!   `Idempotency-Key`) submits like `POST /dossiers`, after checking the
//!   citizen's [`Consent`]; the dossier records "nộp hộ bởi" (the helper's id),
//!   which officers and the citizen (with the secret) see as
//!   [`AssistedBy`] in the dossier's private part.
//! - `GET /api/v1/helper/dossiers` ([`AssistedList`]): the dossiers this
//!   helper submitted, status only, no personal data.
//! - On the device, helper mode keeps drafts only for the helper's session,
//!   never remembers a citizen's secret after the hand-over, and forgets all
//!   of it at "Kết thúc phiên".

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::form::NewDossier;
use crate::status::Status;
use crate::validate::{check_text, normalize_phone, Problem};

pub const CITIZEN_NAME_MAX: u32 = 100;

/// The citizen's consent, recorded by the helper on a screen the citizen reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Consent {
    /// The citizen agreed that the helper submits this application for them.
    pub given: bool,
    /// The citizen's full name.
    pub name: String,
    /// The citizen's phone number (a Vietnamese mobile or landline).
    pub phone: String,
}

/// Problems with a consent, keyed `consent.given`, `consent.name`,
/// `consent.phone`. The server refuses a submission with any (422).
pub fn check_consent(c: &Consent) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    if !c.given {
        out.push(("consent.given".into(), Problem::Consent));
    }
    let name = c.name.trim();
    if name.is_empty() {
        out.push((
            "consent.name".into(),
            Problem::missing("họ và tên người dân", "the citizen's full name"),
        ));
    } else if let Err(p) = check_text(name, CITIZEN_NAME_MAX, false) {
        out.push(("consent.name".into(), p));
    }
    let phone = c.phone.trim();
    if phone.is_empty() {
        out.push((
            "consent.phone".into(),
            Problem::missing("số điện thoại của người dân", "the citizen's phone number"),
        ));
    } else if let Err(p) = normalize_phone(phone) {
        out.push(("consent.phone".into(), p));
    }
    out
}

/// `POST /api/v1/helper/dossiers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssistedDossier {
    pub dossier: NewDossier,
    pub consent: Consent,
}

/// "Nộp hộ bởi": on the dossier, for officers and the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssistedBy {
    /// The helper's account id (user name).
    pub helper: String,
    pub helper_name: String,
    /// The helper's team, e.g. "Tổ công nghệ số cộng đồng xã Gio Linh".
    pub team: String,
    /// RFC 3339: when the consent was recorded (the submission).
    pub consent_at: String,
    /// The consent's name and phone, as recorded.
    pub citizen_name: String,
    pub citizen_phone: String,
}

/// The signed-in helper, in [`crate::producer::Session::helper`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HelperInfo {
    pub name: String,
    pub team: String,
    pub commune: String,
}

/// One dossier in the helper's own list: status only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssistedItem {
    pub code: String,
    pub procedure: String,
    pub procedure_name: Text,
    pub status: Status,
    /// RFC 3339.
    pub received_at: String,
}

/// `GET /api/v1/helper/dossiers`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssistedList {
    pub items: Vec<AssistedItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_needs_the_box_a_name_and_a_phone() {
        let keys = |c: &Consent| {
            check_consent(c)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(&Consent::default()),
            ["consent.given", "consent.name", "consent.phone"]
        );
        let ok = Consent {
            given: true,
            name: "Lê Thị Mơ".into(),
            phone: "0912 345 678".into(),
        };
        assert!(check_consent(&ok).is_empty());
        let bad_phone = Consent {
            phone: "12".into(),
            ..ok.clone()
        };
        assert_eq!(keys(&bad_phone), ["consent.phone"]);
        let not_ticked = Consent { given: false, ..ok };
        assert_eq!(
            check_consent(&not_ticked),
            [("consent.given".into(), Problem::Consent)]
        );
    }
}
