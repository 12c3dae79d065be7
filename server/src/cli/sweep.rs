//! `cuaso-server sweep`: one sweep of orphan uploads now
//! (`crate::uploads`), its report as JSON.

use std::time::Duration;

use cuaso_domain::ErrorCode;

use super::{refusal, Refusal};
use crate::uploads;
use crate::AppState;

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
