//! `cuaso-server officer ...`: the back office on the command line, acting
//! directly on the database (`--db`) through the same functions as the
//! officer API ([`crate::dossiers`]). Prints JSON (a table for `list`);
//! on a refusal prints `error: <code>: <message>` to stderr and exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use cuaso_domain::status::Status;
use cuaso_domain::track::{DossierView, OfficerMove, RequestedDocument};
use cuaso_domain::ErrorCode;

use crate::dossiers::{self, Access};
use crate::http::ApiError;
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

/// A refusal, for the exit message.
#[derive(Debug)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        let body = e.body;
        let mut message = body.message;
        if let Some(field) = body
            .field
            .filter(|_| body.code != ErrorCode::InvalidTransition)
        {
            message = format!("{field}: {message}");
        }
        for p in body.fields {
            message.push_str(&format!("\n  {}: {}", p.field, p.message));
        }
        Refusal {
            code: body.code,
            message,
        }
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

fn status(n: u8) -> Result<Status, Refusal> {
    Status::from_code(n).ok_or_else(|| {
        refusal(
            ErrorCode::InvalidParameter,
            format!("status {n}: a status is a number from 1 to 10"),
        )
    })
}

fn print_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<(), Refusal> {
    let json =
        serde_json::to_string_pretty(v).map_err(|e| refusal(ErrorCode::Internal, e.to_string()))?;
    writeln!(out, "{json}").map_err(|e| refusal(ErrorCode::Internal, e.to_string()))
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
    let mut rows: Vec<[String; 7]> = vec![[
        "CODE".into(),
        "ST".into(),
        "STATUS".into(),
        "RECEIVED".into(),
        "DEADLINE".into(),
        "APPLICANT".into(),
        "PROCEDURE".into(),
    ]];
    for v in views {
        rows.push([
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
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, (w, c)) in widths.iter().zip(r).enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if views.is_empty() {
        out.push_str("(no dossiers)\n");
    }
    out
}

/// The `actor` recorded for reviews made from the CLI.
pub const REVIEWER: &str = "officer:cli";

#[derive(Args, Debug, Clone)]
pub struct ProducerArgs {
    #[command(subcommand)]
    pub command: ProducerCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ProducerCommand {
    /// Create a producer's account; prints a one-time initial password,
    /// which must be changed at first sign-in.
    Add {
        /// Account name: 3–40 of a-z, 0-9, '.', '-', '_'.
        #[arg(long)]
        username: String,
        /// The producer's id in the OCOP seed (e.g. htx-tieu-cua).
        #[arg(long)]
        producer: String,
    },
    /// Every producer's account, as a table.
    List,
}

#[derive(Args, Debug, Clone)]
pub struct HelperArgs {
    #[command(subcommand)]
    pub command: HelperCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum HelperCommand {
    /// Create a community digital helper's account (a member of the
    /// commune's Tổ công nghệ số cộng đồng); prints a one-time initial
    /// password, which must be changed at first sign-in.
    Add {
        /// Account name: 3–40 of a-z, 0-9, '.', '-', '_'.
        #[arg(long)]
        username: String,
        /// The helper's full name, e.g. "Nguyễn Thị Hoa".
        #[arg(long)]
        name: String,
        /// The commune whose team they belong to, e.g. "Xã Gio Linh".
        #[arg(long)]
        commune: String,
    },
    /// Every helper's account, as a table.
    List,
}

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

fn write_str(out: &mut impl Write, s: &str) -> Result<(), Refusal> {
    write!(out, "{s}").map_err(|e| refusal(ErrorCode::Internal, e.to_string()))
}

/// Columns padded to their widest cell.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; n];
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, (w, c)) in widths.iter().zip(r).enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Runs one `producer` command.
pub async fn run_producer(
    s: &AppState,
    args: &ProducerArgs,
    out: &mut impl Write,
) -> Result<(), Refusal> {
    match &args.command {
        ProducerCommand::Add { username, producer } => {
            let password = crate::accounts::create_account(s, username, producer).await?;
            write_str(
                out,
                &format!(
                    "account:  {username}\nproducer: {producer}\npassword: {password}\n\
                     Give this one-time password to the producer in person; it must be changed at first sign-in.\n"
                ),
            )
        }
        ProducerCommand::List => {
            let accounts =
                crate::accounts::list_accounts(s, cuaso_domain::producer::Role::Producer).await?;
            let mut rows = vec![vec![
                "USERNAME".to_string(),
                "PRODUCER".into(),
                "MUST_CHANGE".into(),
                "SESSIONS".into(),
                "PASSWORD_CHANGED".into(),
            ]];
            for a in &accounts {
                rows.push(vec![
                    a.username.clone(),
                    a.producer_id.clone(),
                    if a.must_change_password { "yes" } else { "no" }.into(),
                    a.sessions.to_string(),
                    a.password_changed_at.clone(),
                ]);
            }
            let mut text = columns(&rows);
            if accounts.is_empty() {
                text.push_str("(no accounts)\n");
            }
            write_str(out, &text)
        }
    }
}

/// Runs one `helper` command.
pub async fn run_helper(
    s: &AppState,
    args: &HelperArgs,
    out: &mut impl Write,
) -> Result<(), Refusal> {
    match &args.command {
        HelperCommand::Add {
            username,
            name,
            commune,
        } => {
            let (password, h) = crate::accounts::create_helper(s, username, name, commune).await?;
            write_str(
                out,
                &format!(
                    "account:  {username}\nname:     {}\nteam:     {}\npassword: {password}\n\
                     Give this one-time password to the helper in person; it must be changed at first sign-in.\n",
                    h.name, h.team
                ),
            )
        }
        HelperCommand::List => {
            let accounts =
                crate::accounts::list_accounts(s, cuaso_domain::producer::Role::Helper).await?;
            let mut rows = vec![vec![
                "USERNAME".to_string(),
                "NAME".into(),
                "COMMUNE".into(),
                "MUST_CHANGE".into(),
                "SESSIONS".into(),
                "PASSWORD_CHANGED".into(),
            ]];
            for a in &accounts {
                let h = a
                    .helper
                    .clone()
                    .unwrap_or(cuaso_domain::helper::HelperInfo {
                        name: String::new(),
                        team: String::new(),
                        commune: String::new(),
                    });
                rows.push(vec![
                    a.username.clone(),
                    h.name,
                    h.commune,
                    if a.must_change_password { "yes" } else { "no" }.into(),
                    a.sessions.to_string(),
                    a.password_changed_at.clone(),
                ]);
            }
            let mut text = columns(&rows);
            if accounts.is_empty() {
                text.push_str("(no accounts)\n");
            }
            write_str(out, &text)
        }
    }
}

fn cli_gtin(gtin: &str, lang: &str) -> Result<String, Refusal> {
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

/// `cuaso-server sweep`: one sweep now, its report as JSON on stdout.
#[derive(clap::Args, Debug, Clone)]
pub struct SweepArgs {
    /// Age beyond which an orphan goes, in seconds; default the server's
    /// `--upload-orphan-window-secs`. 0 removes every orphan: only while no
    /// server is receiving files.
    #[arg(long)]
    pub window_secs: Option<u64>,
    /// Count what would go, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs [`uploads::sweep`] for the CLI and prints its report.
pub async fn run_sweep(
    state: &AppState,
    args: &SweepArgs,
    default_window: Duration,
    out: &mut impl std::io::Write,
) -> Result<(), Refusal> {
    let internal = |message: String| refusal(ErrorCode::Internal, message);
    let window = args
        .window_secs
        .map(Duration::from_secs)
        .unwrap_or(default_window);
    let report = uploads::sweep(
        &state.pool,
        &state.uploads_dir,
        &state.clock,
        window,
        args.dry_run,
    )
    .await
    .map_err(|e| internal(format!("database: {e}")))?;
    let json = serde_json::to_string(&report).map_err(|e| internal(e.to_string()))?;
    writeln!(out, "{json}").map_err(|e| internal(e.to_string()))
}
