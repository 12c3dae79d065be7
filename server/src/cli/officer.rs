//! `cuaso-server officer ...`: dossiers on the command line, through the
//! same functions as the officer API (`crate::dossiers`); `list` prints a
//! table, the others the dossier as JSON.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use cuaso_domain::status::Status;
use cuaso_domain::track::{DossierView, OfficerMove, RequestedDocument};
use cuaso_domain::ErrorCode;

use super::{columns, print_json, refusal, Refusal};
use crate::dossiers::{self, Access};
use crate::uploads;
use crate::AppState;

/// The `actor` recorded for moves made from the CLI.
pub const WHO: &str = "officer:cli";

#[derive(Args, Debug, Clone)]
pub struct OfficerArgs {
    /// Language of refusal messages: vi or en.
    #[arg(long, default_value = "vi", global = true)]
    pub lang: String,
    #[command(subcommand)]
    pub command: OfficerCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum OfficerCommand {
    /// Dossiers, newest first (at most 200), as a table.
    List {
        /// Only this status (1–10).
        #[arg(long)]
        status: Option<u8>,
        /// Print the full views as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One dossier, everything, as JSON.
    Show { code: String },
    /// Move a dossier to a status (a reason is required into 3, 5, 6, 8).
    Move {
        code: String,
        /// The new status, 1–10.
        #[arg(long)]
        to: u8,
        #[arg(long)]
        reason: Option<String>,
        /// Into 6: the amount to pay, VND.
        #[arg(long)]
        amount: Option<u64>,
        /// Into 5: a missing document, "name" or "name|why"; repeat for each.
        #[arg(long = "document")]
        documents: Vec<String>,
    },
    /// Confirm the payment asked for (6 → 4, recorded as paid).
    ConfirmPayment {
        code: String,
        /// VND received.
        #[arg(long)]
        amount: u64,
    },
    /// Attach the result file (PDF, JPEG or PNG; at status 4 or 9).
    AttachResult { code: String, file: PathBuf },
}

pub(super) fn status(n: u8) -> Result<Status, Refusal> {
    Status::from_code(n).ok_or_else(|| {
        refusal(
            ErrorCode::InvalidParameter,
            format!("status {n}: a status is a number from 1 to 10"),
        )
    })
}

/// Runs one officer command against `s`, writing its output to `out`.
pub async fn run(s: &AppState, args: &OfficerArgs, out: &mut impl Write) -> Result<(), Refusal> {
    let lang = if args.lang == "en" { "en" } else { "vi" };
    match &args.command {
        OfficerCommand::List { status: st, json } => {
            let st = st.map(status).transpose()?;
            let views = dossiers::list(s, st).await?;
            if *json {
                print_json(out, &views)
            } else {
                write!(out, "{}", table(&views, lang))
                    .map_err(|e| refusal(ErrorCode::Internal, e.to_string()))
            }
        }
        OfficerCommand::Show { code } => {
            print_json(out, &dossiers::show(s, code, Access::Officer).await?)
        }
        OfficerCommand::Move {
            code,
            to,
            reason,
            amount,
            documents,
        } => {
            let mv = OfficerMove {
                to: status(*to)?,
                reason: reason.clone(),
                amount: *amount,
                documents: documents
                    .iter()
                    .map(|d| match d.split_once('|') {
                        Some((name, why)) => RequestedDocument {
                            name: name.trim().to_string(),
                            why: Some(why.trim().to_string()).filter(|w| !w.is_empty()),
                        },
                        None => RequestedDocument {
                            name: d.trim().to_string(),
                            why: None,
                        },
                    })
                    .collect(),
            };
            print_json(out, &dossiers::officer_move(s, code, &mv, WHO, lang).await?)
        }
        OfficerCommand::ConfirmPayment { code, amount } => print_json(
            out,
            &dossiers::confirm_payment(s, code, *amount, WHO, lang).await?,
        ),
        OfficerCommand::AttachResult { code, file } => {
            // Refuse before storing anything.
            dossiers::check_result_allowed(s, code).await?;
            let bytes = std::fs::read(file).map_err(|e| {
                refusal(
                    ErrorCode::InvalidParameter,
                    format!("{}: {e}", file.display()),
                )
            })?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let upload = uploads::store_bytes(s, &name, &bytes).await?;
            print_json(
                out,
                &dossiers::attach_result(s, code, &upload.id, WHO, lang).await?,
            )
        }
    }
}

/// `CODE  ST  STATUS  RECEIVED  DEADLINE  APPLICANT  PROCEDURE`, columns
/// padded to their widest cell.
pub fn table(views: &[DossierView], lang: &str) -> String {
    let mut rows: Vec<Vec<String>> = vec![vec![
        "CODE".into(),
        "ST".into(),
        "STATUS".into(),
        "RECEIVED".into(),
        "DEADLINE".into(),
        "APPLICANT".into(),
        "PROCEDURE".into(),
    ]];
    for v in views {
        rows.push(vec![
            v.code.clone(),
            v.status.code().to_string(),
            v.status.name(lang).to_string(),
            v.received_at
                .get(..16)
                .unwrap_or(&v.received_at)
                .replace('T', " "),
            v.deadline.clone(),
            v.private
                .as_ref()
                .map(|p| p.applicant_name.clone())
                .unwrap_or_default(),
            v.procedure_name.get(lang).to_string(),
        ]);
    }
    let mut out = columns(&rows);
    if views.is_empty() {
        out.push_str("(no dossiers)\n");
    }
    out
}
