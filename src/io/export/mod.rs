//! Exports: training data and interchange files from a project, each with a
//! fidelity report.
//!
//! The entry point is [`export`]: options in, `(files, report)` out, with an
//! optional [`Progress`] (step callback and cancel flag) so the GUI can run
//! it on a worker thread. [`write_files`] then puts the files on disk.
//!
//! Invariants: the same project, texts and options always give the same
//! bytes (documents in project order, spans in annotation key order, JSON
//! written field by field in a fixed order by [`json::JsonWriter`], never
//! from hash maps); every offset written counts
//! Unicode scalar values (Python `str` indices), half-open; whatever a
//! format cannot carry is listed in the [`FidelityReport`].

pub mod align;
pub mod brat;
pub mod csv_rows;
pub mod cursor;
pub mod doccano;
pub mod json;
pub mod label_studio;
pub mod options;
pub mod prodigy;
pub mod report;
pub mod segments;
pub mod select;
pub mod tags;
pub mod tokenize;
pub mod w3c;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

use crate::io::atomic::write_atomic;
use crate::model::{DocumentId, Project, SourceText};

pub use options::{AlignPolicy, ExportOptions, Format, OverlapPolicy, Split};
pub use report::{Entry, EntryKind, FidelityReport};
use select::{DocPart, Part};

/// The offset unit written into files that have a place for it.
pub const OFFSET_UNIT: &str = "unicode_code_point";

/// One output file: a name relative to the output folder and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Relative name, `/`-separated.
    pub name: String,
    /// Exact content.
    pub bytes: Vec<u8>,
}

/// Why an export failed. Nothing is written on error.
#[derive(Debug, Error)]
pub enum ExportError {
    /// `--docs` named a document the project does not have.
    #[error("the project has no document named {0:?}")]
    UnknownDocument(String),
    /// `--labels` named a label the project does not have.
    #[error("the project has no label named {0:?}")]
    UnknownLabel(String),
    /// The cancel flag was set.
    #[error("the export was cancelled")]
    Cancelled,
    /// Serialisation failed (a bug).
    #[error("could not serialise the export ({0})")]
    Serialise(String),
    /// Writing a file failed (the message names the file).
    #[error(transparent)]
    Save(#[from] crate::io::SaveError),
    /// Writing a file failed.
    #[error("could not write the export ({message}): {path}")]
    Write {
        /// What went wrong.
        message: String,
        /// File or folder concerned.
        path: PathBuf,
    },
}

/// Progress reporting and cancellation for long exports.
#[derive(Clone, Copy, Default)]
pub struct Progress<'a> {
    /// Called with (documents done, documents in total).
    pub on_step: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// When set to true, the export stops with [`ExportError::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
}

/// What a format writer gets: the options, the report, progress.
pub struct Ctx<'r> {
    /// The options.
    pub opts: &'r ExportOptions,
    /// The report being filled.
    pub report: &'r mut FidelityReport,
    progress: Progress<'r>,
    done: usize,
    total: usize,
}

impl Ctx<'_> {
    /// Marks one document done; fails when cancelled.
    ///
    /// # Errors
    /// [`ExportError::Cancelled`] when the cancel flag is set.
    pub fn tick(&mut self) -> Result<(), ExportError> {
        if self
            .progress
            .cancel
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(ExportError::Cancelled);
        }
        self.done += 1;
        if let Some(f) = self.progress.on_step {
            f(self.done.min(self.total), self.total);
        }
        Ok(())
    }
}

