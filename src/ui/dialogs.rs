//! File dialogs behind a trait: the only file in Spanmark that calls `rfd`.
//!
//! Invariants: the workbench asks for paths only through [`Dialogs`]; tests
//! use [`ScriptedDialogs`], which answers from a queue and never blocks.
//! When the native dialog is unavailable (no desktop portal, e.g. under
//! Xvfb) the answer is [`Picked::Unavailable`] and the workbench shows an
//! in-app path field instead.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The result of asking for a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// The analyst chose these paths.
    Paths(Vec<PathBuf>),
    /// The analyst cancelled.
    Cancelled,
    /// No dialog could be shown: ask in the app instead.
    Unavailable,
}

/// What a dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open a project file.
    OpenProject,
    /// Choose where to save the project.
    SaveProject,
    /// Choose source texts to add.
    AddSources,
    /// Choose where an export goes.
    ExportTo,
    /// Choose a file of annotations to import.
    ImportFrom,
    /// Choose a colleague's copy of the project to merge in.
    MergeProject,
    /// Choose where a single-file copy of the project goes.
    SaveSingleFile,
    /// Choose a folder to extract embedded sources into.
    ExtractTo,
    /// Choose the file of a document whose source is missing.
    LocateSource,
}

/// Asks the analyst for file paths.
pub trait Dialogs {
    /// Shows a dialog for `purpose`; `suggested` is a file name for saving.
    fn pick(&mut self, purpose: Purpose, suggested: &str) -> Picked;
}

/// Native dialogs through `rfd`.
#[derive(Debug, Default)]
pub struct NativeDialogs {
    /// Set once a dialog failed to appear, so later requests skip it.
    unavailable: bool,
}

/// A dialog that "closes" faster than this most likely never appeared.
const TOO_FAST: Duration = Duration::from_millis(150);

impl Dialogs for NativeDialogs {
    fn pick(&mut self, purpose: Purpose, suggested: &str) -> Picked {
        if self.unavailable || std::env::var_os("SPANMARK_NO_NATIVE_DIALOGS").is_some() {
            return Picked::Unavailable;
        }
        let started = Instant::now();
        let project = ["ron"];
        let picked = match purpose {
            Purpose::OpenProject => rfd::FileDialog::new()
                .set_title("Open project")
                .add_filter("Spanmark project", &project)
                .pick_file()
                .map(|p| vec![p]),
            Purpose::SaveProject => rfd::FileDialog::new()
                .set_title("Save project")
                .set_file_name(suggested)
                .add_filter("Spanmark project", &project)
                .save_file()
                .map(|p| vec![p]),
            Purpose::AddSources => rfd::FileDialog::new()
                .set_title("Add documents")
                .add_filter("Text", &["txt", "md"])
                .pick_files(),
            Purpose::ExportTo => rfd::FileDialog::new()
                .set_title("Export to")
                .set_file_name(suggested)
                .save_file()
                .map(|p| vec![p]),
            Purpose::MergeProject => rfd::FileDialog::new()
                .set_title("Merge a colleague's copy of the project")
                .add_filter("Spanmark project", &project)
                .pick_file()
                .map(|p| vec![p]),
            Purpose::ImportFrom => rfd::FileDialog::new()
                .set_title("Import annotations from")
                .pick_file()
                .map(|p| vec![p]),
            Purpose::SaveSingleFile => rfd::FileDialog::new()
                .set_title("Save as single file")
                .set_file_name(suggested)
                .add_filter("Spanmark project", &project)
                .save_file()
                .map(|p| vec![p]),
            Purpose::ExtractTo => rfd::FileDialog::new()
                .set_title("Extract sources into folder")
                .pick_folder()
                .map(|p| vec![p]),
            Purpose::LocateSource => rfd::FileDialog::new()
                .set_title(format!("Locate {suggested}"))
                .pick_file()
                .map(|p| vec![p]),
        };
        match picked {
            Some(paths) if !paths.is_empty() => Picked::Paths(paths),
            _ if started.elapsed() < TOO_FAST => {
                self.unavailable = true;
                Picked::Unavailable
            }
            _ => Picked::Cancelled,
        }
    }
}

/// Dialogs that answer from a script, for tests.
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    answers: VecDeque<Picked>,
    /// Every request made, in order.
    pub asked: Vec<Purpose>,
}

impl ScriptedDialogs {
    /// Dialogs that will give these answers in order (then `Cancelled`).
    #[must_use]
    pub fn new(answers: impl IntoIterator<Item = Picked>) -> Self {
        Self {
            answers: answers.into_iter().collect(),
            asked: Vec::new(),
        }
    }
}

impl Dialogs for ScriptedDialogs {
    fn pick(&mut self, purpose: Purpose, _suggested: &str) -> Picked {
        self.asked.push(purpose);
        self.answers.pop_front().unwrap_or(Picked::Cancelled)
    }
}
