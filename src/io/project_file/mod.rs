//! `*.spanmark.ron` project files: reading with limits, writing atomically.
//!
//! Invariants: a file over [`MAX_PROJECT_BYTES`] is never read; a save
//! re-parses what it is about to write and refuses to publish anything that
//! does not read back as the same project; the write itself is atomic
//! ([`crate::io::atomic`]).

pub mod fast_lines;
pub mod read;
pub mod schema;
pub mod timestamp;
pub mod write;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::io::atomic::write_atomic;
use crate::io::error::{LoadError, SaveError};
use crate::model::{DocumentId, Project};

pub use read::{FileProblem, ParseFailure, Parsed, parse};
pub use write::{to_ron_string, to_ron_string_with};

/// Largest project file read (512 MiB: about two million annotations).
pub const MAX_PROJECT_BYTES: u64 = 512 * 1024 * 1024;

/// The file extension, including the `.spanmark` part.
pub const EXTENSION: &str = ".spanmark.ron";

/// Reads the raw text of a project file with the size cap.
///
/// # Errors
/// Unreadable, too large, or not UTF-8.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let io = |source| LoadError::Io {
        source,
        path: path.to_path_buf(),
    };
    // Checked before opening: opening a FIFO would block.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(LoadError::Invalid {
            message: "this is not a regular file".into(),
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(LoadError::Invalid {
            message: "this is not a regular file".into(),
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(LoadError::TooLarge {
            size: meta.len(),
            limit: MAX_PROJECT_BYTES,
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_PROJECT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
        path: path.to_path_buf(),
    })
}

/// Reads and parses a project file (sources are not touched).
///
/// # Errors
/// As [`read_text`], plus syntax and content errors with the path.
pub fn load_file(path: &Path) -> Result<Parsed, LoadError> {
    let text = read_text(path)?;
    parse(&text).map_err(|f| failure_to_error(f, path))
}

/// Attaches a path to a parse failure.
#[must_use]
pub fn failure_to_error(f: ParseFailure, path: &Path) -> LoadError {
    let path = path.to_path_buf();
    match f {
        ParseFailure::ConflictMarkers(line) => LoadError::ConflictMarkers { line, path },
        ParseFailure::Syntax {
            line,
            column,
            message,
        } => LoadError::Syntax {
            line,
            column,
            message,
            path,
        },
        ParseFailure::Invalid(message) => LoadError::Invalid { message, path },
    }
}

/// Serialises, verifies by re-parsing, and writes atomically. Returns the
/// SHA-256 of the bytes written.
///
/// # Errors
/// Verification failure (nothing written) or any [`write_atomic`] error.
pub fn save(path: &Path, project: &Project) -> Result<String, SaveError> {
    save_with(path, project, &BTreeMap::new())
}

/// As [`save`], with these source texts embedded (a single-file project);
/// the verification also checks every embedded text reads back unchanged.
///
/// # Errors
/// As [`save`].
pub fn save_with(
    path: &Path,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<String, SaveError> {
    prepare(path, project, embedded)?.publish(path)
}

/// Project file bytes that were verified to read back as the project,
/// ready to be written.
#[derive(Debug)]
pub struct Prepared {
    text: String,
    hash: String,
}

impl Prepared {
    /// Writes the bytes atomically to `path` and returns their SHA-256.
    ///
    /// # Errors
    /// Any [`write_atomic`] error.
    pub fn publish(self, path: &Path) -> Result<String, SaveError> {
        write_atomic(path, self.text.as_bytes())?;
        Ok(self.hash)
    }
}

/// Serialises, verifies by re-parsing, and hashes, writing nothing: the
/// first half of [`save_with`], which a caller may run while it checks the
/// file on disk. `path` only names the file in errors.
///
/// # Errors
/// Verification failure.
pub fn prepare(
    path: &Path,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<Prepared, SaveError> {
    let text = to_ron_string_with(project, embedded).map_err(|e| SaveError::Verify {
        message: e.to_string(),
        path: path.to_path_buf(),
    })?;
    // The hash of the bytes is taken on another thread while they are verified.
    let (verified, hash) = std::thread::scope(|s| {
        let hash = std::thread::Builder::new()
            .spawn_scoped(s, || crate::io::source::sha256_hex(text.as_bytes()));
        let verified = verify(&text, project, embedded);
        let hash = hash.ok().and_then(|h| h.join().ok());
        (verified, hash)
    });
    verified.map_err(|message| SaveError::Verify {
        message,
        path: path.to_path_buf(),
    })?;
    let hash = hash.unwrap_or_else(|| crate::io::source::sha256_hex(text.as_bytes()));
    Ok(Prepared { text, hash })
}

/// Checks that `text` parses back to `project` (review flags aside).
fn verify(
    text: &str,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(), String> {
    let back = parse(text).map_err(|f| format!("{f:?}"))?;
    let texts_same = back.embedded.len()
        == project
            .documents()
            .iter()
            .filter(|d| embedded.contains_key(&d.id))
            .count()
        && back
            .embedded
            .iter()
            .all(|(id, t)| embedded.get(id) == Some(&t.as_str()));
    let same = texts_same
        && back.project.annotation_count() == project.annotation_count()
        && back.project.documents() == project.documents()
        && back
            .project
            .annotations()
            .zip(project.annotations())
            .all(|(a, b)| {
                a.id == b.id
                    && a.range == b.range
                    && a.label == b.label
                    && a.anchor == b.anchor
                    && a.note == b.note
                    && a.author == b.author
                    && a.agreed == b.agreed
                    && nonempty(&a.origin) == nonempty(&b.origin)
                    && nonempty(&a.conflict) == nonempty(&b.conflict)
            });
    if same {
        Ok(())
    } else {
        Err("the saved text differs from the project in memory".into())
    }
}

/// An optional text as written: absent and empty are the same.
fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// The project name implied by a file name (`harbour.spanmark.ron` → `harbour`).
#[must_use]
pub fn name_from_path(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.strip_suffix(EXTENSION)
        .or_else(|| file.strip_suffix(".ron"))
        .unwrap_or(&file)
        .to_owned()
}
