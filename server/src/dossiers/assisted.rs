//! An assisted submission ("nộp hộ"): a community helper applies for a
//! citizen with their consent. The helper's routes (`crate::helpers`) make
//! an [`Assisted`]; the submission refuses its consent problems with the
//! answers' and writes it in the dossier's transaction; the dossier's
//! private view shows it ([`assisted_by`]).

use cuaso_domain::helper::AssistedBy;
use cuaso_domain::validate::Problem;
use cuaso_domain::FieldProblem;
use sqlx::{Any, AnyConnection, Transaction};

use crate::http::ApiError;

/// A helper's submission for a citizen, as [`super::accept`] takes it:
/// who helps, the consent as it will be stored, and what is wrong with the
/// consent (refused with the answers' problems, nothing stored).
#[derive(Debug, Clone)]
pub struct Assisted {
    pub account_id: i64,
    pub username: String,
    pub helper_name: String,
    pub team: String,
    /// Trimmed.
    pub consent_name: String,
    /// Normalised (0xxxxxxxxx) when valid, else as typed.
    pub consent_phone: String,
    /// `consent.given`, `consent.name`, `consent.phone`.
    pub problems: Vec<(String, Problem)>,
    /// The request hash of the whole body (answers and consent) and the
    /// helper: a key reused with another consent, by another helper or on
    /// `POST /api/v1/dossiers` is an `idempotency_mismatch`.
    pub request_hash: String,
}

impl Assisted {
    /// The consent's problems, worded in `lang`.
    pub fn field_problems(&self, lang: &str) -> Vec<(String, FieldProblem)> {
        self.problems
            .iter()
            .map(|(k, p)| (k.clone(), p.to_field_problem(k, lang)))
            .collect()
    }

    /// The `actor` of the dossier's first event: the helper, acting for
    /// the citizen (read back as [`cuaso_domain::status::Actor::Citizen`]).
    pub fn actor(&self) -> String {
        format!("helper:{}", self.username)
    }

    /// Writes "nộp hộ bởi" for the new dossier, in its transaction.
    pub async fn record(
        &self,
        tx: &mut Transaction<'_, Any>,
        code: &str,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        debug_assert!(self.problems.is_empty());
        sqlx::query(
            "INSERT INTO assisted_dossiers (dossier_code, helper_account_id, helper_username, \
             helper_name, team, consent_name, consent_phone, consent_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(code)
        .bind(self.account_id)
        .bind(&self.username)
        .bind(&self.helper_name)
        .bind(&self.team)
        .bind(&self.consent_name)
        .bind(&self.consent_phone)
        .bind(at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// "Nộp hộ bởi" of a dossier, if a helper submitted it (for the private
/// view only).
pub async fn assisted_by(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<AssistedBy>, ApiError> {
    let row: Option<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT helper_username, helper_name, team, consent_at, consent_name, consent_phone \
         FROM assisted_dossiers WHERE dossier_code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(
        |(helper, helper_name, team, consent_at, citizen_name, citizen_phone)| AssistedBy {
            helper,
            helper_name,
            team,
            consent_at,
            citizen_name,
            citizen_phone,
        },
    ))
}
