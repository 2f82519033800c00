//! Proving that the bytes about to replace a project file read back as the
//! project in memory.
//!
//! Invariant: a save is refused unless the loader's own readers get back
//! every document, embedded text and annotation field the file stores (the
//! load-time review flag aside): the head (documents, labels, embedded
//! texts) through [`super::parse`], every annotation line through the fast
//! reader [`super::fast_lines`], compared field by field with the
//! annotation in memory, in order. Text the fast reader does not accept
//! would be read by ron on load, so it is checked the same way: parsed
//! whole and compared.

use std::collections::BTreeMap;

use crate::io::project_file::fast_lines::{self, Line};
use crate::io::project_file::read::parse;
use crate::model::parallel::both;
use crate::model::{Annotation, DocumentId, Project};

/// Checks that `text` reads back as `project` with these embedded texts.
///
/// # Errors
/// What differs, in plain words.
#[cfg(test)]
pub fn verify(
    text: &str,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(), String> {
    verify_pieces(&[text], project, embedded)
}

/// As [`verify`] for a text in pieces (as
/// [`super::write::to_ron_pieces_with`] gives them), without joining them.
///
/// # Errors
/// What differs, in plain words.
pub fn verify_pieces(
    pieces: &[&str],
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(), String> {
    let Some((head, lines)) = fast_lines::split_pieces(pieces) else {
        return verify_parsed(&pieces.concat(), project, embedded);
    };
    let back = parse(&head).map_err(|f| format!("{f:?}"))?;
    check_head(&back, project, embedded)?;
    if lines.len() != project.annotation_count() {
        return Err(differs());
    }
    // A big project's second half is checked on another thread.
    let half = if lines.len() >= PARALLEL_FROM {
        lines.len() / 2
    } else {
        lines.len()
    };
    let (first, second) = lines.split_at(half);
    let (a, b) = both(
        || check_lines(first, project.annotations()),
        || check_lines(second, project.annotations().skip(half)),
    );
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Err(differs()),
        (Some(true), Some(true)) => Ok(()),
        // A line the fast reader does not take: the reference check.
        _ => verify_parsed(&pieces.concat(), project, embedded),
    }
}

/// Lines at least this many are checked on two threads.
const PARALLEL_FROM: usize = 10_000;

/// Whether each line says what the matching annotation says; `None` when
/// a line is not in the fast reader's shape.
fn check_lines<'p>(
    lines: &[&str],
    annotations: impl Iterator<Item = &'p Annotation>,
) -> Option<bool> {
    for (line, a) in lines.iter().zip(annotations) {
        if !line_is(&fast_lines::annotation(line)?, a) {
            return Some(false);
        }
    }
    Some(true)
}

