//! `cuaso-server feedback ...`: citizens' reports, through the same
//! functions as `/api/v1/officer/feedback/...` (`crate::feedback`).

use std::io::Write;

use clap::{Args, Subcommand};
use cuaso_domain::ErrorCode;

use super::officer::WHO;
use super::{columns, print_json, refusal, write_str, Refusal};
use crate::AppState;

#[derive(Args, Debug, Clone)]
pub struct FeedbackArgs {
    /// Language of refusal messages: vi or en.
    #[arg(long, default_value = "vi", global = true)]
    pub lang: String,
    #[command(subcommand)]
    pub command: FeedbackCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum FeedbackCommand {
    /// Citizens' reports, newest first (at most 200), as a table.
    List {
        /// Only this status: received, assigned, answered, rejected (or all).
        #[arg(long, default_value = "all")]
        status: String,
        /// Print the full views (contact and position included) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// One report, everything, as JSON.
    Show { code: String },
    /// Assign (or re-assign) a report to the agency that handles it.
    Assign {
        code: String,
        #[arg(long)]
        agency: String,
    },
    /// Record the assigned agency's answer (final; the citizen can rate it).
    Answer {
        code: String,
        #[arg(long)]
        text: String,
    },
    /// Reject a report with the reason the citizen will read (final).
    Reject {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Put an answered report on the public list (without the reporter's
    /// details), or take it off with --unpublish.
    Publish {
        code: String,
        #[arg(long)]
        unpublish: bool,
    },
}

/// Runs one `feedback` command, through the same functions as
/// `/api/v1/officer/feedback/...`.
pub async fn run_feedback(
    s: &AppState,
    args: &FeedbackArgs,
    out: &mut impl Write,
) -> Result<(), Refusal> {
    use crate::feedback;
    let lang = if args.lang == "en" { "en" } else { "vi" };
    match &args.command {
        FeedbackCommand::List { status, json } => {
            let st = feedback::status_filter(status)
                .map_err(|m| refusal(ErrorCode::InvalidParameter, m))?;
            let views = feedback::list_all(s, st).await?;
            if *json {
                return print_json(out, &views);
            }
            let mut rows = vec![vec![
                "CODE".to_string(),
                "STATUS".into(),
                "CATEGORY".into(),
                "RECEIVED".into(),
                "AGENCY".into(),
                "PUBLIC".into(),
                "TITLE".into(),
            ]];
            for v in &views {
                let agency = v
                    .timeline
                    .iter()
                    .rev()
                    .find_map(|e| e.agency.clone())
                    .unwrap_or_default();
                rows.push(vec![
                    v.code.clone(),
                    v.status.as_str().into(),
                    v.category.as_str().into(),
                    v.received_at
                        .get(..16)
                        .unwrap_or(&v.received_at)
                        .replace('T', " "),
                    agency,
                    if v.published { "yes" } else { "no" }.into(),
                    v.content
                        .as_ref()
                        .map(|c| c.title.clone())
                        .unwrap_or_default(),
                ]);
            }
            let mut text = columns(&rows);
            if views.is_empty() {
                text.push_str("(no reports)\n");
            }
            write_str(out, &text)
        }
        FeedbackCommand::Show { code } => print_json(out, &feedback::show(s, code).await?),
        FeedbackCommand::Assign { code, agency } => {
            print_json(out, &feedback::assign(s, code, agency, WHO, lang).await?)
        }
        FeedbackCommand::Answer { code, text } => {
            print_json(out, &feedback::answer(s, code, text, WHO, lang).await?)
        }
        FeedbackCommand::Reject { code, reason } => {
            print_json(out, &feedback::reject(s, code, reason, WHO, lang).await?)
        }
        FeedbackCommand::Publish { code, unpublish } => {
            print_json(out, &feedback::publish(s, code, !unpublish, WHO).await?)
        }
    }
}
