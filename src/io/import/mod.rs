//! Imports: pre-annotations from other tools into a project.
//!
//! A parser per format turns a file into [`Incoming`] documents (text
//! and/or name, spans); [`place::plan_import`] matches each to a project
//! document — by identical text first, then by file name — and turns the
//! spans into one undoable [`crate::model::Edit::Batch`]. With
//! `add_documents`, unmatched documents that carry their text become new
//! documents (the text is written into `sources/`).
//!
//! Invariants: offsets read are Unicode code points (as every format here
//! writes them); nothing is placed whose range leaves the text, whose
//! covered text differs from what the file says it covers, or that
//! duplicates an annotation already there — each such span is one line of
//! the [`ImportReport`]; every imported annotation gets
//! `origin: Some("TOOL:FILE")`; the project changes only through edits.

pub mod brat;
pub mod csv_rows;
pub mod json;
pub mod place;

pub use place::import_file;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::model::{EditError, Timestamp};

/// An import format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// doccano JSONL, plain or with entities.
    Doccano,
    /// Prodigy / spaCy JSONL (`text` + `spans`).
    Prodigy,
    /// brat standoff: a `.ann` file (next to its `.txt`) or a folder of them.
    Brat,
    /// Label Studio JSON tasks (annotations and predictions).
    LabelStudio,
    /// Spanmark's CSV.
    Csv,
    /// W3C Web Annotation JSON-LD (position + quote selectors).
    W3c,
}

impl ImportFormat {
    /// Parses a command-line name (`doccano`, `doccano-rel`, `prodigy`,
    /// `spacy`, `brat`, `labelstudio`, `csv`, `w3c`).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "doccano" | "doccano-rel" => Self::Doccano,
            "prodigy" | "spacy" => Self::Prodigy,
            "brat" => Self::Brat,
            "labelstudio" => Self::LabelStudio,
            "csv" => Self::Csv,
            "w3c" => Self::W3c,
            _ => return None,
        })
    }

    /// The tool name recorded in `origin`.
    #[must_use]
    pub fn tool(self) -> &'static str {
        match self {
            Self::Doccano => "doccano",
            Self::Prodigy => "prodigy",
            Self::Brat => "brat",
            Self::LabelStudio => "labelstudio",
            Self::Csv => "csv",
            Self::W3c => "w3c",
        }
    }
}

/// One span read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingSpan {
    /// Start, in code points.
    pub start: usize,
    /// End, in code points.
    pub end: usize,
    /// Label name (or id) as written.
    pub label: String,
    /// Note, if any.
    pub note: Option<String>,
    /// Author, if the file names one.
    pub author: Option<String>,
    /// Creation time, if the file has one.
    pub created: Option<Timestamp>,
    /// The text the file says the span covers, when it says.
    pub quote: Option<String>,
}

/// One document read from a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Incoming {
    /// Its full text, when the format carries it.
    pub text: Option<String>,
    /// Its name (file name or a `document` field), when known.
    pub name: Option<String>,
    /// Where in the file it came from ("line 3", "task 2").
    pub place: String,
    /// Its spans.
    pub spans: Vec<IncomingSpan>,
}

/// What an import placed, created and could not place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Format name.
    pub format: String,
    /// File imported.
    pub file: String,
    /// Annotations added.
    pub placed: usize,
    /// Added per label name.
    pub by_label: BTreeMap<String, usize>,
    /// Added per document name.
    pub by_document: BTreeMap<String, usize>,
    /// Documents created (with `add_documents`).
    pub created_documents: Vec<String>,
    /// Labels created for unknown label names.
    pub created_labels: Vec<String>,
    /// One line per span or document that could not be placed, and why.
    pub not_placed: Vec<String>,
}

impl ImportReport {
    /// Pretty JSON with a trailing newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned());
        s.push('\n');
        s
    }
}

impl fmt::Display for ImportReport {
    /// The whole report; with a precision (`{:.500}`), at most that many
    /// spans that could not be placed are listed, then how many more (the
    /// window's copy: a 100k-line label would stall it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Imported {} annotation(s) from {} ({}).",
            self.placed, self.file, self.format
        )?;
        for (k, n) in &self.by_document {
            writeln!(f, "  {k}: {n}")?;
        }
        for d in &self.created_documents {
            writeln!(f, "Created document {d}.")?;
        }
        for l in &self.created_labels {
            writeln!(f, "Created label {l}.")?;
        }
        if !self.not_placed.is_empty() {
            writeln!(f, "{} could not be placed:", self.not_placed.len())?;
            let shown = f.precision().unwrap_or(usize::MAX);
            for line in self.not_placed.iter().take(shown) {
                writeln!(f, "  {line}")?;
            }
            if let Some(more) = self.not_placed.len().checked_sub(shown).filter(|n| *n > 0) {
                writeln!(
                    f,
                    "  … and {more} more (`spanmark import` on the command line lists them all)"
                )?;
            }
        }
        Ok(())
    }
}

/// Options of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// The format.
    pub format: ImportFormat,
    /// Create documents for texts not in the project.
    pub add_documents: bool,
    /// Author recorded when the file names none.
    pub author: String,
    /// Time recorded when the file has none.
    pub now: Timestamp,
}

/// Why an import failed. The project is unchanged.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("could not read the file ({message}): {path}")]
    Read {
        /// Why.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// The file is not in the format said.
    #[error("{place}: {message}: {path}")]
    Parse {
        /// Line, task or row.
        place: String,
        /// What is wrong.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// A new document could not be added.
    #[error("could not add a document for imported text ({message}): {path}")]
    AddDocument {
        /// Why.
        message: String,
        /// File concerned.
        path: PathBuf,
    },
    /// The edits did not apply (a bug; nothing changed).
    #[error("the import could not be applied ({0})")]
    Edit(#[from] EditError),
    /// The analyst stopped the import before it was done; nothing changed.
    #[error("the import was stopped before it was done; nothing changed: {path}")]
    Stopped {
        /// File concerned.
        path: PathBuf,
    },
}

/// Largest file an importer reads (the project file's limit, 512 MiB).
pub const MAX_IMPORT_BYTES: u64 = crate::io::project_file::MAX_PROJECT_BYTES;

/// Reads a whole file as UTF-8 (a BOM is removed; line endings are kept).
///
/// # Errors
/// Unreadable or not UTF-8.
pub fn read_utf8(path: &Path) -> Result<String, ImportError> {
    use std::io::Read as _;
    let err = |message: String| ImportError::Read {
        message,
        path: path.to_path_buf(),
    };
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    let meta = file.metadata().map_err(|e| err(e.to_string()))?;
    if !meta.is_file() {
        return Err(err("it is not a regular file".into()));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(err(format!(
            "the file is {} bytes, over the {MAX_IMPORT_BYTES}-byte limit for an import",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(e.to_string()))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(err(format!(
            "the file grew over the {MAX_IMPORT_BYTES}-byte limit for an import while it was read"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| ImportError::Read {
        message: format!("not UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        path: path.to_path_buf(),
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

/// Parses a file (or, for brat, a folder) into incoming documents.
///
/// # Errors
/// Unreadable file or malformed content, with the place and path.
pub fn parse(format: ImportFormat, path: &Path) -> Result<Vec<Incoming>, ImportError> {
    match format {
        ImportFormat::Doccano => json::doccano(path),
        ImportFormat::Prodigy => json::prodigy(path),
        ImportFormat::LabelStudio => json::label_studio(path),
        ImportFormat::Brat => brat::read(path),
        ImportFormat::Csv => csv_rows::read(path),
        ImportFormat::W3c => json::w3c(path),
    }
}
