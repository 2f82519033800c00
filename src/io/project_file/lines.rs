//! Turning a project file's annotation lines into model annotations.
//!
//! Invariants: never panics, never drops an annotation; an unreadable
//! value is replaced and reported as a [`FileProblem`]. Label ids and
//! author names are shared through one [`Interner`] per file; quote and
//! context are the only strings copied per annotation.

use std::borrow::Cow;

use crate::io::project_file::fast_lines::{self, Line};
use crate::io::project_file::read::{FileProblem, ParseFailure, syntax};
use crate::io::project_file::schema::{AnnotationV1, FileV1};
use crate::io::project_file::timestamp;
use crate::model::parallel::both;
use crate::model::{
    Anchor, Annotation, AnnotationId, CharRange, DocumentId, Interner, LabelId, Timestamp,
};

/// The annotations: canonical lines through the fast reader, straight into
/// the model (strings borrowed until the one copy the model keeps, labels
/// and authors shared); on any line it does not accept, the whole text
/// goes through ron, the reference reader, and what the fast reader found
/// is discarded.
pub(super) fn annotations(
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
            if let Some((out, mut found)) = read_lines(&lines, names) {
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

/// Lines at least this many are read on two threads.
const PARALLEL_FROM: usize = 10_000;

/// Reads canonical lines (a big file's second half on another thread,
/// with its own interner), or `None` when one is not in the fast reader's
/// shape. Annotations and problems come out in file order.
fn read_lines(lines: &[&str], names: &mut Interner) -> Option<(Vec<Annotation>, Vec<FileProblem>)> {
    let half = if lines.len() >= PARALLEL_FROM {
        lines.len() / 2
    } else {
        lines.len()
    };
    let (first, second) = lines.split_at(half);
    let (mut a, b) = both(
        // Room for both halves: the second is appended without regrowing.
        || read_part(first, names, lines.len()),
        || read_part(second, &mut Interner::default(), 0),
    );
    let (mut rest, mut found) = b?;
    let (out, problems) = a.as_mut()?;
    out.append(&mut rest);
    problems.append(&mut found);
    a
}

/// Reads a run of canonical lines (into a vector with room for at least
/// `room`), or `None` at the first line that is not canonical.
fn read_part(
    lines: &[&str],
    names: &mut Interner,
    room: usize,
) -> Option<(Vec<Annotation>, Vec<FileProblem>)> {
    let mut found = Vec::new();
    let mut out = Vec::with_capacity(lines.len().max(room));
    for l in lines {
        out.push(annotation(fast_lines::annotation(l)?, names, &mut found));
    }
    Some((out, found))
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
