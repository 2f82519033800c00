//! A fast reader for the annotation lines Spanmark itself writes.
//!
//! Invariants: this is only an accelerator. It accepts exactly the
//! single-line `(key: value, ...)` shape that [`super::write`] produces
//! (integers and escaped strings); on anything else it returns `None` and
//! the caller parses the whole file with ron, which is the reference
//! (proptests check both agree). It never panics.

use std::borrow::Cow;

use crate::io::project_file::schema::AnnotationV1;

/// The fields of one annotation line as written. Strings borrow from the
/// file text unless an escape had to be undone, so reading (or checking) a
/// line allocates nothing in the common case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line<'a> {
    /// Annotation id.
    pub id: u64,
    /// Document id.
    pub doc: u32,
    /// First scalar value.
    pub start: usize,
    /// One past the last scalar value.
    pub end: usize,
    /// Label id.
    pub label: Cow<'a, str>,
    /// Covered text.
    pub quote: Cow<'a, str>,
    /// Note, or empty.
    pub note: Cow<'a, str>,
    /// Author, or empty.
    pub author: Cow<'a, str>,
    /// Co-authors (merges).
    pub agreed: Vec<Cow<'a, str>>,
    /// RFC 3339 creation time, or empty.
    pub created: Cow<'a, str>,
    /// RFC 3339 modification time, or empty.
    pub modified: Cow<'a, str>,
    /// Where an import came from, or empty.
    pub origin: Cow<'a, str>,
    /// Merge conflict note, or empty.
    pub conflict: Cow<'a, str>,
    /// Context before.
    pub prefix: Cow<'a, str>,
    /// Context after.
    pub suffix: Cow<'a, str>,
}

impl Line<'_> {
    /// The same fields in the file schema's owned form.
    #[must_use]
    pub fn into_v1(self) -> AnnotationV1 {
        AnnotationV1 {
            id: self.id,
            doc: self.doc,
            start: self.start,
            end: self.end,
            label: self.label.into_owned(),
            quote: self.quote.into_owned(),
            note: self.note.into_owned(),
            author: self.author.into_owned(),
            agreed: self.agreed.into_iter().map(Cow::into_owned).collect(),
            created: self.created.into_owned(),
            modified: self.modified.into_owned(),
            origin: self.origin.into_owned(),
            conflict: self.conflict.into_owned(),
            prefix: self.prefix.into_owned(),
            suffix: self.suffix.into_owned(),
        }
    }
}

impl From<AnnotationV1> for Line<'static> {
    fn from(a: AnnotationV1) -> Self {
        Self {
            id: a.id,
            doc: a.doc,
            start: a.start,
            end: a.end,
            label: a.label.into(),
            quote: a.quote.into(),
            note: a.note.into(),
            author: a.author.into(),
            agreed: a.agreed.into_iter().map(Cow::Owned).collect(),
            created: a.created.into(),
            modified: a.modified.into(),
            origin: a.origin.into(),
            conflict: a.conflict.into(),
            prefix: a.prefix.into(),
            suffix: a.suffix.into(),
        }
    }
}

/// Splits canonical text into (text with an empty annotation list, the
/// annotation lines), or `None` when the file is not in canonical shape.
#[must_use]
pub fn split(text: &str) -> Option<(String, Vec<&str>)> {
    split_pieces(&[text])
}

/// As [`split`] for a text given in pieces to be read one after the other
/// (as a save writes them: [`super::write::to_ron_pieces_with`]), every
/// piece but the last ending with a line break; `None` when the pieces
/// are not in that shape.
#[must_use]
pub fn split_pieces<'t>(pieces: &[&'t str]) -> Option<(String, Vec<&'t str>)> {
    const OPEN: &str = "\n    annotations: [\n";
    const CLOSE: &str = "\n    ],\n)\n";
    let first = pieces.first()?;
    let start = first.find(OPEN)?;
    let head = first.get(..start)?;
    let rest = format!("{head}\n    annotations: [],\n)\n");
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let mut lines = Vec::with_capacity(total / 256);
    for (k, piece) in pieces.iter().enumerate() {
        let from = if k == 0 { start + OPEN.len() } else { 0 };
        let body = if k + 1 == pieces.len() {
            let end = piece.len().checked_sub(CLOSE.len())?;
            if !piece.ends_with(CLOSE) || end < from {
                return None;
            }
            piece.get(from..end)?
        } else {
            piece.get(from..)?.strip_suffix('\n')?
        };
        let mut at = 0;
        for nl in memchr::memchr_iter(b'\n', body.as_bytes()) {
            lines.push(body.get(at..nl)?);
            at = nl + 1;
        }
        lines.push(body.get(at..)?);
    }
    Some((rest, lines))
}

