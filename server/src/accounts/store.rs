//! Accounts as stored: producers' and helpers' (made by `cuaso-server
//! producer add` / `helper add`, with a one-time password), listed for
//! the CLI, and the demo accounts of `seed/accounts.json`.

use axum::http::StatusCode;
use cuaso_domain::helper::HelperInfo;
use cuaso_domain::producer::{is_username, Role};
use cuaso_domain::validate::check_text;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use super::password::{hash_async, initial_password_for};
use crate::http::ApiError;
use crate::AppState;

/// The demo accounts (`seed/accounts.json`): argon2id hashes made once, so
/// starting a server does not spend a second hashing.
pub const SEED_ACCOUNTS: &str = include_str!("../../seed/accounts.json");

pub(super) fn rfc3339_now(s: &AppState) -> String {
    crate::infra::clock::utc_string(s.clock.system_time())
}

/// The longest helper name and commune, in characters.
pub const HELPER_NAME_MAX: u32 = 100;
pub const COMMUNE_MAX: u32 = 100;

/// The team of a commune's helpers: "Tổ công nghệ số cộng đồng xã Gio
/// Linh". The unit word (xã, phường, thị trấn, đặc khu) is lower-cased
/// inside the name, as Vietnamese writes it; whatever else is kept.
pub fn team_name(commune: &str) -> String {
    let commune = commune.split_whitespace().collect::<Vec<_>>().join(" ");
    let lowered = [
        "Xã ",
        "Phường ",
        "Thị trấn ",
        "Thị Trấn ",
        "Đặc khu ",
        "Đặc Khu ",
    ]
    .iter()
    .find_map(|unit| {
        commune
            .strip_prefix(unit)
            .map(|rest| format!("{}{rest}", unit.to_lowercase()))
    })
    .unwrap_or(commune);
    format!("Tổ công nghệ số cộng đồng {lowered}")
}

pub(super) fn bad_parameter(field: &str, message: String) -> ApiError {
    ApiError::bad_request(ApiErrorBody::for_field(
        ErrorCode::InvalidParameter,
        field,
        message,
    ))
}

/// A helper's details from what the commune typed (`helper add`, the demo
/// seed): the name and commune trimmed, the team from the commune. 400
/// `invalid_parameter` at `name` or `commune` when empty, too long or with
/// control characters.
pub fn helper_info(name: &str, commune: &str) -> Result<HelperInfo, ApiError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let commune = commune.split_whitespace().collect::<Vec<_>>().join(" ");
    for (field, value, max) in [
        ("name", &name, HELPER_NAME_MAX),
        ("commune", &commune, COMMUNE_MAX),
    ] {
        if value.is_empty() {
            return Err(bad_parameter(
                field,
                format!("the helper's {field} is required"),
            ));
        }
        if let Err(p) = check_text(value, max, false) {
            return Err(bad_parameter(
                field,
                format!("{field}: {}", p.message("en")),
            ));
        }
    }
    Ok(HelperInfo {
        team: team_name(&commune),
        name,
        commune,
    })
}

pub(super) struct AccountRow {
    pub(super) id: i64,
    pub(super) password_hash: String,
}

pub(super) async fn account_by_name(
    pool: &AnyPool,
    username: &str,
) -> Result<Option<AccountRow>, ApiError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, password_hash)| AccountRow { id, password_hash }))
}

/// One account, as `producer list` and `helper list` print it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    /// Empty for a helper.
    pub producer_id: String,
    /// A helper's name, commune and team.
    pub helper: Option<HelperInfo>,
    pub must_change_password: bool,
    pub created_at: String,
    pub password_changed_at: String,
    pub sessions: i64,
}

pub(super) fn role_str(role: Role) -> &'static str {
    match role {
        Role::Producer => "producer",
        Role::Helper => "helper",
    }
}

/// Every account of a role, by name.
pub async fn list_accounts(s: &AppState, role: Role) -> Result<Vec<AccountSummary>, ApiError> {
    let rows = sqlx::query(
        "SELECT a.username, a.producer_id, a.helper_name, a.commune, a.team, \
         a.must_change_password, a.created_at, a.password_changed_at, \
         (SELECT COUNT(*) FROM sessions s WHERE s.account_id = a.id) AS n \
         FROM accounts a WHERE a.role = $1 ORDER BY a.username",
    )
    .bind(role_str(role))
    .fetch_all(&s.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let name: Option<String> = r.try_get("helper_name")?;
            let helper = match name {
                Some(name) => Some(HelperInfo {
                    name,
                    commune: r
                        .try_get::<Option<String>, _>("commune")?
                        .unwrap_or_default(),
                    team: r.try_get::<Option<String>, _>("team")?.unwrap_or_default(),
                }),
                None => None,
            };
            Ok(AccountSummary {
                username: r.try_get("username")?,
                producer_id: r
                    .try_get::<Option<String>, _>("producer_id")?
                    .unwrap_or_default(),
                helper,
                must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
                created_at: r.try_get("created_at")?,
                password_changed_at: r.try_get("password_changed_at")?,
                sessions: r.try_get("n")?,
            })
        })
        .collect()
}

