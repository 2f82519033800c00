//! The file layer: project files, sources, paths, atomic writes.
//!
//! Invariant: this is the only layer that touches the file system; it knows
//! nothing of the GUI. Every error is typed and names its path last.

pub mod agreement;
pub mod atomic;
pub mod backup;
pub mod changed_sources;
pub mod disk_check;
pub mod error;
pub mod export;
pub mod import;
pub mod journal;
pub mod journal_writer;
pub mod locate;
pub mod lock;
pub mod merge;
pub mod pack;
pub mod paths;
pub mod project_file;
pub mod recovery;
pub mod relocate;
pub mod saving;
pub mod source;
pub mod workspace;

pub use error::{LoadError, PackError, PathError, SaveError, SourceError};
pub use workspace::{NewDocument, Problem, SourceState, Workspace};
