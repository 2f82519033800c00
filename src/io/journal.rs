//! The crash-recovery journal: every unsaved edit, appended as it happens,
//! in the per-user data directory (never beside a shared project).
//!
//! Invariants: a journal file is a sequence of records, one per line,
//! `LEN CRC32 JSON\n` (LEN and CRC32 of the JSON bytes); it starts with a
//! [`Record::Header`] and a [`Record::Snapshot`] of the whole project, and
//! every later [`Record::Edit`] is an edit applied after it, in order — so
//! replaying the edits on the last snapshot gives exactly the project in
//! memory when the last record was written. Reading stops at the first
//! record that is short, torn or fails its checksum: the records before it
//! are kept. The session that writes a journal holds an exclusive lock on
//! it, so a journal whose lock can be taken belongs to a session that
//! ended (crashed, or was killed). A periodic snapshot rewrites the file
//! atomically as header + snapshot.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::atomic::write_atomic;
use crate::io::error::SaveError;
use crate::model::{Annotation, Document, Edit, Label, Project, Timestamp};

/// Environment variable that overrides the data directory (tests, portable use).
pub const DATA_DIR_ENV: &str = "SPANMARK_DATA_DIR";
/// Sub-folder of the data directory holding journals.
pub const RECOVERY_DIR: &str = "recovery";
/// Journal file extension.
pub const EXTENSION: &str = "journal";
/// Edits between two snapshots.
pub const SNAPSHOT_EVERY_EDITS: usize = 500;
/// Seconds between two snapshots while there are unsaved changes.
pub const SNAPSHOT_EVERY_SECS: i64 = 5 * 60;
/// Journal format version.
const VERSION: u32 = 1;

/// The per-user data directory: [`DATA_DIR_ENV`] when set, else the
/// platform's (`~/.local/share/spanmark` on Linux).
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "Spanmark").map(|d| d.data_dir().to_path_buf())
}

/// The whole project, as a journal snapshot holds it (review flags and
/// placeholder labels included, which the project file does not store).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    name: String,
    authors: Vec<String>,
    documents: Vec<Document>,
    labels: Vec<Label>,
    annotations: Vec<Annotation>,
}

impl Snapshot {
    /// Captures a project.
    #[must_use]
    pub fn of(p: &Project) -> Self {
        Self {
            name: p.name.clone(),
            authors: p.authors.clone(),
            documents: p.documents().to_vec(),
            labels: p.labels().to_vec(),
            annotations: p.annotations().cloned().collect(),
        }
    }

    /// Rebuilds the project.
    #[must_use]
    pub fn into_project(self) -> Project {
        Project::from_parts(
            self.name,
            self.authors,
            self.documents,
            self.labels,
            self.annotations,
        )
        .0
    }
}

/// Who wrote a journal, about which project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Journal format version.
    pub version: u32,
    /// The project file, when it has one.
    pub project_path: Option<PathBuf>,
    /// SHA-256 of the project file when the session opened or last saved it.
    pub file_hash: Option<String>,
    /// Why the project was read-only, if it was.
    pub read_only: Option<String>,
    /// When the session started writing this journal.
    pub started: Timestamp,
}

impl Header {
    /// A header for a session starting now.
    #[must_use]
    pub fn new(
        project_path: Option<PathBuf>,
        file_hash: Option<String>,
        read_only: Option<String>,
        started: Timestamp,
    ) -> Self {
        Self {
            version: VERSION,
            project_path,
            file_hash,
            read_only,
            started,
        }
    }
}

/// One journal record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Record {
    /// First record.
    Header(Header),
    /// The whole project; `names` are the unsaved changes it already holds.
    Snapshot {
        /// When.
        at: Timestamp,
        /// Names of the unsaved changes folded into it, oldest first.
        names: Vec<String>,
        /// The project.
        project: Box<Snapshot>,
    },
    /// One applied edit and its name ("Tag as claim", "Undo Tag as claim").
    Edit {
        /// When.
        at: Timestamp,
        /// What the analyst did.
        name: String,
        /// The edit applied.
        edit: Edit,
    },
}

/// Encodes a record as one `LEN CRC32 JSON\n` line.
#[must_use]
pub fn encode(r: &Record) -> Vec<u8> {
    let json = serde_json::to_vec(r).unwrap_or_default();
    let mut line = format!("{} {:08x} ", json.len(), crc32fast::hash(&json)).into_bytes();
    line.extend_from_slice(&json);
    line.push(b'\n');
    line
}

/// Decodes records until the first bad one (torn write, bad checksum, bad JSON).
#[must_use]
pub fn decode(bytes: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let Some(record) = decode_one(&mut rest) else {
            break;
        };
        out.push(record);
    }
    out
}

fn decode_one(rest: &mut &[u8]) -> Option<Record> {
    let mut fields = rest.splitn(3, |&b| b == b' ');
    let len: usize = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let crc = u32::from_str_radix(std::str::from_utf8(fields.next()?).ok()?, 16).ok()?;
    let body = fields.next()?;
    let json = body.get(..len)?;
    if body.get(len) != Some(&b'\n') || crc32fast::hash(json) != crc {
        return None;
    }
    let record = serde_json::from_slice(json).ok()?;
    let used = rest.len() - body.len() + len + 1;
    *rest = rest.get(used..)?;
    Some(record)
}

/// What a journal holds, replayed.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// Its header.
    pub header: Header,
    /// The project with every journaled edit applied.
    pub project: Project,
    /// Names of the unsaved changes, oldest first.
    pub names: Vec<String>,
    /// Time of the last good record.
    pub last: Timestamp,
    /// Edit records that did not apply (should be none; counted, not hidden).
    pub failed: usize,
}