/// An account name that is well formed and free, else 400/409
/// `invalid_parameter` at `username`.
pub(super) async fn check_new_username(s: &AppState, username: &str) -> Result<(), ApiError> {
    if !is_username(username) {
        return Err(ApiError::bad_request(ApiErrorBody::for_field(
            ErrorCode::InvalidParameter,
            "username",
            "an account name is 3 to 40 of a-z, 0-9, '.', '-', '_'",
        )));
    }
    if account_by_name(&s.pool, username).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ApiErrorBody::for_field(
                ErrorCode::InvalidParameter,
                "username",
                format!("the account name {username} is taken"),
            ),
        ));
    }
    Ok(())
}

/// Creates an account for a producer with a random initial password that
/// must be changed at first sign-in; returns that password.
pub async fn create_account(
    s: &AppState,
    username: &str,
    producer_id: &str,
) -> Result<String, ApiError> {
    check_new_username(s, username).await?;
    let known: Option<(String,)> = sqlx::query_as("SELECT id FROM producers WHERE id = $1")
        .bind(producer_id)
        .fetch_optional(&s.pool)
        .await?;
    if known.is_none() {
        return Err(ApiError::not_found(
            ErrorCode::InvalidParameter,
            format!("no producer {producer_id}"),
        ));
    }
    let password = initial_password_for(username);
    let hash = hash_async(password.clone()).await?;
    let now = rfc3339_now(s);
    sqlx::query(
        "INSERT INTO accounts (username, role, producer_id, password_hash, must_change_password, \
         created_at, password_changed_at) VALUES ($1, 'producer', $2, $3, 1, $4, $5)",
    )
    .bind(username)
    .bind(producer_id)
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .execute(&s.pool)
    .await?;
    tracing::info!(username, producer = producer_id, "producer account created");
    Ok(password)
}

/// Creates a community digital helper's account (`helper add`): their
/// name, their commune and the team that follows from it, and a random
/// initial password that must be changed at first sign-in, which it
/// returns with the helper's details.
pub async fn create_helper(
    s: &AppState,
    username: &str,
    name: &str,
    commune: &str,
) -> Result<(String, HelperInfo), ApiError> {
    let helper = helper_info(name, commune)?;
    check_new_username(s, username).await?;
    let password = initial_password_for(username);
    let hash = hash_async(password.clone()).await?;
    let now = rfc3339_now(s);
    sqlx::query(
        "INSERT INTO accounts (username, role, helper_name, commune, team, password_hash, \
         must_change_password, created_at, password_changed_at) \
         VALUES ($1, 'helper', $2, $3, $4, $5, 1, $6, $7)",
    )
    .bind(username)
    .bind(&helper.name)
    .bind(&helper.commune)
    .bind(&helper.team)
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .execute(&s.pool)
    .await?;
    tracing::info!(username, team = %helper.team, "helper account created");
    Ok((password, helper))
}

/// A demo account of `seed/accounts.json`: a producer's (`producer`) or,
/// with `"role": "helper"`, a helper's (`name`, `commune`).
#[derive(Deserialize)]
pub(super) struct SeedAccount {
    username: String,
    #[serde(default)]
    role: Role,
    #[serde(default)]
    producer: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    commune: String,
    password_hash: String,
}