/// Parses one annotation line, or `None` if it is not in canonical shape.
#[must_use]
pub fn annotation(line: &str) -> Option<Line<'_>> {
    let line = line.trim_start().strip_suffix(',')?;
    let mut p = Cursor {
        s: line.as_bytes(),
        text: line,
        i: 0,
    };
    p.eat(b'(')?;
    let mut a = Line::default();
    let mut seen = 0u16;
    loop {
        let key = p.ident()?;
        p.eat(b':')?;
        p.eat(b' ')?;
        let bit = match key {
            "id" => {
                a.id = p.int()?;
                0
            }
            "doc" => {
                a.doc = u32::try_from(p.int()?).ok()?;
                1
            }
            "start" => {
                a.start = usize::try_from(p.int()?).ok()?;
                2
            }
            "end" => {
                a.end = usize::try_from(p.int()?).ok()?;
                3
            }
            "label" => p.string_into(&mut a.label, 4)?,
            "quote" => p.string_into(&mut a.quote, 5)?,
            "note" => p.string_into(&mut a.note, 6)?,
            "author" => p.string_into(&mut a.author, 7)?,
            "created" => p.string_into(&mut a.created, 8)?,
            "modified" => p.string_into(&mut a.modified, 9)?,
            "origin" => p.string_into(&mut a.origin, 10)?,
            "prefix" => p.string_into(&mut a.prefix, 11)?,
            "suffix" => p.string_into(&mut a.suffix, 12)?,
            "agreed" => p.strings_into(&mut a.agreed, 13)?,
            "conflict" => p.string_into(&mut a.conflict, 14)?,
            _ => return None,
        };
        if seen & (1 << bit) != 0 {
            return None;
        }
        seen |= 1 << bit;
        match p.next()? {
            b',' => p.eat(b' ')?,
            b')' if p.i == p.s.len() => break,
            _ => return None,
        }
    }
    // id, doc, start, end, label and quote are required.
    (seen & 0b11_1111 == 0b11_1111).then_some(a)
}

struct Cursor<'a> {
    /// The bytes of `text`.
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn next(&mut self) -> Option<u8> {
        let b = *self.s.get(self.i)?;
        self.i += 1;
        Some(b)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    fn ident(&mut self) -> Option<&'a str> {
        let from = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        {
            self.i += 1;
        }
        // ASCII letters only: the slice is at char boundaries.
        let text: &'a str = self.text;
        text.get(from..self.i).filter(|k| !k.is_empty())
    }

    fn int(&mut self) -> Option<u64> {
        let from = self.i;
        let mut v: u64 = 0;
        while let Some(d) = self.s.get(self.i).filter(|b| b.is_ascii_digit()) {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        (self.i > from).then_some(v)
    }

    /// Reads a non-empty `["a", "b"]` list into `out` and returns `bit`.
    fn strings_into(&mut self, out: &mut Vec<Cow<'a, str>>, bit: u16) -> Option<u16> {
        self.eat(b'[')?;
        loop {
            let mut s = Cow::Borrowed("");
            self.string_into(&mut s, bit)?;
            out.push(s);
            match self.next()? {
                b',' => self.eat(b' ')?,
                b']' => return Some(bit),
                _ => return None,
            }
        }
    }

    /// Reads a string into `out` and returns `bit` (the field's slot). The
    /// string borrows from the line unless it holds an escape.
    fn string_into(&mut self, out: &mut Cow<'a, str>, bit: u16) -> Option<u16> {
        self.eat(b'"')?;
        let mut owned: Option<String> = None;
        loop {
            let run = self.i;
            let rest = self.s.get(run..)?;
            self.i = run + memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
            // Both ends are at an ASCII byte or an end of the line, so at
            // char boundaries: no UTF-8 check needed (`get` still checks).
            let piece: &'a str = self.text.get(run..self.i)?;
            match self.next()? {
                b'"' => {
                    *out = match owned {
                        None => Cow::Borrowed(piece),
                        Some(mut s) => {
                            s.push_str(piece);
                            Cow::Owned(s)
                        }
                    };
                    return Some(bit);
                }
                _ => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(piece);
                    s.push(self.escape()?);
                }
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'\\' => '\\',
            b'"' => '"',
            b'\'' => '\'',
            b'u' => {
                self.eat(b'{')?;
                let from = self.i;
                while self.s.get(self.i).is_some_and(u8::is_ascii_hexdigit) {
                    self.i += 1;
                }
                let hex = std::str::from_utf8(self.s.get(from..self.i)?).ok()?;
                self.eat(b'}')?;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        })
    }
}