/// Replays records: the last snapshot, then the edits after it.
#[must_use]
pub fn replay(records: Vec<Record>) -> Option<Replayed> {
    let mut it = records.into_iter();
    let Some(Record::Header(header)) = it.next() else {
        return None;
    };
    let mut state: Option<Replayed> = None;
    for r in it {
        match r {
            Record::Header(_) => break,
            Record::Snapshot { at, names, project } => {
                state = Some(Replayed {
                    header: header.clone(),
                    project: project.into_project(),
                    names,
                    last: at,
                    failed: 0,
                });
            }
            Record::Edit { at, name, edit } => {
                let Some(s) = state.as_mut() else { break };
                match edit.apply(&mut s.project) {
                    Ok(_) => s.names.push(name),
                    Err(_) => s.failed += 1,
                }
                s.last = at;
            }
        }
    }
    state
}

/// An open journal being written by this session (holds its lock).
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    header: Header,
    names: Vec<String>,
    since_snapshot: usize,
    snapshot_at: Timestamp,
}

impl Journal {
    /// Starts a journal in `dir` for a project that has unsaved changes
    /// `names` and is now `project`.
    ///
    /// # Errors
    /// When the folder or file cannot be written.
    pub fn start(
        dir: &Path,
        header: Header,
        project: &Project,
        names: Vec<String>,
    ) -> Result<Self, SaveError> {
        let dir = dir.join(RECOVERY_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| SaveError::io("create", e, dir.clone()))?;
        let key = match &header.project_path {
            Some(p) => crate::io::source::sha256_hex(p.to_string_lossy().as_bytes()),
            None => crate::io::source::sha256_hex(
                format!("untitled {} {}", std::process::id(), header.started.0).as_bytes(),
            ),
        };
        let mut path = dir.join(format!("{}.{EXTENSION}", key.get(..16).unwrap_or(&key)));
        let mut n = 2;
        // A journal of the same project that is not ours yet (another live
        // session, or one not yet recovered) is never overwritten.
        while path.exists() {
            path = dir.join(format!("{}-{n}.{EXTENSION}", key.get(..16).unwrap_or(&key)));
            n += 1;
        }
        let at = header.started;
        let mut j = Self {
            file: Self::write_base(&path, &header, project, &names, at)?,
            path,
            header,
            names,
            since_snapshot: 0,
            snapshot_at: at,
        };
        j.since_snapshot = 0;
        Ok(j)
    }

    /// Continues a journal left by an ended session (after a restore).
    ///
    /// # Errors
    /// When it cannot be opened or is locked by a live session.
    pub fn adopt(path: &Path, replayed: &Replayed) -> Result<Self, SaveError> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| SaveError::io("open", e, path.to_path_buf()))?;
        file.try_lock().map_err(|_| SaveError::Io {
            action: "lock the recovery journal",
            source: std::io::Error::other("another Spanmark window uses it"),
            path: path.to_path_buf(),
        })?;
        let mut j = Self {
            path: path.to_path_buf(),
            file,
            header: replayed.header.clone(),
            names: replayed.names.clone(),
            since_snapshot: 0,
            snapshot_at: replayed.last,
        };
        // Rewrite it so a torn tail is gone before we append.
        j.snapshot(&replayed.project, replayed.last)?;
        Ok(j)
    }

    fn write_base(
        path: &Path,
        header: &Header,
        project: &Project,
        names: &[String],
        at: Timestamp,
    ) -> Result<File, SaveError> {
        let mut bytes = encode(&Record::Header(header.clone()));
        bytes.extend(encode(&Record::Snapshot {
            at,
            names: names.to_vec(),
            project: Box::new(Snapshot::of(project)),
        }));
        write_atomic(path, &bytes)?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| SaveError::io("open", e, path.to_path_buf()))?;
        // Best effort: a file system without locks still journals.
        let _ = file.try_lock();
        Ok(file)
    }

    /// Appends one applied edit (flushed to disk before returning).
    ///
    /// # Errors
    /// When the write fails (the edit itself stands; only its journal entry is missing).
    pub fn append(&mut self, name: &str, edit: &Edit, at: Timestamp) -> Result<(), SaveError> {
        let line = encode(&Record::Edit {
            at,
            name: name.to_owned(),
            edit: edit.clone(),
        });
        let err = |e| SaveError::io("write the recovery journal", e, self.path.clone());
        self.file.write_all(&line).map_err(err)?;
        self.file.sync_data().map_err(err)?;
        self.names.push(name.to_owned());
        self.since_snapshot += 1;
        Ok(())
    }

    /// True when a snapshot is due (many edits, or minutes, since the last).
    #[must_use]
    pub fn snapshot_due(&self, now: Timestamp) -> bool {
        self.since_snapshot >= SNAPSHOT_EVERY_EDITS
            || (self.since_snapshot > 0 && now.0 - self.snapshot_at.0 >= SNAPSHOT_EVERY_SECS)
    }

    /// Rewrites the journal as header + a snapshot of `project`.
    ///
    /// # Errors
    /// When the write fails (the old journal then stays as it was).
    pub fn snapshot(&mut self, project: &Project, now: Timestamp) -> Result<(), SaveError> {
        self.file = Self::write_base(&self.path, &self.header, project, &self.names, now)?;
        self.since_snapshot = 0;
        self.snapshot_at = now;
        Ok(())
    }

    /// Unsaved changes journaled so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing is journaled.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The journal file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The project file it is about.
    #[must_use]
    pub fn project_path(&self) -> Option<&Path> {
        self.header.project_path.as_deref()
    }

    /// Ends the session's journal: everything is saved (or deliberately
    /// discarded), so the file is removed.
    pub fn finish(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
