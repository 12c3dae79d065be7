//! The command line's administration commands, acting directly on the
//! database (`--db`) through the same functions as the API: `officer`
//! (dossiers), `producer` and `helper` (accounts), `listing` (proposals),
//! `feedback` (reports), `sweep` (orphan uploads). Each prints JSON or a
//! table; a refusal prints `error: <code>: <message>` to stderr and exits 1.

mod accounts;
mod feedback;
mod listing;
mod officer;
mod sweep;

use std::io::Write;

use cuaso_domain::ErrorCode;

use crate::http::ApiError;

pub use accounts::{
    run_helper, run_producer, HelperArgs, HelperCommand, ProducerArgs, ProducerCommand,
};
pub use feedback::{run_feedback, FeedbackArgs, FeedbackCommand};
pub use listing::{run_listing, ListingArgs, ListingCommand, REVIEWER};
pub use officer::{run, table, OfficerArgs, OfficerCommand, WHO};
pub use sweep::{run_sweep, SweepArgs};

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

fn print_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<(), Refusal> {
    let json =
        serde_json::to_string_pretty(v).map_err(|e| refusal(ErrorCode::Internal, e.to_string()))?;
    writeln!(out, "{json}").map_err(|e| refusal(ErrorCode::Internal, e.to_string()))
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
