//! Typed errors of the file layer, each worded for the analyst with the
//! path last.
//!
//! Invariant: every message is plain words a non-programmer can act on; the
//! path it concerns is always at the end.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// Why a project file could not be opened.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The operating system refused or failed to read the file.
    #[error("could not read the project file ({source}): {path}")]
    Io {
        /// Underlying error.
        source: io::Error,
        /// File concerned.
        path: PathBuf,
    },
    /// Over the size limit.
    #[error("the project file is {size} bytes, over the {limit}-byte limit: {path}")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// Limit.
        limit: u64,
        /// File concerned.
        path: PathBuf,
    },
    /// Not UTF-8 text.
    #[error("the project file is not UTF-8 text (byte {offset} is invalid): {path}")]
    NotUtf8 {
        /// First invalid byte.
        offset: usize,
        /// File concerned.
        path: PathBuf,
    },
    /// Unresolved git conflict.
    #[error(
        "the project file contains unresolved git conflict markers (line {line}); \
         resolve the merge first: {path}"
    )]
    ConflictMarkers {
        /// First marker line (1-based).
        line: usize,
        /// File concerned.
        path: PathBuf,
    },
    /// RON syntax or structure error.
    #[error("line {line}, column {column}: {message}: {path}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, in plain words.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// Parsed, but the content breaks a rule that cannot be repaired.
    #[error("{message}: {path}")]
    Invalid {
        /// What is wrong.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// The analyst stopped the opening before it was done.
    #[error("opening was stopped before it was done: {path}")]
    Stopped {
        /// File concerned.
        path: PathBuf,
    },
}

/// Why a project could not be saved. The previous file is unchanged.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The target is read-only.
    #[error("the file is read-only, so it was not overwritten: {path}")]
    ReadOnly {
        /// File concerned.
        path: PathBuf,
    },
    /// Disk full.
    #[error("no space left on the disk; the previous version was kept: {path}")]
    DiskFull {
        /// File concerned.
        path: PathBuf,
    },
    /// The operating system refused to let us write there (a read-only
    /// folder or share, or one owned by someone else).
    #[error(
        "you may not write in this folder, so nothing was saved; the previous version was kept \
         (use Save As to save somewhere else): {path}"
    )]
    NoPermission {
        /// File concerned.
        path: PathBuf,
    },
    /// The file system (or a quota) refused a file this large.
    #[error(
        "the file system refused a file this large (a size limit or quota), so nothing was \
         saved; the previous version was kept: {path}"
    )]
    FileTooLarge {
        /// File concerned.
        path: PathBuf,
    },
    /// Another write failure.
    #[error("could not {action} ({source}); the previous version was kept: {path}")]
    Io {
        /// What was being done ("create a temporary file", ...).
        action: &'static str,
        /// Underlying error.
        source: io::Error,
        /// File concerned.
        path: PathBuf,
    },
    /// The serialized project did not read back identically (a bug; nothing written).
    #[error("the project did not read back correctly, so nothing was written ({message}): {path}")]
    Verify {
        /// What differed.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// The file changed on disk since it was opened or last saved here.
    #[error(
        "the file was changed by someone else since you opened it, so it was not overwritten; \
         use Save As to keep your version beside it, then compare or merge: {path}"
    )]
    ChangedOnDisk {
        /// File concerned.
        path: PathBuf,
    },
    /// A FIFO, device or folder is where the file would go.
    #[error(
        "this is not a regular file (a folder, FIFO or device), so nothing was written to it: \
         {path}"
    )]
    NotRegular {
        /// File concerned.
        path: PathBuf,
    },
    /// A symbolic link leads outside the folder being written to.
    #[error(
        "this place leads outside its folder through a symbolic link, so nothing was written \
         there: {path}"
    )]
    Escapes {
        /// Where.
        path: PathBuf,
    },
    /// The analyst stopped the save before the file was replaced.
    #[error("the save was stopped; the file on disk is unchanged: {path}")]
    Stopped {
        /// File concerned.
        path: PathBuf,
    },
    /// The project was opened read-only (e.g. written by a newer Spanmark).
    #[error("this project is open read-only ({reason}); use Save As to write a copy: {path}")]
    ReadOnlyProject {
        /// Why it is read-only.
        reason: String,
        /// File concerned.
        path: PathBuf,
    },
}

impl SaveError {
    /// The same error about `path` (a backup failing is a failed save of the project).
    #[must_use]
    pub fn about(mut self, path: &std::path::Path) -> Self {
        match &mut self {
            Self::ReadOnly { path: p }
            | Self::DiskFull { path: p }
            | Self::NoPermission { path: p }
            | Self::FileTooLarge { path: p }
            | Self::Io { path: p, .. }
            | Self::Verify { path: p, .. }
            | Self::ChangedOnDisk { path: p }
            | Self::NotRegular { path: p }
            | Self::Escapes { path: p }
            | Self::Stopped { path: p }
            | Self::ReadOnlyProject { path: p, .. } => *p = path.to_path_buf(),
        }
        self
    }

