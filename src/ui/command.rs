//! Every action the analyst can take, as a value with its label and shortcut.
//!
//! Invariants: menus, buttons and key handling all read names and shortcuts
//! from [`Command::label`] and [`Command::shortcut`], so they never drift;
//! UI code only *pushes* commands, and the workbench executes them once per
//! frame after drawing. [`KEYED`] lists every command with a fixed shortcut,
//! most specific first, so `Ctrl+Shift+Z` is never read as `Ctrl+Z`.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{AnnotationId, DocumentId, LabelId, LabelProps, Status};
use crate::ui::review::ReviewAction;

/// Which end of an annotation a resize moves, and which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// Move the end one step right.
    ExtendEnd,
    /// Move the end one step left.
    ShrinkEnd,
    /// Move the start one step left.
    ExtendStart,
    /// Move the start one step right.
    ShrinkStart,
}

/// The analyst's answer to the unsaved-changes prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Save, then continue.
    Save,
    /// Continue without saving.
    Discard,
    /// Do nothing.
    Cancel,
}

/// An action, executed by the workbench after the frame is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start an empty, unsaved project.
    NewProject,
    /// Ask for a project file and open it.
    OpenProject,
    /// Open this project file (recent list, command line).
    OpenPath(PathBuf),
    /// Ask for text files and add them as documents.
    AddSources,
    /// Files dropped on the window: a project opens, texts are added.
    DropFiles(Vec<PathBuf>),
    /// Save to the current path (asks for one if there is none).
    Save,
    /// Ask for a path and save there.
    SaveAs,
    /// Ask for a file name and write a single-file copy (every source text
    /// embedded); the open project stays as it is.
    SaveSingleFile,
    /// Ask for a folder and write a single-file project's sources there,
    /// with the project file beside them; the project then points at them.
    ExtractSources,
    /// Ask for the file of a document whose source is missing.
    LocateSource(DocumentId),
    /// Use the located file although its bytes differ (annotations are placed again).
    UseLocatedAnyway,
    /// Drop the located file whose bytes differ.
    CancelLocate,
    /// Close the project (asks about unsaved changes).
    CloseProject,
    /// Close the window (asks about unsaved changes).
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Remove the selected annotation.
    Delete,
    /// Open the find bar.
    Find,
    /// Go to the next match.
    FindNext,
    /// Go to the previous match.
    FindPrev,
    /// Bigger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Default text size.
    ZoomReset,
    /// Switch between light and dark.
    ToggleTheme,
    /// Switch snapping selections to whole words.
    ToggleWordSnap,
    /// Show the label manager.
    ManageLabels,
    /// Show what was found wrong on open.
    ShowProblems,
    /// Show the export window.
    OpenExport,
    /// Show the import window.
    OpenImport,
    /// Start the export drafted in the export window.
    RunExport,
    /// Stop the running export.
    CancelExport,
    /// Stop opening a project (the half-read project is dropped).
    CancelOpen,
    /// Stop waiting for the running import, agreement, or reading of added
    /// or located files (nothing changes).
    StopJob,
    /// Write the last fidelity report as JSON beside the export.
    SaveExportReport,
    /// Ask where to export.
    ChooseExportPath,
    /// Ask for a file to import.
    ChooseImportFile,
    /// Import the file chosen in the import window.
    RunImport,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Select the next annotation in the document.
    NextAnnotation,
    /// Select the previous annotation in the document.
    PrevAnnotation,
    /// Close the find bar if open, else clear the selections (Escape).
    ClearSelection,
    /// Clear the text selection and the selected annotation (a click on plain text).
    Deselect,
    /// Move an end of the selected annotation.
    Resize(Nudge),
    /// Move an end of the selected annotation by a word.
    ResizeByWord(Nudge),
    /// Move the moving end of the text selection one character (grapheme) right or left.
    Caret {
        /// Rightwards (towards the end of the text).
        forward: bool,
        /// By word (Ctrl) instead of by character.
        word: bool,
        /// Keep the anchor (Shift): extend the selection.
        extend: bool,
    },
    /// Tag the text selection (or retag the selected annotation).
    Tag(LabelId),
    /// Give an annotation another label.
    Retag(AnnotationId, LabelId),
    /// Select an annotation (and show it).
    SelectAnnotation(AnnotationId),
    /// Show a document.
    OpenDocument(DocumentId),
    /// Clear an annotation's review flag after checking it.
    MarkReviewed(AnnotationId),
    /// Set the note of an annotation (empty clears it).
    SetNote(AnnotationId, String),
    /// Set a document's progress.
    SetStatus(DocumentId, Status),
    /// Add a label with this name.
    AddLabel(String),
    /// Change a label's name, colour or hotkey.
    EditLabel(LabelId, LabelProps),
    /// Remove a label, moving its annotations to another one first.
    RemoveLabel {
        /// Label removed.
        label: LabelId,
        /// Where its annotations go (required when it is in use).
        reassign_to: Option<LabelId>,
    },
    /// Answer the unsaved-changes prompt.
    Answer(Answer),
    /// After a save refused because the file changed on disk: save ours elsewhere.
    SaveOursAsCopy,
    /// After a save refused because the file changed on disk: merge the
    /// version on disk into ours (one undoable step; then save).
    MergeWithDisk,
    /// Ask for a colleague's copy of the project and merge it into this one.
    MergeProject,
    /// Close the merge report.
    CloseMergeReport,
    /// Show (or refresh) agreement between the project's authors.
    ShowAgreement,
    /// Close the agreement window.
    CloseAgreement,
    /// Compare this author in the agreement window, or stop comparing them.
    ToggleAgreementAuthor(String),
    /// After a save refused because the file changed on disk: overwrite
    /// theirs (asks for confirmation first; their version is kept as a backup).
    OverwriteDisk,
    /// Close the conflict window without doing anything.
    CancelConflict,
    /// Answer about a project someone else has open (read-only, copy, take over).
    OpenLocked(crate::ui::workbench::LockedChoice),
    /// Show the previous versions kept in `.spanmark-history`.
    ShowPreviousVersions,
    /// Open a previous version (as a copy beside the project).
    OpenPreviousVersion(PathBuf),
    /// Restore the unsaved changes an ended session left (offer number).
    RestoreRecovery(usize),
    /// Set aside the unsaved changes an ended session left (offer number).
    DiscardRecovery(usize),
    /// Review changed-source placements and merge conflicts (panel actions).
    Review(crate::ui::review::ReviewAction),
    /// Record this name as the author of new annotations (first-start prompt).
    SetAuthor(String),
    /// Use the path typed into the in-app path field.
    SubmitPath,
    /// Close the in-app path field.
    CancelPath,
}

