//! The uploads directory: made at start, refused inside the web root,
//! cleared of the partial files a crash left; renames made durable; a
//! file removed when the request storing it fails half-way.

use std::path::{Path, PathBuf};

/// Makes a rename durable.
pub(super) async fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = tokio::fs::File::open(dir).await {
        let _ = d.sync_all().await;
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Deletes a file when a request fails or is cancelled half-way.
pub(super) struct RemoveOnDrop(pub(super) Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            if let Err(e) = std::fs::remove_file(&p) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %p.display(), error = %e, "could not remove a partial upload");
                }
            }
        }
    }
}

/// Creates the uploads directory and refuses one inside the web root.
pub fn prepare_dir(uploads: &Path, dist: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(uploads)
        .map_err(|e| format!("cannot create uploads dir {}: {e}", uploads.display()))?;
    let uploads = uploads
        .canonicalize()
        .map_err(|e| format!("uploads dir {}: {e}", uploads.display()))?;
    let dist_abs = canonical_lenient(dist);
    if uploads.starts_with(&dist_abs) {
        return Err(format!(
            "the uploads dir {} is inside the web root {}: uploads would be served to anyone",
            uploads.display(),
            dist_abs.display()
        ));
    }
    Ok(uploads)
}

/// Removes partial files a crash left behind (at server start only: the
/// officer CLI may run beside a server that is receiving a file).
pub fn remove_partials(uploads: &Path) {
    if let Ok(entries) = std::fs::read_dir(uploads) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().ends_with(".part") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// The canonical form of a path that may not exist yet: its nearest
/// existing ancestor canonicalized, with the rest appended.
fn canonical_lenient(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, part| acc.join(part));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_inside_dist_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        assert!(prepare_dir(&dist.join("uploads"), &dist).is_err());
        assert!(prepare_dir(&dist, &dist).is_err());
        assert!(prepare_dir(&dir.path().join("data/uploads"), &dist).is_ok());
        // A dist that does not exist yet still counts.
        let missing = dir.path().join("nodist");
        assert!(prepare_dir(&missing.join("u"), &missing).is_err());
    }
}
