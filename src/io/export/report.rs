//! The fidelity report: what an export wrote, and everything it changed or
//! could not carry.
//!
//! Invariants: every annotation selected for export is either counted in
//! `by_label`/`by_document` exactly as written, or named by at least one
//! entry; entries are kept in the order they were found, which is
//! deterministic (documents in project order, annotations in key order).
//! An entry is a *loss* when the written data differs from the project
//! (dropped, moved, merged, truncated); a *warning* when the data is exact
//! but a consumer may still stumble on it (misaligned with the tokenizer,
//! UTF-16 tools).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// What happened to one annotation (or document) during an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Dropped because another span overlapped it (overlap policy).
    OverlapResolved,
    /// Moved outward to whole tokens.
    Snapped,
    /// Dropped because it does not align with token boundaries.
    DroppedMisaligned,
    /// Kept exactly, but a boundary falls inside a token.
    Misaligned,
    /// The format has no place for the note.
    NoteDropped,
    /// The format has no place for the author or times.
    AuthorDropped,
    /// Line breaks at the edges could not be carried (brat).
    Trimmed,
    /// Dropped because it covers nothing the format can carry.
    Dropped,
    /// The document was left out (no source text).
    DocumentSkipped,
    /// A label or token had to be renamed for the format.
    Renamed,
    /// Exact, but some tools count offsets differently.
    OffsetUnitWarning,
    /// Exported as it is, but flagged for review in the project (its
    /// source changed, or it duplicates another span).
    NeedsReview,
}

impl EntryKind {
    /// True when the written data differs from the project.
    #[must_use]
    pub fn is_loss(self) -> bool {
        !matches!(
            self,
            Self::Misaligned | Self::OffsetUnitWarning | Self::NeedsReview
        )
    }

    /// Short name used in printed reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OverlapResolved => "overlap resolved",
            Self::Snapped => "snapped to tokens",
            Self::DroppedMisaligned => "dropped (misaligned)",
            Self::Misaligned => "misaligned (kept)",
            Self::NoteDropped => "note not representable",
            Self::AuthorDropped => "author not representable",
            Self::Trimmed => "trimmed",
            Self::Dropped => "dropped",
            Self::DocumentSkipped => "document skipped",
            Self::Renamed => "renamed",
            Self::OffsetUnitWarning => "offset unit",
            Self::NeedsReview => "needs review",
        }
    }
}

/// One change, loss or warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// What happened.
    pub kind: EntryKind,
    /// Document name.
    pub document: String,
    /// Annotation id, when the entry concerns one annotation.
    pub annotation: Option<u64>,
    /// Label name, when the entry concerns one annotation.
    pub label: Option<String>,
    /// Original range `[start, end]` in Unicode scalar values.
    pub range: Option<[usize; 2]>,
    /// Plain-words detail ("snapped to 12..20", "kept #4 (longer)").
    pub detail: String,
}

/// Appends `START..END` (as `CharRange` shows itself) to a report detail,
/// without the formatting machinery: big exports write tens of thousands
/// of such details.
pub fn push_range(detail: &mut String, r: crate::model::CharRange) {
    let mut n = itoa::Buffer::new();
    detail.push_str(n.format(r.start().0));
    detail.push_str("..");
    detail.push_str(n.format(r.end().0));
}

/// Counts and entries of one export.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FidelityReport {
    /// Format name as given on the command line.
    pub format: String,
    /// Offset unit of the written positions.
    pub offset_unit: String,
    /// Documents written.
    pub documents: usize,
    /// Annotations selected (after the document and label filters).
    pub selected: usize,
    /// Spans written (a span written to several files counts once per file).
    pub written: usize,
    /// Spans written per label name.
    pub by_label: BTreeMap<String, usize>,
    /// Spans written per document name.
    pub by_document: BTreeMap<String, usize>,
    /// Files produced, relative to the output.
    pub files: Vec<String>,
    /// Changes, losses and warnings, in the order found.
    pub entries: Vec<Entry>,
}

impl FidelityReport {
    /// A report for `format` with nothing counted yet.
    #[must_use]
    pub fn new(format: &str) -> Self {
        Self {
            format: format.to_owned(),
            offset_unit: "unicode_code_point".to_owned(),
            ..Self::default()
        }
    }