/// Exports `project` (with the texts of its documents) as `opts` says.
///
/// # Errors
/// Unknown document or label names, cancellation, or a serialiser bug.
pub fn export(
    project: &Project,
    texts: &BTreeMap<DocumentId, Arc<SourceText>>,
    opts: &ExportOptions,
    progress: Progress<'_>,
) -> Result<(Vec<ExportFile>, FidelityReport), ExportError> {
    let mut report = FidelityReport::new(opts.format.name());
    let docs = select::select(project, texts, opts, &mut report)?;
    let labeled: Vec<Part<'_>> = if opts.overlaps == OverlapPolicy::PerLabel {
        select::per_label(project, docs)
    } else {
        vec![Part { name: None, docs }]
    };
    let mut parts: Vec<Part<'_>> = Vec::new();
    for part in labeled {
        match opts.split {
            None => parts.push(part),
            Some(split) => {
                for (name, docs) in select::split_parts(part.docs, split) {
                    let name = match &part.name {
                        Some(label) => format!("{name}.{label}"),
                        None => name,
                    };
                    parts.push(Part {
                        name: Some(name),
                        docs,
                    });
                }
            }
        }
    }
    let mut ctx = Ctx {
        opts,
        report: &mut report,
        progress,
        done: 0,
        total: parts.iter().map(|p| p.docs.len()).sum(),
    };
    let mut files = Vec::new();
    let labels: Vec<String> = project
        .labels()
        .iter()
        .filter(|l| {
            opts.labels.is_empty()
                || opts
                    .labels
                    .iter()
                    .any(|w| w == &l.name || w == l.id.as_str())
        })
        .map(|l| l.name.clone())
        .collect();
    for part in parts {
        let stem = part
            .name
            .clone()
            .unwrap_or_else(|| select::file_safe(&opts.stem));
        let docs = part.docs;
        let mut out = render(
            opts.format,
            docs,
            &stem,
            part.name.as_deref(),
            &labels,
            &mut ctx,
        )?;
        files.append(&mut out);
    }
    files.extend(extra_files(opts.format, &labels));
    if opts.format == Format::Hf {
        files.push(tags::tag_list_file(&labels)?);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.dedup_by(|a, b| a.name == b.name);
    report.files = files.iter().map(|f| f.name.clone()).collect();
    Ok((files, report))
}

fn render(
    format: Format,
    mut docs: Vec<DocPart<'_>>,
    stem: &str,
    part: Option<&str>,
    labels: &[String],
    ctx: &mut Ctx<'_>,
) -> Result<Vec<ExportFile>, ExportError> {
    let ext = format.extension();
    let one = |bytes: Vec<u8>| {
        vec![ExportFile {
            name: format!("{stem}.{ext}"),
            bytes,
        }]
    };
    Ok(match format {
        Format::Doccano => one(doccano::plain(&docs, ctx)?),
        Format::DoccanoRel => one(doccano::with_relations(&docs, ctx)?),
        Format::Prodigy | Format::Spacy => one(prodigy::render(&docs, ctx)?),
        Format::Conll | Format::Bilou => one(tags::conll(&mut docs, format == Format::Bilou, ctx)?),
        Format::Hf => one(tags::hf(&mut docs, labels, ctx)?),
        Format::Brat => brat::render(&docs, part, labels, ctx)?,
        Format::LabelStudio => one(label_studio::render(&docs, ctx)?),
        Format::W3c => one(w3c::render(&docs, ctx)?),
        Format::Csv => one(csv_rows::render(&docs, ctx)?),
    })
}

/// Files that go with a format whatever the parts: brat's
/// `annotation.conf`, spaCy's DocBin helper.
fn extra_files(format: Format, labels: &[String]) -> Vec<ExportFile> {
    match format {
        Format::Brat => vec![brat::annotation_conf(labels)],
        Format::Spacy => vec![ExportFile {
            name: "jsonl_to_docbin.py".to_owned(),
            bytes: DOCBIN_HELPER.as_bytes().to_vec(),
        }],
        _ => Vec::new(),
    }
}

/// The bundled spaCy helper (`tools/jsonl_to_docbin.py`).
pub const DOCBIN_HELPER: &str = include_str!("../../../tools/jsonl_to_docbin.py");

/// True when `files` must go into a folder (several files, or a folder format).
#[must_use]
pub fn needs_folder(format: Format, files: &[ExportFile]) -> bool {
    format.is_folder() || files.len() != 1
}

/// Writes the files: into `out` as a folder when the format needs one or
/// `out` is an existing folder, else as the single file `out`. Each file
/// is written atomically. Returns the paths written, sorted.
///
/// # Errors
/// Any folder creation or write failure, with the path.
pub fn write_files(
    out: &Path,
    format: Format,
    files: &[ExportFile],
) -> Result<Vec<PathBuf>, ExportError> {
    let werr = |message: String, path: &Path| ExportError::Write {
        message,
        path: path.to_path_buf(),
    };
    if !needs_folder(format, files) && !out.is_dir() {
        if let Some(file) = files.first() {
            write_atomic(out, &file.bytes)?;
        }
        return Ok(vec![out.to_path_buf()]);
    }
    std::fs::create_dir_all(out).map_err(|e| werr(e.to_string(), out))?;
    let mut written = Vec::new();
    for file in files {
        let path = out.join(&file.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| werr(e.to_string(), parent))?;
        }
        write_atomic(&path, &file.bytes)?;
        written.push(path);
    }
    Ok(written)
}
