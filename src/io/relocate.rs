//! Keeping source paths right when a project is saved into another folder.
//!
//! Invariants: a source that lies inside the new folder is referred to by its
//! path relative to it; one that does not is copied into the new folder's
//! `sources/` (never overwriting a different file) — so the saved project
//! opens anywhere with its folder, and nothing is written outside the folder
//! the user chose. Missing sources keep their old path.

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
            None => copy_into(new_dir, &real, &doc.sha256)?,
        };
        if stored != doc.path {
            changes.push((doc.id, stored));
        }
    }
    Ok(changes)
}

/// Copies source `real` (with hash `sha256`) into `new_dir/sources/`
/// unless the same bytes are there already; returns its stored path.
///
/// # Errors
/// A failed copy (the message names the file).
pub fn copy_into(new_dir: &Path, real: &Path, sha256: &str) -> Result<String, SaveError> {
    let target = copy_target(new_dir, real, sha256);
    let fail = |e| SaveError::io("copy a source into the project folder", e, target.clone());
    std::fs::create_dir_all(new_dir.join("sources")).map_err(fail)?;
    if !target.exists() {
        std::fs::copy(real, &target).map_err(fail)?;
    }
    relative_to(new_dir, &target).ok_or_else(|| {
        SaveError::io(
            "copy a source into the project folder",
            std::io::Error::other("the copy is not inside the folder"),
            target.clone(),
        )
    })
}

/// `new_dir/sources/NAME`, or `NAME-2`… when a different file already has that name.
fn copy_target(new_dir: &Path, real: &Path, sha256: &str) -> PathBuf {
    let name = real
        .file_name()
        .map_or_else(|| "source.txt".into(), |n| n.to_string_lossy().into_owned());
    let (stem, ext) = name
        .rsplit_once('.')
        .map_or((name.as_str(), ""), |(s, e)| (s, e));
    let dir = new_dir.join("sources");
    (1..)
        .map(|n| {
            let file = match (n, ext) {
                (1, _) => name.clone(),
                (_, "") => format!("{stem}-{n}"),
                _ => format!("{stem}-{n}.{ext}"),
            };
            dir.join(file)
        })
        .find(|p| !p.exists() || same_content(p, sha256))
        .unwrap_or_else(|| dir.join(&name))
}

fn same_content(path: &Path, sha256: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| crate::io::source::sha256_hex(&bytes) == sha256)
}
