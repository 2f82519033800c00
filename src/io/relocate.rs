//! Keeping source paths right when a project is saved into another folder.
//!
//! Invariants: a source that lies inside the new folder is referred to by its
//! path relative to it; one that does not is copied into the new folder's
//! `sources/` (never overwriting a different file) — so the saved project
//! opens anywhere with its folder, and nothing is written outside the folder
//! the user chose: a `sources` that is a link out of it is refused, and a
//! copy never goes through a link or into a FIFO or device
//! ([`copy_into_sources`], also used when adding and locating documents).
//! Missing sources keep their old path.

use std::path::{Path, PathBuf};

use crate::io::error::SaveError;
use crate::io::paths::{relative_to, resolve_source};
use crate::model::{DocumentId, Project};

/// The new stored path of every document whose path must change when the
/// project moves from `old_dir` to `new_dir`. Copies sources as needed.
///
/// # Errors
/// A failed copy (the message names the file).
pub fn relocate(
    project: &Project,
    old_dir: &Path,
    new_dir: &Path,
) -> Result<Vec<(DocumentId, String)>, SaveError> {
    let same = match (old_dir.canonicalize(), new_dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Ok(Vec::new());
    }
    let mut changes = Vec::new();
    for doc in project.documents() {
        let Ok(real) = resolve_source(old_dir, &doc.path) else {
            continue; // Missing or refused: keep the stored path as it was.
        };
        let stored = match relative_to(new_dir, &real) {
            Some(rel) => rel,
            None => {
                let target =
                    copy_into_sources(new_dir, &real, &doc.sha256).map_err(|e| match e {
                        CopyError::Escapes(path) => SaveError::Escapes { path },
                        CopyError::Io(e, path) => {
                            SaveError::io("copy a source into the new folder", e, path)
                        }
                    })?;
                relative_to(new_dir, &target).unwrap_or_else(|| doc.path.clone())
            }
        };
        if stored != doc.path {
            changes.push((doc.id, stored));
        }
    }
    Ok(changes)
}

/// [`copy_into_sources`] for a merge: the stored path of the copy (or of
/// the same bytes already there).
///
/// # Errors
/// As [`copy_into_sources`], as a save error naming the file.
pub fn copy_into(dir: &Path, real: &Path, sha256: &str) -> Result<String, SaveError> {
    let target = copy_into_sources(dir, real, sha256).map_err(|e| match e {
        CopyError::Escapes(path) => SaveError::Escapes { path },
        CopyError::Io(e, path) => SaveError::io("copy a source into the project folder", e, path),
    })?;
    relative_to(dir, &target).ok_or_else(|| SaveError::Escapes {
        path: target.clone(),
    })
}

/// Why [`copy_into_sources`] wrote nothing.
#[derive(Debug)]
pub enum CopyError {
    /// `sources` (or the folder itself) leads elsewhere through a symlink.
    Escapes(PathBuf),
    /// The copy failed.
    Io(std::io::Error, PathBuf),
}

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Escapes(p) => write!(
                f,
                "this place leads outside the project folder through a symbolic link, so \
                 nothing was copied there: {}",
                p.display()
            ),
            Self::Io(e, p) => write!(f, "could not copy the file ({e}): {}", p.display()),
        }
    }
}

/// Copies `file` into `dir/sources/` as `NAME` (or `NAME-2`…), or reuses a
/// regular file there that already has these bytes. Never writes through a
/// symlink, into a FIFO or device, or over an existing file: `sources` must
/// lie inside `dir` once links are followed, and the new file is created
/// with `create_new` (which refuses anything already there, dangling links
/// included). Returns the file's path.
///
/// # Errors
/// `sources` leads outside `dir`, or the copy failed.
pub fn copy_into_sources(dir: &Path, file: &Path, sha256: &str) -> Result<PathBuf, CopyError> {
    let sources = dir.join("sources");
    let io = |e, p: &Path| CopyError::Io(e, p.to_path_buf());
    if std::fs::symlink_metadata(&sources).is_err() {
        std::fs::create_dir_all(&sources).map_err(|e| io(e, &sources))?;
    }
    let root = dir.canonicalize().map_err(|e| io(e, dir))?;
    match sources.canonicalize() {
        Ok(real) if real.starts_with(&root) && real.is_dir() => {}
        _ => return Err(CopyError::Escapes(sources)),
    }
    let name = file
        .file_name()
        .map_or_else(|| "source.txt".into(), |n| n.to_string_lossy().into_owned());
    let (stem, ext) = name
        .rsplit_once('.')
        .map_or((name.as_str(), ""), |(s, e)| (s, e));
    for n in 1..10_000 {
        let candidate = sources.join(match (n, ext) {
            (1, _) => name.clone(),
            (_, "") => format!("{stem}-{n}"),
            _ => format!("{stem}-{n}.{ext}"),
        });
        match std::fs::symlink_metadata(&candidate) {
            Err(_) => {
                copy_new(file, &candidate).map_err(|e| io(e, &candidate))?;
                return Ok(candidate);
            }
            Ok(m) if m.is_file() && same_content(&candidate, sha256) => return Ok(candidate),
            Ok(_) => {} // Taken: a different file, a link, a FIFO… try the next name.
        }
    }
    Err(io(std::io::Error::other("no free file name"), &sources))
}

/// Copies into a file that must not exist yet (`O_EXCL`: links are not followed).
fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    let copied = std::io::copy(&mut src, &mut dst).and_then(|_| dst.sync_all());
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied
}

fn same_content(path: &Path, sha256: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| crate::io::source::sha256_hex(&bytes) == sha256)
}