/// The reference check: parse everything, compare.
fn verify_parsed(
    text: &str,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(), String> {
    let back = parse(text).map_err(|f| format!("{f:?}"))?;
    check_head(&back, project, embedded)?;
    let same = back.project.annotation_count() == project.annotation_count()
        && back
            .project
            .annotations()
            .zip(project.annotations())
            .all(|(a, b)| {
                a.id == b.id
                    && a.range == b.range
                    && a.label == b.label
                    && a.anchor == b.anchor
                    && a.note == b.note
                    && a.author == b.author
                    && a.agreed == b.agreed
                    && nonempty(a.origin.as_deref()) == nonempty(b.origin.as_deref())
                    && nonempty(a.conflict.as_deref()) == nonempty(b.conflict.as_deref())
            });
    if same { Ok(()) } else { Err(differs()) }
}

/// Documents and embedded texts read back unchanged.
fn check_head(
    back: &super::read::Parsed,
    project: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<(), String> {
    let texts_same = back.embedded.len()
        == project
            .documents()
            .iter()
            .filter(|d| embedded.contains_key(&d.id))
            .count()
        && back
            .embedded
            .iter()
            .all(|(id, t)| embedded.get(id) == Some(&t.as_str()));
    if texts_same && back.project.documents() == project.documents() {
        Ok(())
    } else {
        Err(differs())
    }
}

/// One line read back says what the annotation in memory says.
fn line_is(l: &Line<'_>, a: &Annotation) -> bool {
    l.id == a.id.0
        && l.doc == a.doc.0
        && l.start == a.range.start().0
        && l.end == a.range.end().0
        && l.label == a.label.as_str()
        && l.quote == a.anchor.quote.as_str()
        && l.prefix == a.anchor.prefix.as_str()
        && l.suffix == a.anchor.suffix.as_str()
        && nonempty(Some(&l.note)) == nonempty(a.note.as_deref())
        && l.author == a.author.as_str()
        && l.agreed.len() == a.agreed.len()
        && l.agreed.iter().zip(&a.agreed).all(|(x, y)| x == y.as_str())
        && nonempty(Some(&l.origin)) == nonempty(a.origin.as_deref())
        && nonempty(Some(&l.conflict)) == nonempty(a.conflict.as_deref())
}

/// An optional text as written: absent and empty are the same.
fn nonempty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

fn differs() -> String {
    "the saved text differs from the project in memory".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::project_file::write::to_ron_string;
    use crate::model::{Anchor, AnnotationId, CharRange, LabelId, Timestamp};

    fn project() -> Project {
        many(1)
    }

    /// A project with `n` annotations (ids 1..=n, one per range start).
    fn many(n: u64) -> Project {
        let doc = crate::model::Document {
            id: DocumentId(1),
            name: "a".into(),
            path: "a.txt".into(),
            sha256: "00".into(),
            byte_len: 10,
            encoding: "UTF-8".into(),
            bom: false,
            newline: crate::model::Newline::None,
            char_len: 10,
            status: crate::model::Status::Todo,
        };
        let one = |i: u64| Annotation {
            id: AnnotationId(i),
            doc: DocumentId(1),
            range: CharRange::new(i as usize - 1, i as usize + 2),
            label: LabelId::new("claim"),
            note: Some("a \"note\"".into()),
            author: "ana".into(),
            agreed: vec!["bo".into()],
            created: Timestamp(0),
            modified: Timestamp(60),
            anchor: Anchor {
                quote: "abc".into(),
                prefix: String::new(),
                suffix: "def".into(),
            },
            origin: None,
            conflict: None,
            review: None,
        };
        Project::from_parts(
            "p".into(),
            Vec::new(),
            vec![doc],
            crate::model::label::default_labels(),
            (1..=n).map(one).collect(),
        )
        .0
    }

    #[test]
    fn a_big_project_is_checked_in_both_halves() {
        let p = many(12_000);
        let text = to_ron_string(&p).unwrap_or_default();
        let none = BTreeMap::new();
        assert_eq!(verify(&text, &p, &none), Ok(()));
        for id in [10, 11_990] {
            let from = format!("(id: {id}, doc: 1,");
            assert!(text.contains(&from));
            let changed = text.replacen(&from, &format!("(id: {}, doc: 1,", id + 100_000), 1);
            assert!(verify(&changed, &p, &none).is_err(), "id {id}");
        }
    }

    #[test]
    fn a_big_project_is_checked_in_its_pieces_as_saved() {
        let p = many(12_000);
        let none = BTreeMap::new();
        let pieces =
            crate::io::project_file::write::to_ron_pieces_with(&p, &none).unwrap_or_default();
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces.concat(), to_ron_string(&p).unwrap_or_default());
        let texts: Vec<&str> = pieces.iter().map(String::as_str).collect();
        assert_eq!(verify_pieces(&texts, &p, &none), Ok(()));
        let (head, lines) = fast_lines::split_pieces(&texts).unwrap_or_default();
        let joined = pieces.concat();
        assert_eq!(Some((head, lines)), fast_lines::split(&joined));
        // A changed line in the second piece, or in the first.
        for (k, id) in [(1, 11_990), (0, 10)] {
            let from = format!("(id: {id}, doc: 1,");
            let mut changed = pieces.clone();
            changed[k] = changed[k].replacen(&from, &format!("(id: {}, doc: 1,", id + 1), 1);
            let texts: Vec<&str> = changed.iter().map(String::as_str).collect();
            assert!(verify_pieces(&texts, &p, &none).is_err(), "{id}");
        }
        // Cut elsewhere than at a line end: read whole, still the project.
        let (a, b) = joined.split_at(joined.len() / 2 + 7);
        assert!(fast_lines::split_pieces(&[a, b]).is_none());
        assert_eq!(verify_pieces(&[a, b], &p, &none), Ok(()));
    }

    #[test]
    fn the_written_text_verifies_and_any_changed_field_does_not() {
        let p = project();
        let text = to_ron_string(&p).unwrap_or_default();
        let none = BTreeMap::new();
        assert_eq!(verify(&text, &p, &none), Ok(()));
        for (from, to) in [
            ("id: 1,", "id: 2,"),
            ("start: 0", "start: 1"),
            ("\"claim\", quote", "\"quote\", quote"),
            ("quote: \"abc\"", "quote: \"abd\""),
            ("note: \"a \\\"note\\\"\"", "note: \"a note\""),
            ("author: \"ana\"", "author: \"anna\""),
            ("agreed: [\"bo\"]", "agreed: [\"bob\"]"),
            ("suffix: \"def\"", "suffix: \"de\""),
            ("path: \"a.txt\"", "path: \"b.txt\""),
        ] {
            assert!(text.contains(from), "{from}");
            let changed = text.replacen(from, to, 1);
            assert!(verify(&changed, &p, &none).is_err(), "{from} → {to}");
        }
        // A hand-written (non-canonical) line goes through the full parse.
        let spaced = text.replacen("(id: 1, doc: 1,", "(doc: 1, id: 1,", 1);
        assert_eq!(verify(&spaced, &p, &none), Ok(()));
        let spaced_wrong = spaced.replacen("start: 0", "start: 1", 1);
        assert!(verify(&spaced_wrong, &p, &none).is_err());
    }
}
