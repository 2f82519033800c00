//! Exports: training data and interchange files from a project, each with a
//! fidelity report.
//!
//! The entry points take options, an optional [`Progress`] (step callback
//! and cancel flag, so the GUI can run them on a worker thread) and give a
//! report: [`export_to`] writes the files into a folder or file (big ones
//! handed to disk a piece at a time while they are made, see
//! [`out::Out`]; each file replaced atomically once all are made),
//! [`export`] keeps them in memory (the same bytes).
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
pub mod out;
pub mod overlaps;
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

use crate::io::atomic::{AtomicFile, write_atomic};
use crate::model::{DocumentId, Project, SourceText};

pub use options::{AlignPolicy, ExportOptions, Format, OverlapPolicy, Split};
use out::{Finished, Out};
pub use report::{Entry, EntryKind, FidelityReport};
use select::Part;

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

/// What an export will write, before any bytes: the parts (documents and
/// spans chosen, split and per-label files made), the labels in project
/// order, and the report so far.
struct Plan<'p> {
    parts: Vec<Part<'p>>,
    labels: Vec<String>,
    report: FidelityReport,
}

fn plan<'p>(
    project: &'p Project,
    texts: &'p BTreeMap<DocumentId, Arc<SourceText>>,
    opts: &ExportOptions,
) -> Result<Plan<'p>, ExportError> {
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
    Ok(Plan {
        parts,
        labels,
        report,
    })
}

/// Opens the output of one file, by its relative name.
type Opener<'o> = dyn FnMut(&str) -> Result<Out, ExportError> + 'o;

