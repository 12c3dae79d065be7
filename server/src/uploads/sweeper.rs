//! The orphan-upload sweeper. A citizen uploads files first and submits
//! later; an upload never attached to a dossier or a feedback report, or a
//! file a crash left on disk without its row (the file is written before
//! its row is committed), is removed once it is older than a window
//! (24 hours by default):
//!
//! - **rows**: uploads with neither `dossier_code` nor `feedback_code`
//!   whose `created_at` (the server's clock) is older than the window, and
//!   their files;
//! - **files** in the uploads directory and its `media/` directory with no
//!   row (`uploads.id`, `media.name`), and `.part` files, whose
//!   modification time is older than the window.
//!
//! Attached uploads and producers' photos (`media` rows) are never touched,
//! nor files whose names the server does not make. Runs every
//! `--upload-sweep-interval-secs` in the server (first after one interval)
//! and once with `cuaso-server sweep` (`crate::cli`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use sqlx::AnyPool;

use crate::infra::clock::Clock;

/// How old an unattached upload or a stray file must be to go: 30 days,
/// because a citizen's draft on the phone refers to its uploaded files for
/// as long as it waits (after the window, the form asks for them again).
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// How often the server sweeps.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);

/// The server's sweeping settings.
#[derive(Debug, Clone, Copy)]
pub struct SweepSettings {
    /// Age beyond which an orphan goes.
    pub window: Duration,
    /// Time between sweeps; `None`: the server never sweeps by itself.
    pub interval: Option<Duration>,
}

impl Default for SweepSettings {
    fn default() -> Self {
        SweepSettings {
            window: DEFAULT_WINDOW,
            interval: Some(DEFAULT_INTERVAL),
        }
    }
}

/// What one sweep found (and removed, unless a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Unattached upload rows older than the window (with their files).
    pub orphan_rows: u64,
    /// Files with no row older than the window (uploads and media).
    pub stray_files: u64,
    /// `.part` files older than the window.
    pub partial_files: u64,
    /// Files of the server's making in the two directories afterwards
    /// (a dry run: now).
    pub files_left: u64,
    pub dry_run: bool,
}

/// One sweep: orphan rows first (so their files count as stray if removing
/// them failed half-way), then files without a row.
pub async fn sweep(
    pool: &AnyPool,
    uploads_dir: &Path,
    clock: &Clock,
    window: Duration,
    dry_run: bool,
) -> Result<SweepReport, sqlx::Error> {
    let mut report = SweepReport {
        dry_run,
        ..SweepReport::default()
    };
    let cutoff = crate::infra::clock::utc_string(
        clock
            .system_time()
            .checked_sub(window)
            .unwrap_or(SystemTime::UNIX_EPOCH),
    );
    let orphans: Vec<(String,)> = if dry_run {
        sqlx::query_as(
            "SELECT id FROM uploads \
             WHERE dossier_code IS NULL AND feedback_code IS NULL AND created_at < $1",
        )
        .bind(&cutoff)
        .fetch_all(pool)
        .await?
    } else {
        // One statement: a submission attaching one of these waits for it
        // (or this waits for the submission), never half of each.
        sqlx::query_as(
            "DELETE FROM uploads \
             WHERE dossier_code IS NULL AND feedback_code IS NULL AND created_at < $1 \
             RETURNING id",
        )
        .bind(&cutoff)
        .fetch_all(pool)
        .await?
    };
    report.orphan_rows = orphans.len() as u64;
    if !dry_run {
        for (id,) in &orphans {
            if crate::infra::random::is_hex_id(id) {
                remove(&uploads_dir.join(id));
            }
        }
    }

    // Files are listed before the rows are read: a file whose row is not
    // committed yet is younger than the window and stays.
    let now = SystemTime::now();
    let media_dir = uploads_dir.join("media");
    let uploads = candidates(uploads_dir, now, window, crate::infra::random::is_hex_id);
    let media = candidates(&media_dir, now, window, |n| {
        super::media::media_type(n).is_some()
    });
    let ids: HashSet<String> = sqlx::query_as::<_, (String,)>("SELECT id FROM uploads")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect();
    let names: HashSet<String> = sqlx::query_as::<_, (String,)>("SELECT name FROM media")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(n,)| n)
        .collect();
    for (files, known) in [(uploads, &ids), (media, &names)] {
        for path in files.partial {
            report.partial_files += 1;
            if !dry_run {
                remove(&path);
            }
        }
        for (name, path) in files.old {
            if known.contains(&name) {
                continue;
            }
            report.stray_files += 1;
            if !dry_run {
                remove(&path);
            }
        }
    }
    report.files_left = count_files(uploads_dir, &media_dir);
    if report.orphan_rows + report.stray_files + report.partial_files > 0 {
        tracing::info!(
            orphan_rows = report.orphan_rows,
            stray_files = report.stray_files,
            partial_files = report.partial_files,
            dry_run,
            "swept orphan uploads"
        );
    }
    Ok(report)
}

/// The server's files in one directory.
#[derive(Default)]
struct Candidates {
    /// Files of the server's making (finished and partial).
    total: u64,
    /// Finished files older than the window: (name, path).
    old: Vec<(String, PathBuf)>,
    /// Partial files older than the window.
    partial: Vec<PathBuf>,
}

fn candidates(
    dir: &Path,
    now: SystemTime,
    window: Duration,
    ours: impl Fn(&str) -> bool,
) -> Candidates {
    let mut out = Candidates::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let partial = name
            .strip_suffix(".part")
            .filter(|stem| ours(stem))
            .is_some();
        if !partial && !ours(&name) {
            continue;
        }
        out.total += 1;
        // A modification time in the future counts as new.
        let age = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or(Duration::ZERO);
        if age <= window {
            continue;
        }
        if partial {
            out.partial.push(e.path());
        } else {
            out.old.push((name, e.path()));
        }
    }
    out
}

/// Files of the server's making in the uploads and media directories.
fn count_files(uploads_dir: &Path, media_dir: &Path) -> u64 {
    let far = SystemTime::UNIX_EPOCH;
    candidates(
        uploads_dir,
        far,
        Duration::ZERO,
        crate::infra::random::is_hex_id,
    )
    .total
        + candidates(media_dir, far, Duration::ZERO, |n| {
            super::media::media_type(n).is_some()
        })
        .total
}

fn remove(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "could not remove an orphan upload")
        }
    }
}

/// Sweeps every `interval` (the first after one interval) until the pool
/// closes.
pub fn spawn(pool: AnyPool, uploads_dir: PathBuf, clock: Clock, settings: SweepSettings) {
    let Some(interval) = settings.interval else {
        return;
    };
    tokio::spawn(async move {
        let mut every = tokio::time::interval(interval);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        every.tick().await;
        loop {
            every.tick().await;
            if pool.is_closed() {
                break;
            }
            if let Err(e) = sweep(&pool, &uploads_dir, &clock, settings.window, false).await {
                tracing::warn!(error = %e, "could not sweep orphan uploads");
            }
        }
    });
}
