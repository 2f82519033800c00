//! Parsing `*.spanmark.ron` text into a project, defensively.
//!
//! Invariants: never panics and never drops an annotation. Anything that can
//! be repaired is repaired and reported as a [`FileProblem`]; anything that
//! cannot is a [`ParseFailure`] in plain words with line and column.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::io::project_file::fast_lines::Line;
use crate::io::project_file::schema::{
    AnnotationV1, DocumentV1, EmbeddedV1, FORMAT_VERSION, FileV1, LabelV1, OFFSET_UNIT,
    VersionProbe,
};
use crate::io::project_file::{fast_lines, timestamp};
use crate::model::{
    Anchor, Annotation, AnnotationId, CharRange, Document, DocumentId, Interner, Label, LabelId,
    Newline, Project, Repair, Rgb, Status, Timestamp,
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
    let annotations = annotations(
        text,
        file.annotations,
        lines,
        &options,
        &mut names,
        &mut problems,
    )?;
    let embedded = embedded(file.embedded_sources, &documents, &mut problems);
    let (project, repairs) =
        Project::from_parts(file.name, file.authors, documents, labels, annotations);
    problems.extend(repairs.into_iter().map(FileProblem::Repaired));
    Ok(Parsed {
        project,
        problems,
        read_only,
        embedded,
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

/// The annotations: canonical lines through the fast reader, straight into
/// the model (strings borrowed until the one copy the model keeps, labels
/// and authors shared); on any line it does not accept, the whole text
/// goes through ron, the reference reader, and what the fast reader found
/// is discarded.
fn annotations(
    text: &str,
    parsed: Vec<AnnotationV1>,
    lines: Option<Vec<&str>>,
    options: &ron::Options,
    names: &mut Interner,
    problems: &mut Vec<FileProblem>,
) -> Result<Vec<Annotation>, ParseFailure> {
    let parsed = match lines {
        None => parsed,
        Some(lines) => {
            let mut found = Vec::new();
            let mut out = Vec::with_capacity(lines.len());
            let fast = lines.iter().all(|l| {
                fast_lines::annotation(l)
                    .map(|line| out.push(annotation(line, names, &mut found)))
                    .is_some()
            });
            if fast {
                problems.append(&mut found);
                return Ok(out);
            }
            options
                .from_str::<FileV1>(text)
                .map_err(syntax)?
                .annotations
        }
    };
    Ok(parsed
        .into_iter()
        .map(|a| annotation(Line::from(a), names, problems))
        .collect())
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

/// The 1-based number of the first line that is a git conflict marker
/// (`<<<<<<< `…, `=======`, `>>>>>>> `…), searching the text with SIMD
/// (a 30 MB project is scanned in a few milliseconds).
fn conflict_marker_line(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_line_start = |at: usize| at == 0 || bytes.get(at - 1) == Some(&b'\n');
    let first = |needle: &[u8], whole_line: bool| {
        memchr::memmem::find_iter(bytes, needle).find(|&at| {
            is_line_start(at)
                && (!whole_line
                    || matches!(
                        bytes.get(at + needle.len()..),
                        Some([] | [b'\n', ..] | [b'\r', b'\n', ..])
                    ))
        })
    };
    let at = [
        first(b"<<<<<<< ", false),
        first(b"=======", true),
        first(b">>>>>>> ", false),
    ]
    .into_iter()
    .flatten()
    .min()?;
    Some(memchr::memchr_iter(b'\n', bytes.get(..at)?).count() + 1)
}

fn syntax(e: ron::error::SpannedError) -> ParseFailure {
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

fn annotation(a: Line<'_>, names: &mut Interner, problems: &mut Vec<FileProblem>) -> Annotation {
    let owner = || format!("annotation #{}", a.id);
    if a.start > a.end {
        problems.push(FileProblem::BadValue {
            owner: owner(),
            field: "range",
            value: format!("{}..{}", a.start, a.end),
        });
    }
    let mut time = |field: &'static str, value: &str| {
        if value.is_empty() {
            return Timestamp(0);
        }
        timestamp::parse(value).unwrap_or_else(|| {
            problems.push(FileProblem::BadValue {
                owner: owner(),
                field,
                value: value.to_owned(),
            });
            Timestamp(0)
        })
    };
    let created = time("created time", &a.created);
    let modified = time("modified time", &a.modified);
    Annotation {
        id: AnnotationId(a.id),
        doc: DocumentId(a.doc),
        range: CharRange::new(a.start, a.end),
        label: LabelId::from(names.get(&a.label)),
        note: nonempty(a.note),
        author: names.get(&a.author),
        agreed: a.agreed.iter().map(|n| names.get(n)).collect(),
        created,
        modified,
        anchor: Anchor {
            quote: a.quote.into_owned(),
            prefix: a.prefix.into_owned(),
            suffix: a.suffix.into_owned(),
        },
        origin: nonempty(a.origin),
        conflict: nonempty(a.conflict),
        review: None,
    }
}

/// An optional text as written: empty means absent.
fn nonempty(s: Cow<'_, str>) -> Option<String> {
    (!s.is_empty()).then(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What `conflict_marker_line` must find: the first line (as
    /// `str::lines` splits them) that is a conflict marker.
    fn reference(text: &str) -> Option<usize> {
        text.lines()
            .position(|l| l.starts_with("<<<<<<< ") || l == "=======" || l.starts_with(">>>>>>> "))
            .map(|i| i + 1)
    }

    proptest! {
        #[test]
        fn conflict_markers_found_as_lines_would(pieces in prop::collection::vec(
            prop::sample::select(vec![
                "<<<<<<< ", "<<<<<<<", "=======", "========", ">>>>>>> ", "\n", "\r\n", "\r", "x", " ",
            ]),
            0..16,
        )) {
            let text: String = pieces.concat();
            prop_assert_eq!(conflict_marker_line(&text), reference(&text));
        }
    }
}
