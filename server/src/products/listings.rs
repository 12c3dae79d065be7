//! Listings: each OCOP product's state with the reviewers, the producer's
//! correction proposal, and the officer's review. The officer API
//! (`review.rs`) and the CLI (`crate::cli`) review through the same
//! functions; the producer portal (`portal.rs`) saves and withdraws
//! proposals through them.

use axum::http::StatusCode;
use cuaso_domain::api::Text;
use cuaso_domain::producer::{check_proposal, ListingStatus, Proposal, ReviewItem, NOTE_MAX};
use cuaso_domain::validate::check_text;
use cuaso_domain::{ApiErrorBody, ErrorCode, FieldProblem};
use sqlx::{AnyPool, Row};

use super::seed::ProductBody;
use super::store::product_not_found;
use crate::http::ApiError;
use crate::AppState;

/// A listing as stored.
#[derive(Debug, Clone)]
pub struct ListingRow {
    pub gtin: String,
    pub producer_id: String,
    pub name: Text,
    pub status: ListingStatus,
    pub proposal: Option<Proposal>,
    pub review_note: Option<String>,
    pub updated_at: Option<String>,
}

fn broken(e: serde_json::Error) -> ApiError {
    tracing::error!(error = %e, "listings: stored JSON does not parse");
    ApiError::internal("stored data is broken")
}

const COLUMNS: &str =
    "l.gtin, p.producer_id, p.body, l.status, l.proposal, l.review_note, l.updated_at";

fn row(r: &sqlx::any::AnyRow) -> Result<ListingRow, ApiError> {
    let body: String = r.try_get("body")?;
    let body: ProductBody = serde_json::from_str(&body).map_err(broken)?;
    let status: String = r.try_get("status")?;
    let proposal: Option<String> = r.try_get("proposal")?;
    Ok(ListingRow {
        gtin: r.try_get("gtin")?,
        producer_id: r.try_get("producer_id")?,
        name: body.name,
        status: ListingStatus::parse(&status).unwrap_or(ListingStatus::Published),
        proposal: proposal
            .map(|p| serde_json::from_str(&p))
            .transpose()
            .map_err(broken)?,
        review_note: r.try_get("review_note")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The listing of a product (every seeded product has one).
pub async fn find(pool: &AnyPool, gtin: &str) -> Result<Option<ListingRow>, ApiError> {
    let r = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM listings l JOIN products p ON p.gtin = l.gtin WHERE l.gtin = $1"
    ))
    .bind(gtin)
    .fetch_optional(pool)
    .await?;
    r.as_ref().map(row).transpose()
}

/// The listings of one producer, in catalogue order.
pub async fn of_producer(pool: &AnyPool, producer_id: &str) -> Result<Vec<ListingRow>, ApiError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM listings l JOIN products p ON p.gtin = l.gtin \
         WHERE p.producer_id = $1 ORDER BY p.position"
    ))
    .bind(producer_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(row).collect()
}

fn item(l: ListingRow) -> ReviewItem {
    ReviewItem {
        gtin: l.gtin,
        producer_id: l.producer_id,
        name: l.name,
        status: l.status,
        proposal: l.proposal,
        review_note: l.review_note,
        updated: l.updated_at,
    }
}

/// The review queue: listings of one status (oldest saved first), or all.
pub async fn list(
    s: &AppState,
    status: Option<ListingStatus>,
) -> Result<Vec<ReviewItem>, ApiError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM listings l JOIN products p ON p.gtin = l.gtin \
         WHERE $1 IS NULL OR l.status = $1 \
         ORDER BY l.updated_at IS NOT NULL, l.updated_at, p.position"
    ))
    .bind(status.map(ListingStatus::as_str))
    .fetch_all(&s.pool)
    .await?;
    rows.iter().map(|r| row(r).map(item)).collect()
}

/// One review item, or 404 `product_not_found`.
pub async fn show(s: &AppState, gtin: &str) -> Result<ReviewItem, ApiError> {
    Ok(item(
        find(&s.pool, gtin)
            .await?
            .ok_or_else(|| product_not_found(gtin))?,
    ))
}

