//! The database: SQLite (the embedded default, one file) or PostgreSQL
//! (`--database-url postgres://…`), both through sqlx's `Any` driver with
//! one SQL text per query (`$1` parameters, portable SQL). Opening with
//! durable settings, migrations (`migrations/` for SQLite,
//! `migrations-pg/` for PostgreSQL, in lockstep), the versioned seed, and
//! the in-memory catalogue read from it.

use std::path::Path;
use std::str::FromStr;

use std::collections::{BTreeMap, HashMap};

use cuaso_domain::api::{Field, Procedure, Text};
use cuaso_domain::form::FormSchema;
use cuaso_domain::search::SearchDoc;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor, Row};

/// The seed files, versioned in the repository and compiled in.
const SEED_FIELDS: &str = include_str!("../../seed/fields.json");
const SEED_PROCEDURES: &str = include_str!("../../seed/procedures.json");
/// The online forms, by procedure code (see [`SeedForm`]).
pub const SEED_FORMS: &str = include_str!("../../seed/forms.json");
/// OCOP producers, products, batches and EPCIS events (see `products::seed`).
pub const SEED_OCOP: &str = include_str!("../../seed/ocop.json");
/// Tourism sites, every language side by side (see `sites::seed`).
pub const SEED_SITES: &str = include_str!("../../seed/sites.json");
/// Bump when the seed files change in a way an existing database should get.
const SEED_NAME: &str = "catalogue-v1";

/// Where the data lives.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// An SQLite file, created if needed (the embedded default).
    File(&'a Path),
    /// A database server's URL: `postgres://user:pass@host:5432/db`
    /// (`sqlite://…` works too).
    Url(&'a str),
}

/// Which SQL engine a pool talks to, for the rare statement with no
/// portable form (see [`begin_write`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The engine behind `pool`.
pub fn backend(pool: &AnyPool) -> Backend {
    match pool.connect_options().database_url.scheme() {
        "postgres" | "postgresql" => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// Is `url` a PostgreSQL URL?
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens (creating if needed) the database at `target`, migrates and seeds
/// it with the compiled-in seed files.
pub async fn open(target: Target<'_>) -> Result<AnyPool, sqlx::Error> {
    open_with_forms(target, SEED_FORMS).await
}

/// The advisory lock PostgreSQL servers take around start-up (migrations
/// and seeds) so that several starting at once seed only once.
const STARTUP_LOCK: i64 = 0x6375_6173_6f00_0001;
/// The advisory lock of [`begin_write`]: writers one at a time, as SQLite's
/// `BEGIN IMMEDIATE` has them.
const WRITE_LOCK: i64 = 0x6375_6173_6f00_0002;

/// Like [`open`], with the online forms from `forms_json` instead of
/// `seed/forms.json` (tests use their own).
/// SQLite: WAL with `synchronous=FULL`: an acknowledged write survives a
/// power cut. PostgreSQL: its own durability (fsync on commit by default).
pub async fn open_with_forms(target: Target<'_>, forms_json: &str) -> Result<AnyPool, sqlx::Error> {
    open_with(target, forms_json, DEFAULT_BUSY_TIMEOUT).await
}

/// How long an SQLite write waits for another writer's lock before it
/// fails (and the request answers 503 busy): `PRAGMA busy_timeout`.
pub const DEFAULT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// [`open_with_forms`], with SQLite's busy timeout `busy` instead of
/// [`DEFAULT_BUSY_TIMEOUT`].
pub async fn open_with(
    target: Target<'_>,
    forms_json: &str,
    busy: std::time::Duration,
) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let busy_pragma = format!("PRAGMA busy_timeout = {}", busy.as_millis());
    // A broken forms file stops the server before it touches the database.
    let forms = parse_forms(forms_json).map_err(config_err)?;
    let url = match target {
        Target::File(path) => {
            if let Some(dir) = path.parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
            }
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .to_url_lossy()
                .to_string()
        }
        Target::Url(url) => url.to_string(),
    };
    let opts = AnyConnectOptions::from_str(&url)?;
    let sqlite = !is_postgres_url(&url);
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(move |conn, _| {
            let busy_pragma = busy_pragma.clone();
            Box::pin(async move {
                if sqlite {
                    for pragma in [
                        "PRAGMA journal_mode = WAL",
                        "PRAGMA synchronous = FULL",
                        "PRAGMA foreign_keys = ON",
                        busy_pragma.as_str(),
                    ] {
                        conn.execute(pragma).await?;
                    }
                }
                Ok(())
            })
        })
        .connect_with(opts)
        .await?;
    // Several PostgreSQL servers may start at once: one migrates and seeds,
    // the others wait and then find it done.
    let mut lock = None;
    if backend(&pool) == Backend::Postgres {
        let mut conn = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK)
            .execute(&mut *conn)
            .await?;
        lock = Some(conn);
    }
    let done = async {
        match backend(&pool) {
            Backend::Sqlite => sqlx::migrate!("./migrations").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations-pg").run(&pool).await?,
        }
        seed(&pool).await?;
        seed_forms(&pool, forms_json, &forms).await
    }
    .await;
    if let Some(mut conn) = lock {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(STARTUP_LOCK)
            .execute(&mut *conn)
            .await?;
        // Lists order codes and names as SQLite does (bytewise) only in a
        // database created with the C collation.
        let (collation,): (String,) = sqlx::query_as(
            "SELECT datcollate::text FROM pg_database WHERE datname = current_database()",
        )
        .fetch_one(&mut *conn)
        .await?;
        if !matches!(collation.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8") {
            tracing::warn!(
                collation = %collation,
                "the database's collation is not C: lists may order differently from SQLite \
                 (create it with LC_COLLATE 'C' TEMPLATE template0)"
            );
        }
    }
    done?;
    Ok(pool)
}

