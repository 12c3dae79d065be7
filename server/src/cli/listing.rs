//! `cuaso-server listing ...`: producers' proposals, listed, approved or
//! sent back through the same functions as the officer API
//! (`crate::products`).

use std::io::Write;

use clap::{Args, Subcommand};
use cuaso_domain::ErrorCode;

use super::{columns, print_json, refusal, write_str, Refusal};
use crate::AppState;

/// The `actor` recorded for reviews made from the CLI.
pub const REVIEWER: &str = "officer:cli";

#[derive(Args, Debug, Clone)]
pub struct ListingArgs {
    /// Language of refusal messages: vi or en.
    #[arg(long, default_value = "vi", global = true)]
    pub lang: String,
    #[command(subcommand)]
    pub command: ListingCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ListingCommand {
    /// Listings of a status (pending by default; or draft,
    /// changes_requested, published, all), as a table.
    List {
        #[arg(long, default_value = "pending")]
        status: String,
        /// Print the review items (with their proposals) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve the pending proposal: the public page shows it from now on.
    Approve {
        gtin: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Send the pending proposal back with a note saying what to change.
    Reject {
        gtin: String,
        #[arg(long)]
        note: String,
    },
}

pub(super) fn cli_gtin(gtin: &str, lang: &str) -> Result<String, Refusal> {
    cuaso_domain::gs1::gtin14(gtin.trim()).map_err(|e| {
        refusal(
            ErrorCode::BadDigitalLink,
            format!("{gtin}: {}", e.message(lang)),
        )
    })
}

/// Runs one `listing` command.
pub async fn run_listing(
    s: &AppState,
    args: &ListingArgs,
    out: &mut impl Write,
) -> Result<(), Refusal> {
    let lang = if args.lang == "en" { "en" } else { "vi" };
    match &args.command {
        ListingCommand::List { status, json } => {
            let st = crate::products::listing_status(status)
                .map_err(|m| refusal(ErrorCode::InvalidParameter, m))?;
            let items = crate::products::review_queue(s, st).await?;
            if *json {
                return print_json(out, &items);
            }
            let mut rows = vec![vec![
                "GTIN".to_string(),
                "STATUS".into(),
                "PRODUCER".into(),
                "UPDATED".into(),
                "NAME".into(),
            ]];
            for i in &items {
                rows.push(vec![
                    i.gtin.clone(),
                    i.status.as_str().into(),
                    i.producer_id.clone(),
                    i.updated.clone().unwrap_or_default(),
                    i.name.get(lang).to_string(),
                ]);
            }
            let mut text = columns(&rows);
            if items.is_empty() {
                text.push_str("(no listings)\n");
            }
            write_str(out, &text)
        }
        ListingCommand::Approve { gtin, note } => {
            let gtin = cli_gtin(gtin, lang)?;
            print_json(
                out,
                &crate::products::approve(s, &gtin, note.as_deref(), REVIEWER, lang).await?,
            )
        }
        ListingCommand::Reject { gtin, note } => {
            let gtin = cli_gtin(gtin, lang)?;
            print_json(
                out,
                &crate::products::reject(s, &gtin, Some(note), REVIEWER, lang).await?,
            )
        }
    }
}
