//! Applications made for citizens by a signed-in community helper
//! (`/api/v1/helper/...`), with the producer portal's session machinery
//! ([`super::producer`]).

use cuaso_domain::producer::CSRF_HEADER;

use super::producer::{csrf, me_json, MeError};
use super::{post_text, ApiError};

/// Submits an application for a citizen, as the signed-in community
/// helper, with the citizen's consent. Idempotent under `key`, like
/// [`super::submit_dossier`]. After a reload the CSRF token is read again first ([`csrf`]).
pub async fn submit_assisted(
    key: &str,
    req: &cuaso_domain::helper::AssistedDossier,
    lang: &str,
) -> Result<cuaso_domain::form::DossierReceipt, ApiError> {
    let body = serde_json::to_string(req).map_err(|_| ApiError::Server { status: 0 })?;
    let mut headers = vec![
        ("Idempotency-Key", key.to_string()),
        ("Accept-Language", lang.to_string()),
    ];
    if let Some(t) = csrf(lang).await {
        headers.push((CSRF_HEADER, t));
    }
    let (status, text, _) = post_text("/helper/dossiers".into(), body, headers).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Server { status })
}

/// The dossiers the signed-in helper submitted: status only.
pub async fn assisted_list(lang: &str) -> Result<cuaso_domain::helper::AssistedList, MeError> {
    me_json("GET", "/helper/dossiers".into(), None, lang).await
}
