//! `*.spanmark.ron` project files: reading with limits, writing atomically.
//!
//! Invariants: a file over [`MAX_PROJECT_BYTES`] is never read; a save
//! re-parses what it is about to write and refuses to publish anything that
//! does not read back as the same project; the write itself is atomic
//! ([`crate::io::atomic`]).

pub mod fast_lines;
mod lines;
mod markers;
pub mod read;
pub mod schema;
pub mod timestamp;
mod verify;
pub mod write;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::io::atomic::write_atomic_checked;
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
/// Verification failure (nothing written) or any [`crate::io::atomic::write_atomic`] error.
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
    save_guarded(path, project, embedded, || Ok(()))
}

/// As [`save_with`], with `guard` run right before the file is replaced
/// (after the new bytes are written, flushed and verified); if it fails,
/// the old file stays and its error is returned.
///
/// The work overlaps: while one thread writes and flushes the bytes to a
/// temporary file, another verifies them and a third hashes them.
///
/// # Errors
/// As [`save`], or the guard's error.
pub fn save_guarded(
    path: &Path,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
    guard: impl FnOnce() -> Result<(), SaveError>,
) -> Result<String, SaveError> {
    let pieces = pieces_of(path, project, embedded)?;
    let texts: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let bytes: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    let mut hash = None;
    write_atomic_checked(
        path,
        &bytes,
        || {
            hash = Some(verify_and_hash(&texts, project, embedded, path)?);
            Ok(())
        },
        guard,
    )?;
    Ok(hash.unwrap_or_else(|| crate::io::source::sha256_hex_pieces(&bytes)))
}

/// The file text in pieces ([`write::to_ron_pieces_with`]).
fn pieces_of(
    path: &Path,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<Vec<String>, SaveError> {
    write::to_ron_pieces_with(project, embedded).map_err(|e| SaveError::Verify {
        message: e.to_string(),
        path: path.to_path_buf(),
    })
}

/// Serialises, verifies and hashes as a save does, writing nothing (for
/// benchmarks and checks). Returns the text, in pieces, and its SHA-256.
///
/// # Errors
/// A serialisation or verification failure.
pub fn prepare(
    path: &Path,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(Vec<String>, String), SaveError> {
    let pieces = pieces_of(path, project, embedded)?;
    let texts: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let hash = verify_and_hash(&texts, project, embedded, path)?;
    Ok((pieces, hash))
}

/// Verifies the pieces of a text against the project while hashing them
/// on another thread.
fn verify_and_hash(
    pieces: &[&str],
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
    path: &Path,
) -> Result<String, SaveError> {
    let (verified, hash) = crate::model::parallel::both(
        || verify::verify_pieces(pieces, project, embedded),
        || crate::io::source::sha256_hex_pieces(pieces),
    );
    verified.map_err(|message| SaveError::Verify {
        message,
        path: path.to_path_buf(),
    })?;
    Ok(hash)
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