/// Runs `f` under the start-up lock on PostgreSQL (the OCOP, sites and
/// accounts seeds, which several servers starting at once must not run
/// twice); on SQLite it just runs it.
pub async fn startup_locked<T, F>(pool: &AnyPool, f: F) -> Result<T, sqlx::Error>
where
    F: std::future::Future<Output = Result<T, sqlx::Error>>,
{
    if backend(pool) == Backend::Sqlite {
        return f.await;
    }
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(STARTUP_LOCK)
        .execute(&mut *conn)
        .await?;
    let out = f.await;
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(STARTUP_LOCK)
        .execute(&mut *conn)
        .await?;
    out
}

/// A write transaction, one at a time: SQLite's `BEGIN IMMEDIATE` (takes
/// the write lock now, so reads then writes in it cannot deadlock), or on
/// PostgreSQL a transaction holding one advisory lock until it ends, so
/// writers that read-then-write (counters, idempotency keys, event
/// numbers) see each other's commits as they do on SQLite.
pub async fn begin_write(
    pool: &AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match backend(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// Is `e` a uniqueness violation (SQLite's `UNIQUE constraint failed`,
/// PostgreSQL's 23505)?
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[derive(Deserialize)]
struct SeedField {
    code: String,
    name: Text,
}

/// A procedure as the seed file holds it: the API shape without `field_name`.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeedProcedure {
    pub code: String,
    pub name: Text,
    pub field: String,
    pub level: cuaso_domain::api::AgencyLevel,
    pub online: cuaso_domain::api::OnlineLevel,
    pub days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_note: Option<Text>,
    pub fees: cuaso_domain::api::Fees,
    pub applicants: Text,
    pub channels: Vec<cuaso_domain::api::Channel>,
    pub documents: Vec<cuaso_domain::api::RequiredDocument>,
    pub steps: Vec<Text>,
    pub agency: Text,
    pub result: Text,
    pub legal_basis: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<cuaso_domain::form::FormSchema>,
}

impl SeedProcedure {
    fn into_procedure(self, field_name: Text) -> Procedure {
        Procedure {
            code: self.code,
            name: self.name,
            field: self.field,
            field_name,
            level: self.level,
            online: self.online,
            days: self.days,
            days_note: self.days_note,
            fees: self.fees,
            applicants: self.applicants,
            channels: self.channels,
            documents: self.documents,
            steps: self.steps,
            agency: self.agency,
            result: self.result,
            legal_basis: self.legal_basis,
            form: self.form,
        }
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes`: names a version of a
/// seed file, or of a stored record.
pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))[..16].to_string()
}

/// The name a seed run is remembered by: `{kind}-{hash of the file}`.
pub fn seed_run_name(kind: &str, json: &str) -> String {
    format!("{kind}-{}", short_hash(json.as_bytes()))
}

/// Whether the seed run `name` was loaded already.
pub async fn seed_run_done(pool: &AnyPool, name: &str) -> Result<bool, sqlx::Error> {
    let done: Option<(String,)> = sqlx::query_as("SELECT name FROM seed_runs WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(done.is_some())
}

/// Records the seed run `name` as done and commits the transaction that
/// loaded it.
pub async fn finish_seed_run(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO seed_runs (name) VALUES ($1)")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Loads the seed files once, in one transaction.
async fn seed(pool: &AnyPool) -> Result<(), sqlx::Error> {
    if seed_run_done(pool, SEED_NAME).await? {
        return Ok(());
    }
    let fields: Vec<SeedField> = serde_json::from_str(SEED_FIELDS).map_err(decode_err)?;
    let procedures: Vec<SeedProcedure> =
        serde_json::from_str(SEED_PROCEDURES).map_err(decode_err)?;
    let mut tx = pool.begin().await?;
    for (i, f) in fields.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fields (code, name_vi, name_en, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(&f.code)
        .bind(&f.name.vi)
        .bind(&f.name.en)
        .bind(i as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (i, p) in procedures.iter().enumerate() {
        insert_procedure(&mut tx, p, i as i64).await?;
    }
    finish_seed_run(tx, SEED_NAME).await?;
    tracing::info!(
        fields = fields.len(),
        procedures = procedures.len(),
        "seeded the catalogue"
    );
    Ok(())
}

/// Inserts one procedure (used by the seed and by benchmarks that grow the catalogue).
pub async fn insert_procedure(
    conn: &mut sqlx::AnyConnection,
    p: &SeedProcedure,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedures (code, field_code, name_vi, name_en, position, body) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&p.code)
    .bind(&p.field)
    .bind(&p.name.vi)
    .bind(&p.name.en)
    .bind(position)
    .bind(serde_json::to_string(p).map_err(decode_err)?)
    .execute(conn)
    .await?;
    Ok(())
}

fn decode_err(e: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

fn config_err(message: String) -> sqlx::Error {
    sqlx::Error::Configuration(message.into())
}

/// One procedure's online application, as `seed/forms.json` holds it (keyed
/// by procedure code).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeedForm {
    /// Short code of the receiving agency, used in dossier codes: `QT.XA`.
    pub agency_code: String,
    /// How to reach the agency (phone, address), shown on the receipt.
    pub contact: Text,
    pub form: FormSchema,
}

/// Is `code` usable in a dossier code: 2–20 of `[A-Z0-9.]`, dot-separated
/// parts, no dash (the dash separates the parts of a dossier code)?
pub use cuaso_domain::track::is_agency_code;

/// Parses the forms file and checks every entry: a well-formed procedure
/// code, agency code and contact, and a schema that passes
/// [`FormSchema::check`]. Returns the first problem.
pub fn parse_forms(json: &str) -> Result<BTreeMap<String, SeedForm>, String> {
    let forms: BTreeMap<String, SeedForm> =
        serde_json::from_str(json).map_err(|e| format!("seed forms: {e}"))?;
    for (code, f) in &forms {
        if !cuaso_domain::api::is_procedure_code(code) {
            return Err(format!("seed forms: bad procedure code {code:?}"));
        }
        if !is_agency_code(&f.agency_code) {
            return Err(format!(
                "seed forms: {code}: bad agency_code {:?}",
                f.agency_code
            ));
        }
        if f.contact.vi.trim().is_empty() {
            return Err(format!("seed forms: {code}: empty contact"));
        }
        f.form
            .check()
            .map_err(|e| format!("seed forms: {code}: {e}"))?;
    }
    Ok(forms)
}

/// Loads the online forms once per version of the file (the run is named by
/// the file's hash), replacing what an earlier version loaded.
async fn seed_forms(
    pool: &AnyPool,
    json: &str,
    forms: &BTreeMap<String, SeedForm>,
) -> Result<(), sqlx::Error> {
    let run = seed_run_name("forms", json);
    if seed_run_done(pool, &run).await? {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for (code, f) in forms {
        let known: Option<(String,)> =
            sqlx::query_as("SELECT code FROM procedures WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_none() {
            return Err(config_err(format!(
                "seed forms: no procedure {code} in the catalogue"
            )));
        }
        sqlx::query(
            "INSERT INTO procedure_forms (procedure_code, agency_code, contact_vi, contact_en, form) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (procedure_code) DO UPDATE SET agency_code = excluded.agency_code, \
             contact_vi = excluded.contact_vi, contact_en = excluded.contact_en, form = excluded.form",
        )
        .bind(code)
        .bind(&f.agency_code)
        .bind(&f.contact.vi)
        .bind(&f.contact.en)
        .bind(serde_json::to_string(&f.form).map_err(decode_err)?)
        .execute(&mut *tx)
        .await?;
    }
    let existing: Vec<(String,)> = sqlx::query_as("SELECT procedure_code FROM procedure_forms")
        .fetch_all(&mut *tx)
        .await?;
    for (code,) in existing {
        if !forms.contains_key(&code) {
            sqlx::query("DELETE FROM procedure_forms WHERE procedure_code = $1")
                .bind(&code)
                .execute(&mut *tx)
                .await?;
        }
    }
    finish_seed_run(tx, &run).await?;
    tracing::info!(forms = forms.len(), run = %run, "seeded the online forms");
    Ok(())
}

/// What a procedure with an online form needs beyond the [`Procedure`].
#[derive(Debug, Clone)]
pub struct OnlineForm {
    pub agency_code: String,
    pub contact: Text,
}

/// The catalogue as the API serves it, read from the database at start-up.
/// It changes only through the seed, so reads never touch SQLite.
pub struct Catalogue {
    pub fields: Vec<Field>,
    /// In catalogue order.
    pub procedures: Vec<Procedure>,
    /// `docs[i]` is the folded search entry of `procedures[i]`.
    pub docs: Vec<SearchDoc>,
    /// Agency code and contact of the procedures that have a form, by code.
    pub online: HashMap<String, OnlineForm>,
}

impl Catalogue {
    pub async fn load(pool: &AnyPool) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT f.code, f.name_vi, f.name_en, COUNT(p.code) AS n \
             FROM fields f LEFT JOIN procedures p ON p.field_code = f.code \
             GROUP BY f.code ORDER BY f.position",
        )
        .fetch_all(pool)
        .await?;
        let mut fields = Vec::with_capacity(rows.len());
        for r in rows {
            fields.push(Field {
                code: r.try_get("code")?,
                name: Text {
                    vi: r.try_get("name_vi")?,
                    en: r.try_get("name_en")?,
                },
                procedure_count: r.try_get::<i64, _>("n")? as u32,
            });
        }
        let rows = sqlx::query(
            "SELECT p.body, f.agency_code, f.contact_vi, f.contact_en, f.form \
             FROM procedures p LEFT JOIN procedure_forms f ON f.procedure_code = p.code \
             ORDER BY p.position, p.code",
        )
        .fetch_all(pool)
        .await?;
        let mut online = HashMap::new();
        let mut procedures = Vec::with_capacity(rows.len());
        let mut docs = Vec::with_capacity(rows.len());
        for r in rows {
            let body: String = r.try_get("body")?;
            let mut seed: SeedProcedure = serde_json::from_str(&body).map_err(decode_err)?;
            if let Some(form) = r.try_get::<Option<String>, _>("form")? {
                let form: FormSchema = serde_json::from_str(&form).map_err(decode_err)?;
                form.check()
                    .map_err(|e| config_err(format!("form of {}: {e}", seed.code)))?;
                seed.form = Some(form);
                online.insert(
                    seed.code.clone(),
                    OnlineForm {
                        agency_code: r.try_get("agency_code")?,
                        contact: Text {
                            vi: r.try_get("contact_vi")?,
                            en: r.try_get("contact_en")?,
                        },
                    },
                );
            }
            let field_name = fields
                .iter()
                .find(|f| f.code == seed.field)
                .map(|f| f.name.clone())
                .unwrap_or_else(|| Text {
                    vi: seed.field.clone(),
                    en: seed.field.clone(),
                });
            let p = seed.into_procedure(field_name);
            docs.push(SearchDoc::new(
                &p.name.vi,
                &[&p.name.en, &p.field_name.vi, &p.field_name.en],
                &p.code,
            ));
            procedures.push(p);
        }
        Ok(Catalogue {
            fields,
            procedures,
            docs,
            online,
        })
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    pub fn has_field(&self, code: &str) -> bool {
        self.fields.iter().any(|f| f.code == code)
    }
}
