//! Previous versions of a project file, kept beside it.
//!
//! Invariants: before a save replaces an existing project file, its bytes
//! are copied to `.spanmark-history/NAME.YYYYMMDDTHHMMSSZ.spanmark.ron` in
//! the project's folder — at most one copy per [`SPACING_SECS`], at most
//! [`KEEP`] copies, the oldest pruned first and the newest never. Backups
//! are written atomically; names sort by time. A history folder that leads
//! outside the project's folder (a symlink) is refused, never written into.

use std::path::{Path, PathBuf};

use crate::io::atomic::write_atomic;
use crate::io::error::SaveError;
use crate::io::workspace::folder_of;
use crate::model::Timestamp;

/// Folder beside the project that holds previous versions.
pub const HISTORY_DIR: &str = ".spanmark-history";
/// Most previous versions kept per project file.
pub const KEEP: usize = 20;
/// Least time between two kept versions.
pub const SPACING_SECS: i64 = 10 * 60;

/// The previous versions of `project` (oldest first).
#[must_use]
pub fn list(project: &Path) -> Vec<PathBuf> {
    let (dir, Some(stem)) = (folder_of(project), stem(project)) else {
        return Vec::new();
    };
    let prefix = format!("{stem}.");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(HISTORY_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&prefix) && n.ends_with(".spanmark.ron") && !n.starts_with('.')
            })
        })
        .collect();
    found.sort();
    found
}

/// Keeps the current bytes of `project` as a previous version (when the file
/// exists and the newest kept version is older than [`SPACING_SECS`]), then
/// prunes to [`KEEP`]. Returns the backup written, if any.
///
/// # Errors
/// When the copy cannot be written (the save should not go ahead then).
pub fn keep_previous(project: &Path, now: Timestamp) -> Result<Option<PathBuf>, SaveError> {
    keep(project, now, true)
}

/// Keeps the current bytes of `project` as a previous version now, however
/// recent the last one (before overwriting someone else's changes).
///
/// # Errors
/// When the copy cannot be written.
pub fn keep_now(project: &Path, now: Timestamp) -> Result<Option<PathBuf>, SaveError> {
    keep(project, now, false)
}

fn keep(project: &Path, now: Timestamp, spaced: bool) -> Result<Option<PathBuf>, SaveError> {
    // Only a regular file is read (a FIFO would block; the save refuses it).
    if !std::fs::metadata(project).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    // A bare file name (`spanmark p.spanmark.ron` run in its folder) has
    // the empty path as parent: its folder is ".".
    let (dir, Some(stem)) = (folder_of(project), stem(project)) else {
        return Ok(None);
    };
    let history = dir.join(HISTORY_DIR);
    let existing = list(project);
    let stamp = crate::io::project_file::timestamp::format(now).replace(['-', ':'], "");
    if spaced
        && let Some(newest) = existing.last()
        && let Some(t) = newest
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| time_of(n, &stem))
        && now.0 - t.0 < SPACING_SECS
    {
        return Ok(None);
    }
    // Read only once a backup is due (a 100k-annotation file is 31 MB).
    let Ok(bytes) = std::fs::read(project) else {
        return Ok(None); // Nothing there yet: nothing to keep.
    };
    let target = history.join(format!("{stem}.{stamp}.spanmark.ron"));
    std::fs::create_dir_all(&history)
        .map_err(|e| SaveError::io("create the history folder for backups", e, project.into()))?;
    // A history folder that is a link out of the project's folder (as a
    // shared folder may hold) is never written into or pruned.
    let inside = match (history.canonicalize(), dir.canonicalize()) {
        (Ok(h), Ok(d)) => h.starts_with(&d) && h != d,
        _ => false,
    };
    if !inside {
        return Err(SaveError::Escapes { path: history });
    }
    write_atomic(&target, &bytes).map_err(|e| e.about(project))?;
    let mut all = list(project);
    while all.len() > KEEP {
        let oldest = all.remove(0);
        let _ = std::fs::remove_file(oldest);
    }
    Ok(Some(target))
}

/// Removes temporary files a killed backup write left in the history
/// folder of `project`. Returns how many were removed.
pub fn clean_stray_temps(project: &Path) -> usize {
    let (dir, Some(stem)) = (folder_of(project), stem(project)) else {
        return 0;
    };
    let prefix = format!(".{stem}.");
    let Ok(entries) = std::fs::read_dir(dir.join(HISTORY_DIR)) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name().to_str().is_some_and(|n| {
                n.starts_with(&prefix) && n.contains(crate::io::atomic::TEMP_MARKER)
            })
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

fn stem(project: &Path) -> Option<String> {
    let name = project.file_name()?.to_str()?;
    Some(
        name.strip_suffix(".spanmark.ron")
            .or_else(|| name.strip_suffix(".ron"))
            .unwrap_or(name)
            .to_owned(),
    )
}

/// Size in bytes of a previous version (0 when unreadable).
#[must_use]
pub fn size_of(backup: &Path) -> u64 {
    std::fs::metadata(backup).map_or(0, |m| m.len())
}

/// When a previous version (a path from [`list`]) was kept.
#[must_use]
pub fn time_of_backup(project: &Path, backup: &Path) -> Option<Timestamp> {
    time_of(backup.file_name()?.to_str()?, &stem(project)?)
}

/// Copies previous version `backup` beside `project` as
/// `STEM (version YYYY-MM-DD HHMM).spanmark.ron` (so its relative source
/// paths resolve) and returns the copy's path. An existing copy of the
/// same version is reused.
///
/// # Errors
/// When the copy cannot be written.
pub fn copy_beside(project: &Path, backup: &Path) -> Result<PathBuf, SaveError> {
    let dir = folder_of(project);
    let stem = stem(project).unwrap_or_else(|| "project".into());
    let when = time_of_backup(project, backup)
        .map(crate::io::project_file::timestamp::format)
        .map_or_else(String::new, |t| {
            format!(
                " (version {})",
                t.get(..16).unwrap_or(&t).replace('T', " ").replace(':', "")
            )
        });
    let target = dir.join(format!("{stem}{when}.spanmark.ron"));
    let bytes = std::fs::read(backup).map_err(|e| SaveError::io("read", e, backup.into()))?;
    if std::fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
        write_atomic(&target, &bytes)?;
    }
    Ok(target)
}

/// The time in a backup's name (`STEM.20261125T161500Z.spanmark.ron`).
fn time_of(name: &str, stem: &str) -> Option<Timestamp> {
    let t = name
        .strip_prefix(stem)?
        .strip_prefix('.')?
        .strip_suffix(".spanmark.ron")?;
    let (date, clock) = t.split_once('T')?;
    let (y, m, d) = (date.get(..4)?, date.get(4..6)?, date.get(6..8)?);
    let (hh, mm, ss) = (clock.get(..2)?, clock.get(2..4)?, clock.get(4..6)?);
    crate::io::project_file::timestamp::parse(&format!("{y}-{m}-{d}T{hh}:{mm}:{ss}Z"))
}