/// Creates the demo accounts that are missing (a producer's producer must exist),
/// and a published listing for every product that has none. Without
/// `demo`, deletes the demo accounts still on their demo password instead
/// (with their sessions), so a production database never keeps them.
pub async fn seed(pool: &AnyPool, now: &str, demo: bool) -> Result<(), sqlx::Error> {
    let accounts: Vec<SeedAccount> = serde_json::from_str(SEED_ACCOUNTS)
        .map_err(|e| sqlx::Error::Configuration(format!("seed accounts: {e}").into()))?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO listings (gtin, status) SELECT gtin, 'published' FROM products WHERE true \
         ON CONFLICT DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    for a in accounts.iter().filter(|_| !demo) {
        sqlx::query(
            "DELETE FROM sessions WHERE account_id IN \
             (SELECT id FROM accounts WHERE username = $1 AND password_hash = $2)",
        )
        .bind(&a.username)
        .bind(&a.password_hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(format!("account:{}", a.username))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM accounts WHERE username = $1 AND password_hash = $2")
            .bind(&a.username)
            .bind(&a.password_hash)
            .execute(&mut *tx)
            .await?;
    }
    for a in accounts.iter().filter(|a| demo && a.role == Role::Helper) {
        let h = helper_info(&a.name, &a.commune).map_err(|e| {
            sqlx::Error::Configuration(
                format!("seed accounts: {}: {}", a.username, e.body.message).into(),
            )
        })?;
        sqlx::query(
            "INSERT INTO accounts (username, role, helper_name, commune, team, \
             password_hash, must_change_password, created_at, password_changed_at) \
             VALUES ($1, 'helper', $2, $3, $4, $5, 0, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&a.username)
        .bind(&h.name)
        .bind(&h.commune)
        .bind(&h.team)
        .bind(&a.password_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for a in accounts.iter().filter(|a| demo && a.role == Role::Producer) {
        let producer: Option<(String,)> = sqlx::query_as("SELECT id FROM producers WHERE id = $1")
            .bind(&a.producer)
            .fetch_optional(&mut *tx)
            .await?;
        if producer.is_none() {
            tracing::warn!(username = %a.username, producer = %a.producer, "demo account skipped: no such producer");
            continue;
        }
        sqlx::query(
            "INSERT INTO accounts (username, role, producer_id, password_hash, \
             must_change_password, created_at, password_changed_at) \
             VALUES ($1, 'producer', $2, $3, 0, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&a.username)
        .bind(&a.producer)
        .bind(&a.password_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::verify_password;
    use cuaso_domain::producer::check_password;

    #[test]
    fn demo_accounts_match_their_documented_passwords() {
        let accounts: Vec<SeedAccount> = serde_json::from_str(SEED_ACCOUNTS).unwrap();
        // (account, producer or helper's name and commune, password)
        let documented = [
            ("tieucua", "htx-tieu-cua", "hat tieu thom cay"),
            ("talu", "ta-lu", "tho cam ta lu dep"),
            ("khesanh", "htx-khe-sanh", "ca phe khe sanh ngon"),
            ("vinhchap", "htx-vinh-chap", "nuoc mam vinh chap"),
            (
                "tocns.giolinh",
                "Nguyễn Thị Hoa, Xã Gio Linh",
                "giup ba con nop ho so",
            ),
            ("tocns.camlo", "Lê Văn Bình, Xã Cam Lộ", "ho tro dan cam lo"),
        ];
        assert_eq!(accounts.len(), documented.len());
        for (a, (user, who, pw)) in accounts.iter().zip(documented) {
            let seeded = match a.role {
                Role::Producer => a.producer.clone(),
                Role::Helper => {
                    let h = helper_info(&a.name, &a.commune).unwrap();
                    assert!(a.producer.is_empty(), "{user}");
                    format!("{}, {}", h.name, h.commune)
                }
            };
            assert_eq!((a.username.as_str(), seeded.as_str()), (user, who));
            assert!(is_username(user));
            assert_eq!(check_password(user, pw), Ok(()), "{user}");
            assert!(a
                .password_hash
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
            assert!(verify_password(pw, &a.password_hash), "{user}");
        }
    }

    #[test]
    fn teams_are_named_after_the_commune() {
        assert_eq!(
            team_name("Xã Gio Linh"),
            "Tổ công nghệ số cộng đồng xã Gio Linh"
        );
        assert_eq!(
            team_name("  Phường   Đông Hà "),
            "Tổ công nghệ số cộng đồng phường Đông Hà"
        );
        assert_eq!(
            team_name("Thị trấn Khe Sanh"),
            "Tổ công nghệ số cộng đồng thị trấn Khe Sanh"
        );
        assert_eq!(team_name("Cam Lộ"), "Tổ công nghệ số cộng đồng Cam Lộ");
    }

    #[test]
    fn helper_details_are_checked() {
        let h = helper_info(" Nguyễn  Thị Hoa ", "Xã Gio Linh").unwrap();
        assert_eq!(h.name, "Nguyễn Thị Hoa");
        assert_eq!(h.commune, "Xã Gio Linh");
        assert_eq!(h.team, "Tổ công nghệ số cộng đồng xã Gio Linh");
        for (name, commune, field) in [
            ("", "Xã Gio Linh", "name"),
            ("Hoa", "  ", "commune"),
            (&"a".repeat(101) as &str, "Xã Gio Linh", "name"),
            ("Hoa\u{202e}", "Xã Gio Linh", "name"),
        ] {
            let e = helper_info(name, commune).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert_eq!(e.body.field.as_deref(), Some(field), "{name:?} {commune:?}");
        }
    }
}