/// Commands with a fixed shortcut, most specific modifiers first.
pub const KEYED: &[Command] = &[
    Command::Redo,
    Command::SaveAs,
    Command::Review(ReviewAction::StartReplace(None)),
    Command::Review(ReviewAction::Prev),
    Command::ResizeByWord(Nudge::ExtendEnd),
    Command::ResizeByWord(Nudge::ShrinkEnd),
    Command::ResizeByWord(Nudge::ExtendStart),
    Command::ResizeByWord(Nudge::ShrinkStart),
    Command::Resize(Nudge::ExtendEnd),
    Command::Resize(Nudge::ShrinkEnd),
    Command::Resize(Nudge::ExtendStart),
    Command::Resize(Nudge::ShrinkStart),
    Command::Caret {
        forward: true,
        word: true,
        extend: true,
    },
    Command::Caret {
        forward: false,
        word: true,
        extend: true,
    },
    Command::Caret {
        forward: true,
        word: false,
        extend: true,
    },
    Command::Caret {
        forward: false,
        word: false,
        extend: true,
    },
    Command::Caret {
        forward: true,
        word: true,
        extend: false,
    },
    Command::Caret {
        forward: false,
        word: true,
        extend: false,
    },
    Command::Caret {
        forward: true,
        word: false,
        extend: false,
    },
    Command::Caret {
        forward: false,
        word: false,
        extend: false,
    },
    Command::FindPrev,
    Command::PrevAnnotation,
    Command::NewProject,
    Command::OpenProject,
    Command::OpenExport,
    Command::Quit,
    Command::Save,
    Command::Undo,
    Command::Find,
    Command::ZoomIn,
    Command::ZoomOut,
    Command::ZoomReset,
    Command::Delete,
    Command::FindNext,
    Command::NextAnnotation,
    Command::ClearSelection,
    Command::Review(ReviewAction::Open),
    Command::Review(ReviewAction::Accept(None)),
    Command::Review(ReviewAction::Next),
];

const CMD: Modifiers = Modifiers::COMMAND;
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);