async fn audit(
    conn: &mut sqlx::AnyConnection,
    gtin: &str,
    action: &str,
    note: Option<&str>,
    actor: &str,
    at: &str,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO listing_reviews (gtin, action, note, actor, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(gtin)
    .bind(action)
    .bind(note)
    .bind(actor)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

fn now(s: &AppState) -> String {
    crate::infra::clock::utc_string(s.clock.system_time())
}

/// 400 `validation` with the proposal's problems, worded in `lang`.
pub fn check(p: &Proposal, lang: &str) -> Result<(), ApiError> {
    let problems = check_proposal(p);
    if problems.is_empty() {
        return Ok(());
    }
    let fields: Vec<FieldProblem> = problems
        .iter()
        .map(|(k, p)| p.to_field_problem(k, lang))
        .collect();
    Err(ApiError::bad_request(ApiErrorBody {
        code: ErrorCode::Validation,
        message: format!("the proposal has {} problem(s)", fields.len()),
        field: None,
        fields,
    }))
}

/// Saves the producer's proposal: a draft, or (`submit`) sent for review.
/// A pending proposal may be replaced.
pub async fn save_proposal(
    s: &AppState,
    gtin: &str,
    proposal: &Proposal,
    submit: bool,
    actor: &str,
    lang: &str,
) -> Result<(), ApiError> {
    check(proposal, lang)?;
    let status = if submit {
        ListingStatus::Pending
    } else {
        ListingStatus::Draft
    };
    let at = now(s);
    let json = serde_json::to_string(proposal).map_err(broken)?;
    let mut tx = s.pool.begin().await?;
    let n = sqlx::query(
        "UPDATE listings SET status = $1, proposal = $2, updated_at = $3 WHERE gtin = $4",
    )
    .bind(status.as_str())
    .bind(&json)
    .bind(&at)
    .bind(gtin)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(product_not_found(gtin));
    }
    let action = if submit { "submitted" } else { "saved" };
    audit(&mut tx, gtin, action, None, actor, &at).await?;
    tx.commit().await.map_err(ApiError::from)
}

/// Withdraws the proposal: the listing is published as approved before.
pub async fn withdraw(s: &AppState, gtin: &str, actor: &str) -> Result<(), ApiError> {
    let at = now(s);
    let mut tx = s.pool.begin().await?;
    let had: Option<(Option<String>,)> =
        sqlx::query_as("SELECT proposal FROM listings WHERE gtin = $1")
            .bind(gtin)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((proposal,)) = had else {
        return Err(product_not_found(gtin));
    };
    if proposal.is_none() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE listings SET status = 'published', proposal = NULL, review_note = NULL, \
         updated_at = $1 WHERE gtin = $2",
    )
    .bind(&at)
    .bind(gtin)
    .execute(&mut *tx)
    .await?;
    audit(&mut tx, gtin, "withdrawn", None, actor, &at).await?;
    tx.commit().await.map_err(ApiError::from)
}

fn wrong_status(l: &ListingRow) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ApiErrorBody::new(
            ErrorCode::WrongStatus,
            format!(
                "listing {} is {}, not pending review",
                l.gtin,
                l.status.as_str()
            ),
        ),
    )
}

/// A review note: 1..=[`NOTE_MAX`] characters (`required` says whether an
/// empty one is refused).
fn note(note: Option<&str>, required: bool, lang: &str) -> Result<Option<String>, ApiError> {
    let n = note.map(str::trim).filter(|n| !n.is_empty());
    let problem = match n {
        None if required => Some(cuaso_domain::validate::Problem::Required),
        None => None,
        Some(t) => check_text(t, NOTE_MAX, true).err(),
    };
    if let Some(p) = problem {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiErrorBody {
                code: ErrorCode::Validation,
                message: format!("note: {}", p.message("en")),
                field: None,
                fields: vec![p.to_field_problem("note", lang)],
            },
        ));
    }
    Ok(n.map(str::to_string))
}

/// Approves the pending proposal: applied to the product (the public page
/// shows it from now on), the listing published, the proposal cleared.
pub async fn approve(
    s: &AppState,
    gtin: &str,
    note_text: Option<&str>,
    actor: &str,
    lang: &str,
) -> Result<ReviewItem, ApiError> {
    let note = note(note_text, false, lang)?;
    let l = find(&s.pool, gtin)
        .await?
        .ok_or_else(|| product_not_found(gtin))?;
    let proposal = match (&l.status, &l.proposal) {
        (ListingStatus::Pending, Some(p)) => p.clone(),
        _ => return Err(wrong_status(&l)),
    };
    let at = now(s);
    let mut tx = s.pool.begin().await?;
    let (body,): (String,) = sqlx::query_as("SELECT body FROM products WHERE gtin = $1")
        .bind(gtin)
        .fetch_one(&mut *tx)
        .await?;
    let body: ProductBody = serde_json::from_str(&body).map_err(broken)?;
    let body = apply(&proposal, body);
    // Only if still pending: two reviewers cannot both apply.
    let n = sqlx::query(
        "UPDATE listings SET status = 'published', proposal = NULL, approved = $1, review_note = $2, \
         updated_at = $3, reviewed_at = $4, reviewed_by = $5 WHERE gtin = $6 AND status = 'pending'",
    )
    .bind(serde_json::to_string(&proposal).map_err(broken)?)
    .bind(&note)
    .bind(&at)
    .bind(&at)
    .bind(actor)
    .bind(gtin)
    .execute(&mut *tx)
    .await
    ?
    .rows_affected();
    if n == 0 {
        return Err(wrong_status(&l));
    }
    sqlx::query("UPDATE products SET body = $1 WHERE gtin = $2")
        .bind(serde_json::to_string(&body).map_err(broken)?)
        .bind(gtin)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, gtin, "approved", note.as_deref(), actor, &at).await?;
    tx.commit().await?;
    tracing::info!(gtin, actor, "listing approved");
    show(s, gtin).await
}

