//! `cuaso-server producer ...` and `helper ...`: make accounts (with a
//! one-time password) and list them.

use std::io::Write;

use clap::{Args, Subcommand};

use super::{columns, write_str, Refusal};
use crate::AppState;

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