    /// Wraps an I/O error, recognising a full disk (ENOSPC, EDQUOT), a
    /// refused size (EFBIG) and a folder we may not write in.
    #[must_use]
    pub fn io(action: &'static str, source: io::Error, path: PathBuf) -> Self {
        let os = source.raw_os_error();
        if matches!(
            source.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
        ) || os == Some(28)
        {
            Self::DiskFull { path }
        } else if source.kind() == io::ErrorKind::FileTooLarge || os == Some(27) {
            Self::FileTooLarge { path }
        } else if matches!(
            source.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
        ) {
            Self::NoPermission { path }
        } else {
            Self::Io {
                action,
                source,
                path,
            }
        }
    }
}

/// Why a source document could not be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// Could not read it.
    #[error("could not read the file ({0})")]
    Io(String),
    /// Not there.
    #[error("the file is missing")]
    Missing,
    /// Over the size limit.
    #[error("the file is {size} bytes, over the {limit}-byte limit for one source")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// Contains NUL bytes or many control characters.
    #[error("the file looks binary ({0}), not plain text")]
    Binary(String),
    /// Bytes invalid for the encoding its BOM declares.
    #[error("the file is not valid {0} text")]
    BadEncoding(String),
    /// Not a plain file (a folder, FIFO, device, ...).
    #[error("it is not a regular file")]
    NotRegular,
    /// The path breaks the path rules.
    #[error("{0}")]
    Path(#[from] PathError),
    /// The analyst stopped the reading or placing before it was done.
    #[error("stopped before it was done")]
    Stopped,
}

/// Why a path stored in a project was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Empty path.
    #[error("the source path is empty")]
    Empty,
    /// Absolute, drive, UNC or rooted.
    #[error("the source path {0:?} is absolute; paths must be relative to the project folder")]
    Absolute(String),
    /// Contains `..`.
    #[error("the source path {0:?} leaves the project folder (`..`)")]
    ParentDir(String),
    /// Backslashes, NUL or empty components.
    #[error("the source path {0:?} is malformed (use `/` between folder names)")]
    Malformed(String),
    /// A reserved device name.
    #[error("the source path {0:?} names a device, not a file")]
    Device(String),
    /// Resolves outside the project folder (through a symlink).
    #[error("the source path {0:?} leads outside the project folder")]
    Escapes(String),
}

/// Why a single-file project could not be written or its sources extracted.
/// Nothing was written when this is returned (a failed save keeps the
/// previous file, as every [`SaveError`] does).
#[derive(Debug, Error)]
pub enum PackError {
    /// A document has no text to embed.
    #[error(
        "document {name:?} has no text to embed (its source is missing or unreadable; \
         use Locate file… first), so nothing was written: {path}"
    )]
    SourceUnavailable {
        /// Document name.
        name: String,
        /// Its stored path.
        path: String,
    },
    /// A text cannot be turned back into the bytes it was read from.
    #[error(
        "document {name:?}: its text cannot be written back as {encoding} byte for byte, \
         so nothing was written: {path}"
    )]
    NotReproducible {
        /// Document name.
        name: String,
        /// Its recorded encoding.
        encoding: String,
        /// Its stored path.
        path: String,
    },
    /// The project has no embedded sources.
    #[error("this project has no embedded source texts to extract: {path}")]
    NotPacked {
        /// The project file.
        path: PathBuf,
    },
    /// A stored path breaks the path rules.
    #[error("document {name:?}: {error}, so nothing was written")]
    BadPath {
        /// Document name.
        name: String,
        /// The rule broken (names the path).
        error: PathError,
    },
    /// A symbolic link on the way leads outside the chosen folder.
    #[error(
        "this place leads outside the chosen folder through a symbolic link, so nothing was \
         written: {path}"
    )]
    Escapes {
        /// Where.
        path: PathBuf,
    },
    /// A folder, FIFO, device or other non-file is where a file would go.
    #[error(
        "something that is not a regular file (a folder, FIFO or device) is in the way, \
         so nothing was written: {path}"
    )]
    NotRegular {
        /// Where.
        path: PathBuf,
    },
    /// A different file is already there.
    #[error(
        "a different file is already there, so nothing was written (choose an empty folder, \
         or allow overwriting): {path}"
    )]
    Exists {
        /// Where.
        path: PathBuf,
    },
    /// Writing failed.
    #[error(transparent)]
    Save(#[from] SaveError),
}
