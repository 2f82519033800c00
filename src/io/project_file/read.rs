//! Parsing `*.spanmark.ron` text into a project, defensively.
//!
//! Invariants: never panics and never drops an annotation. Anything that can
//! be repaired is repaired and reported as a [`FileProblem`]; anything that
//! cannot is a [`ParseFailure`] in plain words with line and column.

use std::collections::BTreeMap;
use std::fmt;

use crate::io::project_file::fast_lines;
use crate::io::project_file::lines::annotations;
use crate::io::project_file::markers::conflict_marker_line;
use crate::io::project_file::schema::{
    AnnotationV1, DocumentV1, EmbeddedV1, FORMAT_VERSION, FileV1, LabelV1, OFFSET_UNIT,
    VersionProbe,
};
use crate::model::{
    Document, DocumentId, Interner, Label, LabelId, Newline, Project, Repair, Rgb, Status,
};

/// Deepest nesting accepted (the format needs 4).
const RECURSION_LIMIT: usize = 64;

/// Why the text is not a usable project (line and column are 1-based; 0 when unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseFailure {
    /// Git conflict markers at this line.
    ConflictMarkers(usize),
    /// Syntax or structure error.
    Syntax {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// Plain words.
        message: String,
    },
    /// Breaks a rule that cannot be repaired.
    Invalid(String),
}

/// Something in the file that was repaired or kept under review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// A model-level repair (placeholder label, renumbered id).
    Repaired(Repair),
    /// A field value was unreadable and replaced.
    BadValue {
        /// What it belongs to ("label claim", "annotation #4").
        owner: String,
        /// Field name.
        field: &'static str,
        /// The value found.
        value: String,
    },
    /// The file was written by a newer Spanmark: opened read-only.
    NewerVersion(u32),
    /// An embedded source text names a document the project does not have,
    /// or a second one names the same document: it was not used.
    EmbeddedIgnored(u32),
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Repaired(Repair::PlaceholderLabel(id)) => write!(
                f,
                "label {id:?} is used but not defined; a grey placeholder label was added"
            ),
            Self::Repaired(Repair::Renumbered { old, new }) => {
                write!(
                    f,
                    "annotation id {old} was used twice; the second one is now {new}"
                )
            }
            Self::BadValue {
                owner,
                field,
                value,
            } => {
                write!(
                    f,
                    "{owner}: the {field} {value:?} is not valid and was replaced"
                )
            }
            Self::NewerVersion(v) => write!(
                f,
                "the file was written by a newer Spanmark (format {v}; this one reads {FORMAT_VERSION}); \
                 it is open read-only so nothing of it is lost"
            ),
            Self::EmbeddedIgnored(id) => write!(
                f,
                "an embedded source text names document id {id}, which the project does not \
                 have or already has a text for; that text was not used"
            ),
        }
    }
}

/// A parsed project and what was repaired on the way.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The project.
    pub project: Project,
    /// Repairs and notices, in file order.
    pub problems: Vec<FileProblem>,
    /// True when the file must not be overwritten (newer format).
    pub read_only: bool,
    /// Source texts embedded in the file (a single-file project), by
    /// document; texts naming no document are reported and left out.
    pub embedded: BTreeMap<DocumentId, String>,
}

/// Parses project file text (BOM allowed).
///
/// # Errors
/// Conflict markers, syntax errors, and unrepairable content.
pub fn parse(text: &str) -> Result<Parsed, ParseFailure> {
    parse_head(text)?.finish()
}

/// A project file read up to its annotations: documents, labels and
/// embedded texts are known, the annotation lines not yet read. A caller
/// can start reading the documents' sources before [`Head::finish`].
#[derive(Debug)]
pub struct Head<'t> {
    text: &'t str,
    name: String,
    authors: Vec<String>,
    documents: Vec<Document>,
    labels: Vec<Label>,
    embedded: BTreeMap<DocumentId, String>,
    parsed: Vec<AnnotationV1>,
    lines: Option<Vec<&'t str>>,
    names: Interner,
    problems: Vec<FileProblem>,
    /// Reported after the annotations' problems (file order).
    embedded_problems: Vec<FileProblem>,
    read_only: bool,
}

