//! Headless command line: `new`, `add`, `validate`, `stats`, `reanchor`,
//! `pack`, `unpack`, `export`, `import`, and opening the window when no subcommand is given.
//!
//! Invariants: every failure ends as one line on stderr and a non-zero exit
//! code, never a panic or a debug dump; output meant for scripts (`--json`)
//! goes to stdout and is deterministic.

/// Prints a line to stdout, ignoring a closed pipe (`spanmark stats | head`)
/// instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod commands;
pub mod merging;
mod pack;
mod reanchor;
mod save_loop;
pub mod transfer;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Spanmark: highlight and tag character spans in source documents.
#[derive(Parser, Debug)]
#[command(name = "spanmark", version, about, long_about = None)]
pub struct Args {
    /// Subcommand; without one, the window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Project (`*.spanmark.ron`) or source files to open in the window.
    pub paths: Vec<PathBuf>,
}

/// Headless subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a project with the default labels (claim, quote, unverified) and these sources.
    New {
        /// The project file to create, e.g. `harbour.spanmark.ron`.
        project: PathBuf,
        /// Source files (plain text) to add.
        sources: Vec<PathBuf>,
        /// Project name (default: from the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Add source documents to a project.
    Add {
        /// The project file.
        project: PathBuf,
        /// Source files to add.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
    },
    /// Check a project and its sources: exit 0 when clean, 1 with one line per
    /// problem, 2 when the project file cannot be read.
    Validate {
        /// The project file.
        project: PathBuf,
    },
    /// Place annotations again in sources that changed since they were added,
    /// printing each one's status: exact, moved, fuzzy (with score) or orphaned.
    Reanchor {
        /// The project file.
        project: PathBuf,
        /// Save the re-anchored project (moved/fuzzy/orphaned stay marked for review).
        #[arg(long)]
        save: bool,
    },
    /// Count documents and annotations, per label and per document.
    Stats {
        /// The project file.
        project: PathBuf,
        /// Print JSON (`documents`, `annotations`, `by_label`, `by_document`).
        #[arg(long)]
        json: bool,
    },
    /// Write a single-file copy of a project, with every source text
    /// embedded, for sharing by email (the project itself is not changed).
    Pack {
        /// The project file.
        project: PathBuf,
        /// The single-file project to write, e.g. `harbour-packed.spanmark.ron`.
        #[arg(short, long)]
        out: PathBuf,
        /// Replace OUT if it already exists.
        #[arg(long)]
        force: bool,
    },
    /// Write the sources embedded in a single-file project into a folder,
    /// with the project file beside them (DIR/NAME.spanmark.ron + sources).
    Unpack {
        /// The single-file project.
        packed: PathBuf,
        /// The folder to write into (created if missing); nothing is written outside it.
        #[arg(short, long)]
        out: PathBuf,
        /// Replace existing different files inside DIR.
        #[arg(long)]
        force: bool,
    },
    /// Export annotations as training data or for another tool, with a
    /// fidelity report of everything a format could not carry.
    Export(transfer::ExportArgs),
    /// Import annotations from another tool as pre-annotations (the project is saved).
    Import(transfer::ImportArgs),
    /// Merge colleagues' copies of a project: the same document is found by
    /// content hash, identical annotations collapse (keeping every author),
    /// differing ones are kept and marked as conflicts. The first file is the
    /// base: its documents, source paths and label colours win.
    Merge {
        /// Project files (at least two).
        #[arg(required = true, num_args = 2..)]
        projects: Vec<PathBuf>,
        /// Where to write the merged project (may be the first input).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Git merge driver: `spanmark merge-driver %O %A %B` merges a project
    /// file three-way and writes the result over %A. Exit 0: clean; 1:
    /// conflicts marked for review in Spanmark; 2: could not merge. See the
    /// README for the `.gitattributes` and `git config` lines.
    MergeDriver {
        /// The common ancestor's version (%O).
        base: PathBuf,
        /// Our version (%A), overwritten with the result.
        ours: PathBuf,
        /// Their version (%B).
        theirs: PathBuf,
    },
    /// Inter-annotator agreement on the documents the projects share (one
    /// project: between its authors): span F1 (exact and overlap), Cohen's
    /// κ on characters, Krippendorff's α nominal on tokens, and every span
    /// not all annotators made.
    Agreement {
        /// Project files: one per annotator, or one merged project.
        #[arg(required = true)]
        projects: Vec<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// (Testing) Save the project over and over through the app's save path,
    /// flipping one note between two states; for the kill -9 test.
    #[command(hide = true)]
    DebugSaveLoop {
        /// The project file.
        project: PathBuf,
        /// Saves to make (default: until killed).
        #[arg(long)]
        count: Option<u64>,
    },
    /// (Testing) List the unsaved work ended sessions left for recovery;
    /// `--save-as OUT` writes the newest, restored, to OUT.
    #[command(hide = true)]
    DebugRecover {
        /// Where to write the restored project.
        #[arg(long)]
        save_as: Option<PathBuf>,
    },
}

/// Parses the process's command line (with the generated format list in
/// `export --help`); exits with clap's message on bad arguments.
#[must_use]
pub fn parse_args() -> Args {
    let cmd = Args::command().mut_subcommand("export", |c| c.after_help(transfer::export_help()));
    let matches = cmd.get_matches();
    Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Runs the parsed command line and returns the process exit code.
#[must_use]
pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        None => commands::open_window(&args.paths),
        Some(Command::New {
            project,
            sources,
            name,
        }) => commands::new(&project, &sources, name),
        Some(Command::Add { project, sources }) => commands::add(&project, &sources),
        Some(Command::Validate { project }) => commands::validate(&project),
        Some(Command::Stats { project, json }) => commands::stats(&project, json),
        Some(Command::Reanchor { project, save }) => reanchor::reanchor(&project, save),
        Some(Command::Pack {
            project,
            out,
            force,
        }) => pack::pack(&project, &out, force),
        Some(Command::Unpack { packed, out, force }) => pack::unpack(&packed, &out, force),
        Some(Command::Export(a)) => transfer::export(&a),
        Some(Command::Import(a)) => transfer::import(&a),
        Some(Command::Merge { projects, output }) => merging::merge(&projects, &output),
        Some(Command::MergeDriver { base, ours, theirs }) => merging::driver(&base, &ours, &theirs),
        Some(Command::Agreement { projects, json }) => merging::agreement(&projects, json),
        Some(Command::DebugSaveLoop { project, count }) => save_loop::save_loop(&project, count),
        Some(Command::DebugRecover { save_as }) => save_loop::recover(save_as.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("spanmark: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// A failed command: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// One line, path last.
    pub message: String,
    /// Process exit code (1 or 2).
    pub code: u8,
}

impl Failure {
    fn new(code: u8, message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            code,
        }
    }
}