    /// Counts one written span.
    pub fn count(&mut self, document: &str, label: &str) {
        self.written += 1;
        // Looked up before inserting: no allocation per span once seen.
        match self.by_label.get_mut(label) {
            Some(n) => *n += 1,
            None => {
                self.by_label.insert(label.to_owned(), 1);
            }
        }
        match self.by_document.get_mut(document) {
            Some(n) => *n += 1,
            None => {
                self.by_document.insert(document.to_owned(), 1);
            }
        }
    }

    /// Counts `n` written spans of one label in one document (as `n`
    /// calls of [`Self::count`]; nothing when `n` is 0).
    pub fn count_n(&mut self, document: &str, label: &str, n: usize) {
        if n == 0 {
            return;
        }
        self.written += n;
        match self.by_label.get_mut(label) {
            Some(k) => *k += n,
            None => {
                self.by_label.insert(label.to_owned(), n);
            }
        }
        match self.by_document.get_mut(document) {
            Some(k) => *k += n,
            None => {
                self.by_document.insert(document.to_owned(), n);
            }
        }
    }

    /// Records an entry.
    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Number of entries that are losses.
    #[must_use]
    pub fn loss_count(&self) -> usize {
        self.entries.iter().filter(|e| e.kind.is_loss()).count()
    }

    /// True when anything was changed or dropped.
    #[must_use]
    pub fn has_losses(&self) -> bool {
        self.loss_count() > 0
    }

    /// Number of entries per kind.
    #[must_use]
    pub fn count_by_kind(&self) -> BTreeMap<EntryKind, usize> {
        let mut out = BTreeMap::new();
        for e in &self.entries {
            *out.entry(e.kind).or_insert(0) += 1;
        }
        out
    }

    /// Pretty JSON with a trailing newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned());
        s.push('\n');
        s
    }
}

/// Counts one document's written spans per label, then adds them to a
/// report in one go ([`FidelityReport::count_n`]): one map update per
/// label instead of two per span.
pub struct Tally<'a> {
    document: &'a str,
    labels: Vec<(&'a str, usize)>,
}

impl<'a> Tally<'a> {
    /// Nothing counted yet for `document`.
    #[must_use]
    pub fn new(document: &'a str) -> Self {
        Self {
            document,
            labels: Vec::new(),
        }
    }

    /// Counts one written span of `label`.
    pub fn add(&mut self, label: &'a str) {
        // Labels are few, and spans share the project's label names.
        match self
            .labels
            .iter_mut()
            .find(|(l, _)| std::ptr::eq(*l, label) || *l == label)
        {
            Some((_, n)) => *n += 1,
            None => self.labels.push((label, 1)),
        }
    }

    /// Adds the counts to `report`.
    pub fn finish(self, report: &mut FidelityReport) {
        for (label, n) in self.labels {
            report.count_n(self.document, label, n);
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.document)?;
        if let Some(id) = self.annotation {
            write!(f, " #{id}")?;
        }
        if let Some(label) = &self.label {
            write!(f, " {label}")?;
        }
        if let Some([s, e]) = self.range {
            write!(f, " {s}..{e}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl fmt::Display for FidelityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Exported {} of {} annotation(s) from {} document(s) as {} (offsets in {}).",
            self.written, self.selected, self.documents, self.format, self.offset_unit
        )?;
        writeln!(f, "By label:")?;
        for (k, n) in &self.by_label {
            writeln!(f, "  {k}: {n}")?;
        }
        writeln!(f, "By document:")?;
        for (k, n) in &self.by_document {
            writeln!(f, "  {k}: {n}")?;
        }
        let losses = self.loss_count();
        let warnings = self.entries.len() - losses;
        if self.entries.is_empty() {
            writeln!(f, "Nothing was changed or lost.")?;
        } else {
            writeln!(f, "{losses} change(s) or loss(es), {warnings} warning(s):")?;
            for e in &self.entries {
                writeln!(f, "  {e}")?;
            }
        }
        Ok(())
    }
}
