//! A fast reader for the annotation lines Spanmark itself writes.
//!
//! Invariants: this is only an accelerator. It accepts exactly the
//! single-line `(key: value, ...)` shape that [`super::write`] produces
//! (integers and escaped strings); on anything else it returns `None` and
//! the caller parses the whole file with ron, which is the reference
//! (proptests check both agree). It never panics.

use crate::io::project_file::schema::AnnotationV1;

/// Splits canonical text into (text with an empty annotation list, the
/// annotation lines), or `None` when the file is not in canonical shape.
#[must_use]
pub fn split(text: &str) -> Option<(String, Vec<&str>)> {
    const OPEN: &str = "\n    annotations: [\n";
    const CLOSE: &str = "\n    ],\n)\n";
    let start = text.find(OPEN)?;
    let body_start = start + OPEN.len();
    let body_end = text.len().checked_sub(CLOSE.len())?;
    if !text.ends_with(CLOSE) || body_end < body_start {
        return None;
    }
    let head = text.get(..start)?;
    let body = text.get(body_start..body_end)?;
    let rest = format!("{head}\n    annotations: [],\n)\n");
    Some((rest, body.split('\n').collect()))
}

/// Parses one annotation line, or `None` if it is not in canonical shape.
#[must_use]
pub fn annotation(line: &str) -> Option<AnnotationV1> {
    let line = line.trim_start().strip_suffix(',')?;
    let mut p = Cursor {
        s: line.as_bytes(),
        text: line,
        i: 0,
    };
    p.eat(b'(')?;
    let mut a = AnnotationV1 {
        id: 0,
        doc: 0,
        start: 0,
        end: 0,
        label: String::new(),
        quote: String::new(),
        note: String::new(),
        author: String::new(),
        agreed: Vec::new(),
        created: String::new(),
        modified: String::new(),
        origin: String::new(),
        conflict: String::new(),
        prefix: String::new(),
        suffix: String::new(),
    };
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
        let s: &'a [u8] = self.s;
        std::str::from_utf8(s.get(from..self.i)?)
            .ok()
            .filter(|k| !k.is_empty())
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
    fn strings_into(&mut self, out: &mut Vec<String>, bit: u16) -> Option<u16> {
        self.eat(b'[')?;
        loop {
            let mut s = String::new();
            self.string_into(&mut s, bit)?;
            out.push(s);
            match self.next()? {
                b',' => self.eat(b' ')?,
                b']' => return Some(bit),
                _ => return None,
            }
        }
    }

    /// Reads a string into `out` and returns `bit` (the field's slot).
    fn string_into(&mut self, out: &mut String, bit: u16) -> Option<u16> {
        self.eat(b'"')?;
        loop {
            let run = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|b| *b != b'"' && *b != b'\\')
            {
                self.i += 1;
            }
            // Both ends are at an ASCII byte or an end of the line, so at
            // char boundaries: no UTF-8 check needed (`get` still checks).
            out.push_str(self.text.get(run..self.i)?);
            match self.next()? {
                b'"' => return Some(bit),
                _ => out.push(self.escape()?),
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
