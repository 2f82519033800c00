//! What a background job is doing: its kind, the words the status bar
//! shows for it, and whether the analyst may stop it.
//!
//! Invariant: a kind that [`JobKind::drops_on_stop`] changes nothing until
//! it is delivered (it works on a snapshot), so dropping it is safe at any
//! moment; the others write files or hold history, and are either never
//! stopped or waited for until their worker has seen the stop.

use std::path::PathBuf;

use crate::io::import::ImportOptions;

/// What a job is doing, for the progress display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// Opening this project file.
    Open(PathBuf),
    /// Saving to this path.
    Save(PathBuf),
    /// Writing a single-file copy to this path.
    Pack(PathBuf),
    /// Extracting the embedded sources into this folder.
    Extract(PathBuf),
    /// Importing annotations from this file (with these options).
    Import(PathBuf, Box<ImportOptions>),
    /// Merging this project file (a colleague's copy, or ours on disk).
    Merge(PathBuf),
    /// Computing the agreement between authors.
    Agreement,
    /// Reading this many text files as new documents.
    AddDocuments(usize),
    /// Reading this file for "Locate file…".
    Locate(PathBuf),
    /// Re-pointing a document at this file (placing its annotations again
    /// when the bytes differ).
    Relink(PathBuf),
    /// Undoing (`undo`) or redoing the step called `name`.
    Step {
        /// The step's name ("Import annotations").
        name: String,
        /// Undo, else redo.
        undo: bool,
    },
}

impl JobKind {
    /// True for a job the analyst may stop from the status bar: every one
    /// but opening (it has its own Cancel).
    #[must_use]
    pub fn can_stop(&self) -> bool {
        !matches!(self, Self::Open(_))
    }

    /// True for a stoppable job that changes nothing until it is delivered
    /// (it works on a snapshot): stopped, it is dropped at once and its
    /// worker ends at its next check. A save, a single-file copy or an
    /// extraction instead runs until its worker has seen the stop (it may
    /// have replaced the file just before: then it counts as done); a big
    /// undo/redo runs until its worker hands the step back, which then
    /// goes back on its stack unapplied.
    #[must_use]
    pub fn drops_on_stop(&self) -> bool {
        self.can_stop()
            && !matches!(
                self,
                Self::Save(_) | Self::Pack(_) | Self::Extract(_) | Self::Step { .. }
            )
    }

    /// What *Stop* does, for its tooltip.
    #[must_use]
    pub fn stop_hint(&self) -> &'static str {
        match self {
            Self::Save(_) | Self::Pack(_) | Self::Extract(_) => {
                "Stop it before the project file is replaced; the file stays as it was"
            }
            Self::Step { .. } => "Stop it; the step stays where it was, nothing changes",
            _ => "Stop it; nothing changes",
        }
    }

    /// What the status bar says while a save-like job runs (`None` for
    /// opening, which has its own screen).
    #[must_use]
    pub fn status(&self) -> Option<String> {
        match self {
            Self::Open(_) => None,
            Self::Save(p) => Some(format!("Saving {}…", p.display())),
            Self::Pack(p) => Some(format!("Saving a single-file copy: {}…", p.display())),
            Self::Extract(p) => Some(format!("Extracting sources into {}…", p.display())),
            Self::Import(p, _) => Some(format!("Importing annotations from {}…", p.display())),
            Self::Merge(p) => Some(format!("Merging {}…", p.display())),
            Self::Agreement => Some("Computing the agreement between authors…".to_owned()),
            Self::AddDocuments(n) => Some(format!("Reading {n} text file(s)…")),
            Self::Locate(p) => Some(format!("Reading {}…", p.display())),
            Self::Relink(p) => Some(format!("Placing the annotations in {}…", p.display())),
            Self::Step { name, undo: true } => Some(format!("Undoing {name}…")),
            Self::Step { name, undo: false } => Some(format!("Redoing {name}…")),
        }
    }
}