impl Head<'_> {
    /// The documents, in file order.
    #[must_use]
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// Source texts embedded in the file, by document.
    #[must_use]
    pub fn embedded(&self) -> &BTreeMap<DocumentId, String> {
        &self.embedded
    }

    /// Reads the annotations and builds the project.
    ///
    /// # Errors
    /// A syntax error in an annotation line.
    pub fn finish(mut self) -> Result<Parsed, ParseFailure> {
        let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
        let annotations = annotations(
            self.text,
            self.parsed,
            self.lines,
            &options,
            &mut self.names,
            &mut self.problems,
        )?;
        self.problems.append(&mut self.embedded_problems);
        let (project, repairs) = Project::from_parts(
            self.name,
            self.authors,
            self.documents,
            self.labels,
            annotations,
        );
        self.problems
            .extend(repairs.into_iter().map(FileProblem::Repaired));
        Ok(Parsed {
            project,
            problems: self.problems,
            read_only: self.read_only,
            embedded: self.embedded,
        })
    }
}

/// Reads project file text (BOM allowed) up to its annotations.
///
/// # Errors
/// Conflict markers, syntax errors, and unrepairable content.
pub fn parse_head(text: &str) -> Result<Head<'_>, ParseFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = conflict_marker_line(text) {
        return Err(ParseFailure::ConflictMarkers(line));
    }
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    // Canonical files keep the bulk (annotation lines) out of the first pass.
    let split = fast_lines::split(text);
    let head = split.as_ref().map_or(text, |(rest, _)| rest.as_str());
    let probe: VersionProbe = options.from_str(head).map_err(syntax)?;
    let mut problems = Vec::new();
    let read_only = probe.format_version > FORMAT_VERSION;
    if read_only {
        problems.push(FileProblem::NewerVersion(probe.format_version));
    } else if probe.format_version == 0 {
        return Err(ParseFailure::Invalid(
            "format_version 0 does not exist".into(),
        ));
    }
    let (file, lines) = parse_file(text, split, &options)?;
    if file.offset_unit != OFFSET_UNIT {
        return Err(ParseFailure::Invalid(format!(
            "offsets are counted in {:?}, but this Spanmark reads only {OFFSET_UNIT:?}",
            file.offset_unit
        )));
    }
    let mut names = Interner::default();
    let documents = documents(file.documents, &mut problems)?;
    let labels = labels(file.labels, &mut names, &mut problems)?;
    let mut embedded_problems = Vec::new();
    let embedded = embedded(file.embedded_sources, &documents, &mut embedded_problems);
    Ok(Head {
        text,
        name: file.name,
        authors: file.authors,
        documents,
        labels,
        embedded,
        parsed: file.annotations,
        lines,
        names,
        problems,
        embedded_problems,
        read_only,
    })
}

/// Parses everything but the annotation lines of a canonical file (which
/// are returned for the fast reader), or the whole text with ron.
fn parse_file<'t>(
    text: &'t str,
    split: Option<(String, Vec<&'t str>)>,
    options: &ron::Options,
) -> Result<(FileV1, Option<Vec<&'t str>>), ParseFailure> {
    if let Some((rest, lines)) = split
        && let Ok(file) = options.from_str::<FileV1>(&rest)
    {
        return Ok((file, Some(lines)));
    }
    Ok((options.from_str(text).map_err(syntax)?, None))
}

/// Parses with ron only (the reference reader; for tests).
///
/// # Errors
/// As [`parse`].
pub fn parse_with_ron_only(text: &str) -> Result<FileV1, ParseFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .from_str(text)
        .map_err(syntax)
}