/// Renders every file of `plan`: the main file of each part into the
/// output `open` gives for its name (brat's many small files, and the
/// files that go with a format, in memory). Files come sorted by name,
/// each name once; the report lists them.
fn render_all(
    plan: Plan<'_>,
    opts: &ExportOptions,
    progress: Progress<'_>,
    open: &mut Opener<'_>,
) -> Result<(Vec<(String, Out)>, FidelityReport), ExportError> {
    let Plan {
        parts,
        labels,
        mut report,
    } = plan;
    let mut ctx = Ctx {
        opts,
        report: &mut report,
        progress,
        done: 0,
        total: parts.iter().map(|p| p.docs.len()).sum(),
    };
    let in_memory = |bytes: Vec<u8>| {
        let mut out = Out::memory(0);
        *out.buf() = bytes;
        out
    };
    let mut files: Vec<(String, Out)> = Vec::new();
    for part in parts {
        let stem = part
            .name
            .clone()
            .unwrap_or_else(|| select::file_safe(&opts.stem));
        let mut docs = part.docs;
        let format = opts.format;
        if format == Format::Brat {
            let rendered = brat::render(&docs, part.name.as_deref(), &labels, &mut ctx)?;
            files.extend(rendered.into_iter().map(|f| (f.name, in_memory(f.bytes))));
            continue;
        }
        let name = format!("{stem}.{}", format.extension());
        let out = open(&name)?;
        let ctx = &mut ctx;
        let out = match format {
            Format::Doccano => doccano::plain(&docs, ctx, out)?,
            Format::DoccanoRel => doccano::with_relations(&docs, ctx, out)?,
            Format::Prodigy | Format::Spacy => prodigy::render(&docs, ctx, out)?,
            Format::Conll | Format::Bilou => {
                tags::conll(&mut docs, format == Format::Bilou, ctx, out)?
            }
            Format::Hf => tags::hf(&mut docs, &labels, ctx, out)?,
            Format::LabelStudio => label_studio::render(&docs, ctx, out)?,
            Format::W3c => w3c::render(&docs, ctx, out)?,
            // (brat was written above.)
            Format::Csv | Format::Brat => csv_rows::render(&docs, ctx, out)?,
        };
        files.push((name, out));
    }
    for f in extra_files(opts.format, &labels) {
        files.push((f.name, in_memory(f.bytes)));
    }
    if opts.format == Format::Hf {
        let f = tags::tag_list_file(&labels)?;
        files.push((f.name, in_memory(f.bytes)));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    report.files = files.iter().map(|f| f.0.clone()).collect();
    Ok((files, report))
}

/// Exports `project` (with the texts of its documents) as `opts` says,
/// keeping the files in memory.
///
/// # Errors
/// Unknown document or label names, cancellation, or a serialiser bug.
pub fn export(
    project: &Project,
    texts: &BTreeMap<DocumentId, Arc<SourceText>>,
    opts: &ExportOptions,
    progress: Progress<'_>,
) -> Result<(Vec<ExportFile>, FidelityReport), ExportError> {
    let plan = plan(project, texts, opts)?;
    let (rendered, report) = render_all(plan, opts, progress, &mut |_| Ok(Out::memory(0)))?;
    let files = rendered
        .into_iter()
        .map(|(name, out)| match out.finish() {
            Ok(Finished::Bytes(bytes)) => Ok(ExportFile { name, bytes }),
            other => Err(ExportError::Serialise(format!(
                "{name} was not kept in memory ({other:?})"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((files, report))
}

/// Exports `project` as `opts` says straight into `dest`: a folder when
/// the format needs one or the export has several parts (or `dest` is an
/// existing folder), else the single file `dest`. Big files (one per
/// part) are handed to a temporary file next to their destination a piece
/// at a time while they are made ([`Out`]), never held whole; small ones
/// (brat's per-document files, helpers) stay in memory. Once every file is
/// made, each is replaced atomically in turn; on any error before that
/// nothing is written. Returns the paths written, sorted, and the report.
///
/// # Errors
/// As [`export`], and any folder creation or write failure, with the path.
pub fn export_to(
    project: &Project,
    texts: &BTreeMap<DocumentId, Arc<SourceText>>,
    opts: &ExportOptions,
    progress: Progress<'_>,
    dest: &Path,
) -> Result<(Vec<PathBuf>, FidelityReport), ExportError> {
    let plan = plan(project, texts, opts)?;
    let folder = opts.format.is_folder() || plan.parts.len() != 1 || dest.is_dir();
    let path_of = |name: &str| {
        if folder {
            dest.join(name)
        } else {
            dest.to_path_buf()
        }
    };
    // A folder export makes its folders; a single file goes into an
    // existing folder.
    let make_folder = |path: &Path| match path.parent() {
        Some(parent) if folder => {
            std::fs::create_dir_all(parent).map_err(|e| write_error(&e, parent))
        }
        _ => Ok(()),
    };
    let mut pending: Vec<(String, AtomicFile)> = Vec::new();
    let (rendered, report) = render_all(plan, opts, progress, &mut |name| {
        make_folder(&path_of(name))?;
        let file = AtomicFile::create(&path_of(name))?;
        let handle = file
            .file()
            .try_clone()
            .map_err(|e| write_error(&e, &path_of(name)))?;
        pending.push((name.to_owned(), file));
        Ok(Out::file(handle))
    })?;
    // Every file is made (the small ones are still in memory): put them
    // in place, one at a time, so no more files are open than parts.
    let mut made = Vec::with_capacity(rendered.len());
    for (name, out) in rendered {
        let path = path_of(&name);
        let finished = out.finish().map_err(|e| write_error(&e, &path))?;
        made.push((name, path, finished));
    }
    let mut written = Vec::with_capacity(made.len());
    for (name, path, finished) in made {
        match finished {
            Finished::File => {
                let k = pending.iter().position(|(n, _)| *n == name);
                match k.map(|k| pending.swap_remove(k)) {
                    Some((_, file)) => file.commit()?,
                    None => return Err(write_error(&"its output went missing", &path)),
                }
            }
            Finished::Bytes(bytes) => {
                make_folder(&path)?;
                write_atomic(&path, &bytes)?;
            }
        }
        written.push(path);
    }
    Ok((written, report))
}

fn write_error(e: &dyn std::fmt::Display, path: &Path) -> ExportError {
    ExportError::Write {
        message: e.to_string(),
        path: path.to_path_buf(),
    }
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
