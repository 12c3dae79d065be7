//! SQLite: opening with durable settings, migrations, the versioned seed, and
//! the in-memory catalogue read from it.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use cuaso_domain::api::{Field, Procedure, Text};
use cuaso_domain::search::SearchDoc;
use serde::Deserialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

/// The seed files, versioned in the repository and compiled in.
const SEED_FIELDS: &str = include_str!("../seed/fields.json");
const SEED_PROCEDURES: &str = include_str!("../seed/procedures.json");
/// Bump when the seed files change in a way an existing database should get.
const SEED_NAME: &str = "catalogue-v1";

/// Opens (creating if needed) the database at `path`, migrates and seeds it.
/// WAL with `synchronous=FULL`: an acknowledged write survives a power cut.
pub async fn open(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
    }
    let opts = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(opts)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    seed(&pool).await?;
    Ok(pool)
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

/// Loads the seed files once, in one transaction.
async fn seed(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let done: Option<(String,)> = sqlx::query_as("SELECT name FROM seed_runs WHERE name = ?")
        .bind(SEED_NAME)
        .fetch_optional(pool)
        .await?;
    if done.is_some() {
        return Ok(());
    }
    let fields: Vec<SeedField> = serde_json::from_str(SEED_FIELDS).map_err(decode_err)?;
    let procedures: Vec<SeedProcedure> =
        serde_json::from_str(SEED_PROCEDURES).map_err(decode_err)?;
    let mut tx = pool.begin().await?;
    for (i, f) in fields.iter().enumerate() {
        sqlx::query("INSERT INTO fields (code, name_vi, name_en, position) VALUES (?, ?, ?, ?)")
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
    sqlx::query("INSERT INTO seed_runs (name) VALUES (?)")
        .bind(SEED_NAME)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        fields = fields.len(),
        procedures = procedures.len(),
        "seeded the catalogue"
    );
    Ok(())
}

/// Inserts one procedure (used by the seed and by benchmarks that grow the catalogue).
pub async fn insert_procedure(
    conn: &mut sqlx::SqliteConnection,
    p: &SeedProcedure,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedures (code, field_code, name_vi, name_en, position, body) \
         VALUES (?, ?, ?, ?, ?, ?)",
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

/// The catalogue as the API serves it, read from the database at start-up.
/// It changes only through the seed, so reads never touch SQLite.
pub struct Catalogue {
    pub fields: Vec<Field>,
    /// In catalogue order.
    pub procedures: Vec<Procedure>,
    /// `docs[i]` is the folded search entry of `procedures[i]`.
    pub docs: Vec<SearchDoc>,
}

impl Catalogue {
    pub async fn load(pool: &SqlitePool) -> Result<Self, sqlx::Error> {
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
        let rows = sqlx::query("SELECT body FROM procedures ORDER BY position, code")
            .fetch_all(pool)
            .await?;
        let mut procedures = Vec::with_capacity(rows.len());
        let mut docs = Vec::with_capacity(rows.len());
        for r in rows {
            let body: String = r.try_get("body")?;
            let seed: SeedProcedure = serde_json::from_str(&body).map_err(decode_err)?;
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
        })
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    pub fn has_field(&self, code: &str) -> bool {
        self.fields.iter().any(|f| f.code == code)
    }
}