pub(super) fn syntax(e: ron::error::SpannedError) -> ParseFailure {
    use ron::error::Error as E;
    let message = match &e.code {
        E::Eof => "the file ends early; it may have been cut off while copying".to_owned(),
        E::ExceededRecursionLimit => "the file is nested far too deeply to be a project".to_owned(),
        E::MissingStructField { field, .. } => format!("the required field `{field}` is missing"),
        E::DuplicateStructField { field, .. } => format!("the field `{field}` appears twice"),
        E::TrailingCharacters => "there is extra text after the end of the project".to_owned(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            "this is not a Spanmark project file (expected `(` to start the project)".to_owned()
        }
        E::ExpectedStringEnd => "a text value is not closed with `\"`".to_owned(),
        E::ExpectedComma => "a comma is missing between two values".to_owned(),
        other => format!("the project file is malformed ({other})"),
    };
    ParseFailure::Syntax {
        line: e.span.start.line,
        column: e.span.start.col,
        message,
    }
}

fn documents(
    raw: Vec<DocumentV1>,
    problems: &mut Vec<FileProblem>,
) -> Result<Vec<Document>, ParseFailure> {
    let mut out: Vec<Document> = Vec::with_capacity(raw.len());
    for d in raw {
        if out.iter().any(|o| o.id.0 == d.id) {
            return Err(ParseFailure::Invalid(format!(
                "two documents share the id {}",
                d.id
            )));
        }
        let owner = || format!("document {:?}", d.name);
        let newline = Newline::parse(&d.newline).unwrap_or_else(|| {
            problems.push(FileProblem::BadValue {
                owner: owner(),
                field: "newline",
                value: d.newline.clone(),
            });
            Newline::Mixed
        });
        let status = Status::parse(&d.status).unwrap_or_else(|| {
            problems.push(FileProblem::BadValue {
                owner: owner(),
                field: "status",
                value: d.status.clone(),
            });
            Status::Todo
        });
        out.push(Document {
            id: DocumentId(d.id),
            name: d.name,
            path: d.path,
            sha256: d.sha256.to_ascii_lowercase(),
            byte_len: d.byte_len,
            encoding: d.encoding,
            bom: d.bom,
            newline,
            char_len: d.char_len,
            status,
        });
    }
    Ok(out)
}

/// Embedded texts by document; one for an unknown document, or a second one
/// for the same document, is reported and not used.
fn embedded(
    raw: Vec<EmbeddedV1>,
    documents: &[Document],
    problems: &mut Vec<FileProblem>,
) -> BTreeMap<DocumentId, String> {
    let mut out = BTreeMap::new();
    for e in raw {
        let id = DocumentId(e.doc);
        if !documents.iter().any(|d| d.id == id) || out.contains_key(&id) {
            problems.push(FileProblem::EmbeddedIgnored(e.doc));
            continue;
        }
        out.insert(id, e.text);
    }
    out
}

fn labels(
    raw: Vec<LabelV1>,
    names: &mut Interner,
    problems: &mut Vec<FileProblem>,
) -> Result<Vec<Label>, ParseFailure> {
    let mut out: Vec<Label> = Vec::with_capacity(raw.len());
    for l in raw {
        if out.iter().any(|o| o.id.as_str() == l.id) {
            return Err(ParseFailure::Invalid(format!(
                "two labels share the id {:?}",
                l.id
            )));
        }
        let owner = || format!("label {:?}", l.id);
        let color = Rgb::parse_hex(&l.color).unwrap_or_else(|| {
            problems.push(FileProblem::BadValue {
                owner: owner(),
                field: "colour",
                value: l.color.clone(),
            });
            crate::model::label::PLACEHOLDER_COLOR
        });
        let mut chars = l.hotkey.chars();
        let hotkey = match (chars.next(), chars.next()) {
            (None, _) => None,
            (Some(k), None)
                if Label::is_valid_hotkey(k) && !out.iter().any(|o| o.hotkey == Some(k)) =>
            {
                Some(k)
            }
            _ => {
                problems.push(FileProblem::BadValue {
                    owner: owner(),
                    field: "hotkey",
                    value: l.hotkey.clone(),
                });
                None
            }
        };
        let mut name = l.name.trim().to_owned();
        if name.is_empty() || out.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
            problems.push(FileProblem::BadValue {
                owner: owner(),
                field: "name",
                value: l.name.clone(),
            });
            name = l.id.clone();
        }
        out.push(Label {
            id: LabelId::from(names.get(&l.id)),
            name,
            color,
            hotkey,
            description: l.description,
            placeholder: false,
        });
    }
    Ok(out)
}
