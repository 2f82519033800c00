//! `spanmark export` and `spanmark import`.
//!
//! Invariants: an export writes nothing when it fails (every file is
//! written atomically, and only after the whole export rendered); the
//! fidelity report goes to stdout (and to `--report` as JSON); `--strict`
//! turns losses into exit code 1. An import saves the project once,
//! atomically, and only when it placed or created something.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use crate::cli::Failure;
use crate::io::Workspace;
use crate::io::atomic::write_atomic;
use crate::io::export::{self, AlignPolicy, ExportOptions, Format, OverlapPolicy, Progress, Split};
use crate::io::import::{ImportFormat, ImportOptions, place::import_file};
use crate::io::project_file::{name_from_path, timestamp};
use crate::model::{DocumentId, History, SourceText};

/// Format names accepted by `import`.
pub const IMPORT_FORMATS: [&str; 8] = [
    "doccano",
    "doccano-rel",
    "prodigy",
    "spacy",
    "brat",
    "labelstudio",
    "csv",
    "w3c",
];

/// Arguments of `spanmark export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The project file.
    pub project: PathBuf,
    /// Output format (see the list below).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name)))]
    pub format: String,
    /// Output file (single-file formats) or folder (brat, hf, spacy, and any
    /// split or per-label export); an existing folder gets the files inside.
    #[arg(long)]
    pub out: PathBuf,
    /// Only these labels (names or ids, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// Only these documents (names or paths, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub docs: Vec<String>,
    /// Overlapping spans in formats that cannot hold them (conll, bilou, hf).
    #[arg(long, default_value = "keep", value_parser = ["keep", "longest", "first", "per-label"])]
    pub overlaps: String,
    /// Spans whose ends fall inside tokens (token formats); default: keep for
    /// prodigy, snap for the others.
    #[arg(long, value_parser = ["snap", "drop", "keep"])]
    pub align: Option<String>,
    /// Train/dev/test split by document, e.g. `80,10,10`.
    #[arg(long)]
    pub split: Option<String>,
    /// Seed of the split's shuffle.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also write the fidelity report as JSON to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Exit 1 when the report lists any change or loss.
    #[arg(long)]
    pub strict: bool,
    /// Label Studio: write `predictions` (pre-annotations) instead of `annotations`.
    #[arg(long)]
    pub predictions: bool,
}

/// Arguments of `spanmark import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The project file (saved after the import).
    pub project: PathBuf,
    /// Input format.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(IMPORT_FORMATS))]
    pub format: String,
    /// The file to import (brat: a `.ann` file next to its `.txt`, or a folder).
    pub file: PathBuf,
    /// Create documents for imported texts that are not in the project.
    #[arg(long)]
    pub add_documents: bool,
    /// Author recorded on spans whose file names none.
    #[arg(long, default_value = "import")]
    pub author: String,
    /// Also write the import report (placed, created, not placed) as JSON here.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// The text after `export --help`: every format with its offset unit and limits.
#[must_use]
pub fn export_help() -> String {
    let mut s = String::from(
        "Formats (offsets are Unicode code points, i.e. Python str indices, unless stated):\n",
    );
    for f in Format::ALL {
        s.push_str(&format!("  {:<12} {}\n", f.name(), f.about()));
    }
    s.push_str("The fidelity report lists every span snapped, dropped, trimmed or resolved, and every note a format cannot hold.");
    s
}

fn open(path: &Path) -> Result<Workspace, Failure> {
    Workspace::open(path).map_err(|e| Failure::new(2, e))
}

/// `spanmark export`.
pub fn export(a: &ExportArgs) -> Result<ExitCode, Failure> {
    let format = Format::parse(&a.format)
        .ok_or_else(|| Failure::new(2, format!("unknown format {:?}", a.format)))?;
    let ws = open(&a.project)?;
    let texts: BTreeMap<DocumentId, Arc<SourceText>> = ws
        .sources
        .iter()
        .filter_map(|(id, s)| s.text().map(|t| (*id, Arc::clone(t))))
        .collect();
    let mut opts = ExportOptions::new(format, &name_from_path(&a.project));
    opts.labels.clone_from(&a.labels);
    opts.documents.clone_from(&a.docs);
    opts.overlaps = OverlapPolicy::parse(&a.overlaps).unwrap_or_default();
    opts.align = a.align.as_deref().and_then(AlignPolicy::parse);
    opts.predictions = a.predictions;
    if let Some(split) = &a.split {
        opts.split = Some(Split::parse(split, a.seed).ok_or_else(|| {
            Failure::new(
                2,
                format!("--split wants three whole numbers like 80,10,10, not {split:?}"),
            )
        })?);
    }
    let (written, report) =
        export::export_to(&ws.project, &texts, &opts, Progress::default(), &a.out)
            .map_err(|e| Failure::new(1, e))?;
    if let Some(path) = &a.report {
        write_atomic(path, report.to_json().as_bytes()).map_err(|e| Failure::new(1, e))?;
    }
    print!("{report}");
    for p in &written {
        out!("Wrote {}", p.display());
    }
    if a.strict && report.has_losses() {
        eprintln!(
            "spanmark: --strict: the export changed or lost {} span(s) or document(s) (see the report above): {}",
            report.loss_count(),
            a.out.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `spanmark import`.
pub fn import(a: &ImportArgs) -> Result<ExitCode, Failure> {
    let format = ImportFormat::parse(&a.format)
        .ok_or_else(|| Failure::new(2, format!("unknown format {:?}", a.format)))?;
    let mut ws = open(&a.project)?;
    if let Some(reason) = &ws.read_only {
        return Err(Failure::new(
            1,
            format!(
                "the project is read-only ({reason}): {}",
                a.project.display()
            ),
        ));
    }
    let opts = ImportOptions {
        format,
        add_documents: a.add_documents,
        author: a.author.clone(),
        now: timestamp::now(),
    };
    let mut history = History::new_saved();
    let report =
        import_file(&mut ws, &mut history, &a.file, &opts).map_err(|e| Failure::new(1, e))?;
    if history.is_dirty() {
        ws.save_as(&a.project).map_err(|e| Failure::new(1, e))?;
    }
    if let Some(path) = &a.report {
        write_atomic(path, report.to_json().as_bytes()).map_err(|e| Failure::new(1, e))?;
    }
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