/// Sends the pending proposal back with a note (required): the producer
/// sees the note and can edit the proposal; the public page is unchanged.
pub async fn reject(
    s: &AppState,
    gtin: &str,
    note_text: Option<&str>,
    actor: &str,
    lang: &str,
) -> Result<ReviewItem, ApiError> {
    let note = note(note_text, true, lang)?;
    let l = find(&s.pool, gtin)
        .await?
        .ok_or_else(|| product_not_found(gtin))?;
    if l.status != ListingStatus::Pending {
        return Err(wrong_status(&l));
    }
    let at = now(s);
    let mut tx = s.pool.begin().await?;
    let n = sqlx::query(
        "UPDATE listings SET status = 'changes_requested', review_note = $1, updated_at = $2, \
         reviewed_at = $3, reviewed_by = $4 WHERE gtin = $5 AND status = 'pending'",
    )
    .bind(&note)
    .bind(&at)
    .bind(&at)
    .bind(actor)
    .bind(gtin)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(wrong_status(&l));
    }
    audit(&mut tx, gtin, "rejected", note.as_deref(), actor, &at).await?;
    tx.commit().await?;
    tracing::info!(gtin, actor, "listing sent back");
    show(s, gtin).await
}

/// The stored product with the proposal applied (through
/// [`Proposal::apply`], so the editable part is defined once).
pub fn apply(proposal: &Proposal, body: ProductBody) -> ProductBody {
    let product = cuaso_domain::product::Product {
        gtin: body.gtin,
        name: body.name,
        group: body.group,
        stars: body.stars,
        certificate: body.certificate,
        photos: body.photos,
        description: body.description,
        ingredients: body.ingredients,
        shelf_life_days: body.shelf_life_days,
        net_content: body.net_content,
        points_of_sale: body.points_of_sale,
        producer: cuaso_domain::product::Producer {
            id: String::new(),
            name: Text::default(),
            kind: cuaso_domain::product::ProducerKind::Cooperative,
            commune: String::new(),
            province: String::new(),
            address: None,
            phone: None,
            email: None,
            website: None,
            location: None,
        },
        batches: Vec::new(),
    };
    let p = proposal.apply(&product);
    ProductBody {
        gtin: p.gtin,
        name: p.name,
        group: p.group,
        stars: p.stars,
        certificate: p.certificate,
        photos: p.photos,
        description: p.description,
        ingredients: p.ingredients,
        shelf_life_days: p.shelf_life_days,
        net_content: p.net_content,
        points_of_sale: p.points_of_sale,
    }
}

/// After the OCOP seed replaced the products: applies each listing's last
/// approved proposal again, drops listings of products that are gone, and
/// accounts of producers that are gone (their sessions with them).
pub async fn after_reseed(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM listings WHERE gtin NOT IN (SELECT gtin FROM products)")
        .execute(&mut *conn)
        .await?;
    let gone = sqlx::query(
        "DELETE FROM accounts WHERE role = 'producer' \
             AND producer_id NOT IN (SELECT id FROM producers)",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if gone > 0 {
        tracing::warn!(
            accounts = gone,
            "accounts of producers no longer in the seed were removed"
        );
    }
    let approved: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT l.gtin, l.approved, p.body FROM listings l JOIN products p ON p.gtin = l.gtin \
         WHERE l.approved IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (gtin, proposal, body) in approved {
        let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        let proposal: Proposal = serde_json::from_str(&proposal).map_err(decode)?;
        let body: ProductBody = serde_json::from_str(&body).map_err(decode)?;
        sqlx::query("UPDATE products SET body = $1 WHERE gtin = $2")
            .bind(serde_json::to_string(&apply(&proposal, body)).map_err(decode)?)
            .bind(&gtin)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