impl Command {
    /// The keyboard shortcut, if the command has a fixed one.
    #[must_use]
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let k = |m: Modifiers, key: Key| Some(KeyboardShortcut::new(m, key));
        match self {
            Self::NewProject => k(CMD, Key::N),
            Self::OpenProject => k(CMD, Key::O),
            Self::Save => k(CMD, Key::S),
            Self::SaveAs => k(CMD.plus(Modifiers::SHIFT), Key::S),
            Self::Quit => k(CMD, Key::Q),
            Self::OpenExport => k(CMD, Key::E),
            Self::Undo => k(CMD, Key::Z),
            Self::Redo => k(CMD.plus(Modifiers::SHIFT), Key::Z),
            Self::Find => k(CMD, Key::F),
            Self::FindNext => k(Modifiers::NONE, Key::F3),
            Self::FindPrev => k(Modifiers::SHIFT, Key::F3),
            Self::ZoomIn => k(CMD, Key::Plus),
            Self::ZoomOut => k(CMD, Key::Minus),
            Self::ZoomReset => k(CMD, Key::Num0),
            Self::Delete => k(Modifiers::NONE, Key::Delete),
            Self::NextAnnotation => k(Modifiers::NONE, Key::Tab),
            Self::PrevAnnotation => k(Modifiers::SHIFT, Key::Tab),
            Self::ClearSelection => k(Modifiers::NONE, Key::Escape),
            Self::Resize(Nudge::ExtendEnd) => k(ALT_SHIFT, Key::ArrowRight),
            Self::Resize(Nudge::ShrinkEnd) => k(ALT_SHIFT, Key::ArrowLeft),
            Self::Resize(Nudge::ExtendStart) => k(ALT_SHIFT, Key::ArrowUp),
            Self::Resize(Nudge::ShrinkStart) => k(ALT_SHIFT, Key::ArrowDown),
            Self::Caret {
                forward,
                word,
                extend,
            } => {
                let mut m = if *word { CMD } else { Modifiers::NONE };
                if *extend {
                    m = m.plus(Modifiers::SHIFT);
                }
                k(
                    m,
                    if *forward {
                        Key::ArrowRight
                    } else {
                        Key::ArrowLeft
                    },
                )
            }
            Self::ResizeByWord(n) => {
                let m = CMD.plus(ALT_SHIFT);
                k(
                    m,
                    match n {
                        Nudge::ExtendEnd => Key::ArrowRight,
                        Nudge::ShrinkEnd => Key::ArrowLeft,
                        Nudge::ExtendStart => Key::ArrowUp,
                        Nudge::ShrinkStart => Key::ArrowDown,
                    },
                )
            }
            Self::Review(r) => r.shortcut(),
            _ => None,
        }
    }

    /// Extra shortcuts that do the same (Ctrl+Y for redo).
    #[must_use]
    pub fn alternate_shortcut(&self) -> Option<KeyboardShortcut> {
        match self {
            Self::Redo => Some(KeyboardShortcut::new(CMD, Key::Y)),
            Self::Delete => Some(KeyboardShortcut::new(Modifiers::NONE, Key::Backspace)),
            Self::ZoomIn => Some(KeyboardShortcut::new(CMD, Key::Equals)),
            _ => None,
        }
    }

    /// True when the shortcut must work while a text field has focus.
    #[must_use]
    pub fn works_in_text_fields(&self) -> bool {
        matches!(
            self,
            Self::Save | Self::SaveAs | Self::OpenProject | Self::NewProject | Self::Find
        )
    }

    /// The name shown in menus and buttons.
    #[must_use]
    pub fn label(&self) -> String {
        let s = match self {
            Self::NewProject => "New project",
            Self::OpenProject => "Open…",
            Self::OpenPath(p) => return p.display().to_string(),
            Self::AddSources => "Add documents…",
            Self::DropFiles(_) => "Open dropped files",
            Self::Save => "Save",
            Self::SaveAs => "Save As…",
            Self::SaveSingleFile => "Save as single file…",
            Self::ExtractSources => "Extract sources…",
            Self::LocateSource(_) => "Locate file…",
            Self::UseLocatedAnyway => "Use it anyway",
            Self::CancelLocate => "Keep the source missing",
            Self::CloseProject => "Close project",
            Self::Quit => "Quit",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Delete => "Delete annotation",
            Self::Find => "Find…",
            Self::FindNext => "Find next",
            Self::FindPrev => "Find previous",
            Self::ZoomIn => "Zoom in",
            Self::ZoomOut => "Zoom out",
            Self::ZoomReset => "Reset zoom",
            Self::ToggleTheme => "Dark theme",
            Self::ToggleWordSnap => "Snap selection to words",
            Self::ManageLabels => "Manage labels…",
            Self::ShowProblems => "Problems…",
            Self::OpenExport => "Export…",
            Self::OpenImport => "Import annotations…",
            Self::RunExport => "Export",
            Self::CancelExport => "Cancel export",
            Self::CancelOpen => "Cancel opening",
            Self::StopJob => "Stop",
            Self::SaveExportReport => "Save report as JSON",
            Self::ChooseExportPath => "Choose export destination",
            Self::ChooseImportFile => "Choose file to import",
            Self::RunImport => "Import",
            Self::ShowShortcuts => "Keyboard shortcuts",
            Self::NextAnnotation => "Next annotation",
            Self::PrevAnnotation => "Previous annotation",
            Self::ClearSelection => "Clear selection",
            Self::Deselect => "Deselect",
            Self::Resize(Nudge::ExtendEnd) => "Extend end",
            Self::Resize(Nudge::ShrinkEnd) => "Shrink end",
            Self::Resize(Nudge::ExtendStart) => "Extend start",
            Self::Resize(Nudge::ShrinkStart) => "Shrink start",
            Self::Caret {
                forward,
                word,
                extend,
            } => {
                return format!(
                    "{} {} by {}",
                    if *extend {
                        "Extend selection"
                    } else {
                        "Move caret"
                    },
                    if *forward { "right" } else { "left" },
                    if *word { "word" } else { "character" }
                );
            }
            Self::ResizeByWord(Nudge::ExtendEnd) => "Extend end by a word",
            Self::ResizeByWord(Nudge::ShrinkEnd) => "Shrink end by a word",
            Self::ResizeByWord(Nudge::ExtendStart) => "Extend start by a word",
            Self::ResizeByWord(Nudge::ShrinkStart) => "Shrink start by a word",
            Self::Tag(l) => return format!("Tag as {l}"),
            Self::Retag(_, l) => return format!("Retag as {l}"),
            Self::SelectAnnotation(id) => return format!("Select annotation {id}"),
            Self::OpenDocument(d) => return format!("Open document {d}"),
            Self::MarkReviewed(_) => "Mark as reviewed",
            Self::SetNote(..) => "Edit note",
            Self::SetStatus(..) => "Set status",
            Self::AddLabel(_) => "Add label",
            Self::EditLabel(..) => "Edit label",
            Self::RemoveLabel { .. } => "Remove label",
            Self::Answer(Answer::Save) => "Save",
            Self::Answer(Answer::Discard) => "Discard",
            Self::Answer(Answer::Cancel) => "Cancel",
            Self::RestoreRecovery(_) => "Restore",
            Self::SaveOursAsCopy => "Save ours as a copy…",
            Self::MergeWithDisk => "Merge…",
            Self::MergeProject => "Merge project…",
            Self::CloseMergeReport | Self::CloseAgreement => "Close",
            Self::ShowAgreement => "Agreement between authors…",
            Self::ToggleAgreementAuthor(a) => return format!("Compare {a}"),
            Self::OverwriteDisk => "Overwrite",
            Self::CancelConflict => "Cancel",
            Self::ShowPreviousVersions => "Open previous version…",
            Self::OpenLocked(c) => match c {
                crate::ui::workbench::LockedChoice::ReadOnly => "Open read-only",
                crate::ui::workbench::LockedChoice::Copy => "Open a copy",
                crate::ui::workbench::LockedChoice::TakeOver => "Take over",
                crate::ui::workbench::LockedChoice::Cancel => "Cancel",
            },
            Self::OpenPreviousVersion(p) => return format!("Open {}", p.display()),
            Self::DiscardRecovery(_) => "Discard",
            Self::Review(r) => return r.label(),
            Self::SetAuthor(_) => "OK",
            Self::SubmitPath => "OK",
            Self::CancelPath => "Cancel",
        };
        s.to_owned()
    }
}

/// Reads this frame's key presses into commands (label hotkeys are handled
/// by the caller, which knows the labels). Consumes the keys it uses.
pub fn read_shortcuts(ctx: &egui::Context, out: &mut Vec<Command>) {
    let typing = ctx.text_edit_focused();
    let before = out.len();
    ctx.input_mut(|i| {
        for c in KEYED {
            if typing && !c.works_in_text_fields() {
                continue;
            }
            let hit = |i: &mut egui::InputState, s: Option<KeyboardShortcut>| {
                s.is_some_and(|s| i.consume_shortcut(&s))
            };
            if hit(i, c.shortcut()) || hit(i, c.alternate_shortcut()) {
                out.push(c.clone());
            }
        }
    });
    let stepped = out[before..]
        .iter()
        .any(|c| matches!(c, Command::NextAnnotation | Command::PrevAnnotation));
    if stepped {
        // Tab steps through annotations here, not through widgets.
        ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
    }
}
