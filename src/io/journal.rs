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
//! `JOURNAL.lock` beside it, so a journal whose lock can be taken belongs
//! to a session that ended (crashed, or was killed). A periodic snapshot
//! rewrites the file atomically as header + snapshot. Writing happens on a
//! worker thread ([`crate::io::journal_writer`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::{Annotation, Document, Edit, Label, Project, Timestamp};

pub use crate::io::journal_writer::Journal;

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
/// Suffix of the lock file a live session holds beside its journal.
pub const LOCK_SUFFIX: &str = ".lock";

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
