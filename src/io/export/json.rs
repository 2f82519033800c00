//! A streaming JSON writer for the exporters: compact (JSONL lines),
//! pretty (two-space indent), or pretty down to a depth with every value
//! below it on one compact line ([`JsonWriter::lines`]: one annotation per
//! line in the big JSON exports), writing straight into an [`Out`] (kept
//! in memory, or handed to a file a piece at a time).
//!
//! Invariants: the bytes are exactly what `serde_json::to_string` /
//! `to_string_pretty` write for the same values (object keys in the order
//! written, `[]` / `{}` for empty containers, strings escaped by
//! serde_json's own serializer); in the line layout, what `to_string_pretty`
//! writes with each value below the depth replaced by its `to_string`.
//! So exports keep their bytes while no value tree or per-value `String`
//! is built. Keys must be plain ASCII without quotes, backslashes or
//! controls (they are written as they are).

use serde::Serialize;

use crate::io::export::out::{Finished, Out};

/// Indentation written for one nesting level in pretty mode.
const INDENT: &[u8] = b"  ";

/// A line break and the indentation of up to 32 levels, sliced per line.
const NEWLINE_INDENT: &[u8; 65] =
    b"\n                                                                ";

/// Writes JSON values into an [`Out`]; see the module docs.
pub struct JsonWriter {
    out: Out,
    /// Containers whose contents sit at this depth or less are written
    /// pretty (0: all compact; `usize::MAX`: all pretty).
    pretty_to: usize,
    depth: usize,
    /// True right after a container was opened (nothing in it yet).
    first: bool,
}

impl JsonWriter {
    /// A compact writer (as `serde_json::to_string`) kept in memory.
    #[must_use]
    pub fn compact(capacity: usize) -> Self {
        Self::new(Out::memory(capacity), false)
    }

    /// A pretty writer (as `serde_json::to_string_pretty`) kept in memory.
    #[must_use]
    pub fn pretty(capacity: usize) -> Self {
        Self::new(Out::memory(capacity), true)
    }

    /// A writer into `out`, compact or pretty.
    #[must_use]
    pub fn new(out: Out, pretty: bool) -> Self {
        Self::with_depth(out, if pretty { usize::MAX } else { 0 })
    }

    /// A writer into `out` that is pretty down to `depth` (the top-level
    /// value's members or elements are at depth 1) and writes every value
    /// found at `depth` on one compact line, as `serde_json::to_string`.
    #[must_use]
    pub fn lines(out: Out, depth: usize) -> Self {
        Self::with_depth(out, depth)
    }

    fn with_depth(out: Out, pretty_to: usize) -> Self {
        Self {
            out,
            pretty_to,
            depth: 0,
            first: false,
        }
    }

    /// Whether the container being written puts its members on lines
    /// (pretty) rather than on the line it is on (compact).
    fn on_lines(&self) -> bool {
        self.depth <= self.pretty_to
    }

    /// The output, to finish.
    #[must_use]
    pub fn out(self) -> Out {
        self.out
    }

    /// Runs `write` with a writer (at the top level) appending to `buf`:
    /// for pieces written on another thread ([`Out::in_pieces`]).
    pub fn over(buf: &mut Vec<u8>, pretty: bool, write: impl FnOnce(&mut Self)) {
        Self::appending(buf, if pretty { usize::MAX } else { 0 }, 0, false, write);
    }

    /// Runs `write` with a writer in the given state appending to `buf`.
    fn appending(
        buf: &mut Vec<u8>,
        pretty_to: usize,
        depth: usize,
        first: bool,
        write: impl FnOnce(&mut Self),
    ) {
        let mut w = Self {
            out: Out::memory(0),
            pretty_to,
            depth,
            first,
        };
        std::mem::swap(w.out.buf(), buf);
        write(&mut w);
        std::mem::swap(w.out.buf(), buf);
    }

    /// The output, for a writer that appends raw bytes in pieces.
    pub fn out_mut(&mut self) -> &mut Out {
        &mut self.out
    }

    /// The bytes of a writer kept in memory (empty for one that writes
    /// to a file, or after a write error).
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        match self.out.finish() {
            Ok(Finished::Bytes(bytes)) => bytes,
            _ => Vec::new(),
        }
    }

    /// Bytes written and not yet handed on.
    #[must_use]
    pub fn len(&self) -> usize {
        self.out.pending()
    }

    /// True when nothing was written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.out.pending() == 0
    }

    /// Appends raw bytes (a line end between JSONL values).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.out.buf().extend_from_slice(bytes);
        self.out.spill();
    }

    fn newline_indent(&mut self) {
        match NEWLINE_INDENT.get(..1 + INDENT.len() * self.depth) {
            Some(line) => self.out.buf().extend_from_slice(line),
            None => {
                self.out.buf().push(b'\n');
                for _ in 0..self.depth {
                    self.out.buf().extend_from_slice(INDENT);
                }
            }
        }
    }

    /// Separator before the next member or element.
    fn sep(&mut self) {
        if !self.first {
            self.out.buf().push(b',');
        }
        if self.on_lines() {
            self.newline_indent();
        }
        self.first = false;
    }

    fn open(&mut self, c: u8) {
        self.out.buf().push(c);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, c: u8) {
        let pretty = self.on_lines();
        self.depth = self.depth.saturating_sub(1);
        if pretty && !self.first {
            self.newline_indent();
        }
        self.out.buf().push(c);
        self.first = false;
    }

    /// Opens an object (`{`).
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// Closes an object (`}`).
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// Opens an array (`[`).
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// Closes an array (`]`).
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Starts the next array element; the value follows.
    pub fn item(&mut self) {
        self.out.spill();
        self.sep();
    }

    /// Writes an object key; the value follows.
    pub fn key(&mut self, key: &str) {
        debug_assert!(key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'));
        self.sep();
        self.out.buf().push(b'"');
        self.out.buf().extend_from_slice(key.as_bytes());
        let colon: &[u8] = if self.on_lines() { b"\": " } else { b"\":" };
        self.out.buf().extend_from_slice(colon);
    }

    /// Writes a string value, escaped by serde_json.
    pub fn str(&mut self, s: &str) {
        write_str(self.out.buf(), s);
    }

    /// Writes an unsigned integer value.
    pub fn uint(&mut self, n: impl itoa::Integer) {
        self.out
            .buf()
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.out
            .buf()
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    /// `key` then the string `value`.
    pub fn str_field(&mut self, key: &str, value: &str) {
        self.key(key);
        self.str(value);
    }

    /// `key` then the integer `value`.
    pub fn uint_field(&mut self, key: &str, value: impl itoa::Integer) {
        self.key(key);
        self.uint(value);
    }

    /// Gives the raw buffer to a writer of an already-escaped value (a
    /// string that must be assembled from pieces).
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.out.buf()
    }

    /// Writes `items`, elements of the array being written, with `write`
    /// (which writes the items of the slice it is given, in order), on two
    /// threads when there are many ([`Out::in_pieces`]; `item_bytes` is a
    /// guess of one item's size): the bytes are those of one `write` over
    /// all of them.
    pub fn items_in_pieces<T: Sync>(
        &mut self,
        items: &[T],
        item_bytes: usize,
        write: impl Fn(&mut Self, &[T]) + Sync,
    ) {
        let (pretty_to, depth, first) = (self.pretty_to, self.depth, self.first);
        self.out.in_pieces(items, item_bytes, |buf, at, piece| {
            // Items before this piece put a separator first.
            Self::appending(buf, pretty_to, depth, first && at == 0, |w| {
                write(w, piece);
            });
        });
        self.first = first && items.is_empty();
    }
}

/// Appends `s` as a JSON string literal, escaped by serde_json itself.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes only `"`, `\\` and controls below U+0020: a
    // string without them is written as it is.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    let mut ser = serde_json::Serializer::new(out);
    // Writing into a Vec cannot fail, and a str always serialises.
    let _ = s.serialize(&mut ser);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::export::out::PARALLEL_ITEMS;
    use proptest::prelude::*;

    #[derive(Serialize)]
    struct Inner<'a> {
        n: usize,
        s: &'a str,
        empty: Vec<u8>,
        list: Vec<(usize, &'a str)>,
    }

    #[derive(Serialize)]
    struct Outer<'a> {
        id: u32,
        inner: Vec<Inner<'a>>,
        flag: bool,
        none: std::collections::BTreeMap<String, u8>,
    }

    fn by_hand(w: &mut JsonWriter, v: &Outer<'_>) {
        w.begin_object();
        w.uint_field("id", v.id);
        w.key("inner");
        w.begin_array();
        for i in &v.inner {
            w.item();
            w.begin_object();
            w.uint_field("n", i.n);
            w.str_field("s", i.s);
            w.key("empty");
            w.begin_array();
            w.end_array();
            w.key("list");
            w.begin_array();
            for (n, s) in &i.list {
                w.item();
                w.begin_array();
                w.item();
                w.uint(*n);
                w.item();
                w.str(s);
                w.end_array();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.key("flag");
        w.bool(v.flag);
        w.key("none");
        w.begin_object();
        w.end_object();
        w.end_object();
    }

    fn sample(a: &str, b: &str, n: usize) -> Outer<'static> {
        let a: &'static str = Box::leak(a.to_owned().into_boxed_str());
        let b: &'static str = Box::leak(b.to_owned().into_boxed_str());
        Outer {
            id: 7,
            inner: (0..n)
                .map(|k| Inner {
                    n: k * 1_000_003,
                    s: if k.is_multiple_of(2) { a } else { b },
                    empty: Vec::new(),
                    list: (0..k).map(|j| (j, b)).collect(),
                })
                .collect(),
            flag: n.is_multiple_of(2),
            none: std::collections::BTreeMap::new(),
        }
    }

    #[test]
    fn matches_serde_json_on_awkward_strings() {
        let awkward =
            "\"quoted\" \\ back\u{0}\u{1f}\u{7f}\t\r\n\u{2028}\u{2029}👨🏻‍🚒 e\u{301} \u{301}lone";
        let v = sample(awkward, "", 3);
        let mut w = JsonWriter::compact(0);
        by_hand(&mut w, &v);
        assert_eq!(w.into_bytes(), serde_json::to_vec(&v).unwrap_or_default());
        let mut w = JsonWriter::pretty(0);
        by_hand(&mut w, &v);
        assert_eq!(
            w.into_bytes(),
            serde_json::to_vec_pretty(&v).unwrap_or_default()
        );
    }

    fn value(w: &mut JsonWriter, v: &serde_json::Value) {
        match v {
            serde_json::Value::Array(items) => {
                w.begin_array();
                for item in items {
                    w.item();
                    value(w, item);
                }
                w.end_array();
            }
            serde_json::Value::Object(map) => {
                w.begin_object();
                for (k, item) in map {
                    w.key(k);
                    value(w, item);
                }
                w.end_object();
            }
            serde_json::Value::String(s) => w.str(s),
            serde_json::Value::Bool(b) => w.bool(*b),
            other => w.uint(other.as_u64().unwrap_or_default()),
        }
    }

    #[test]
    fn deep_nesting_matches_serde_json() {
        let mut v = serde_json::json!([1, "x", [], {}]);
        for depth in 0..40u64 {
            v = serde_json::json!({"k": [v, depth], "e": {}, "t": true});
        }
        for pretty in [false, true] {
            let mut w = JsonWriter::new(Out::memory(0), pretty);
            value(&mut w, &v);
            let want = if pretty {
                serde_json::to_vec_pretty(&v)
            } else {
                serde_json::to_vec(&v)
            };
            assert_eq!(w.into_bytes(), want.unwrap_or_default());
        }
    }

    /// `v` with every value at `depth` replaced by a placeholder string,
    /// the compact JSON of each pushed to `lines`.
    fn placeholders(
        v: &serde_json::Value,
        depth: usize,
        lines: &mut Vec<String>,
    ) -> serde_json::Value {
        use serde_json::Value;
        if depth == 0 {
            lines.push(serde_json::to_string(v).unwrap_or_default());
            return Value::String(format!("@@{}@@", lines.len() - 1));
        }
        match v {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| placeholders(i, depth - 1, lines))
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, i)| (k.clone(), placeholders(i, depth - 1, lines)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// `to_string_pretty` of `marked` with its placeholders (in order)
    /// replaced by `lines`.
    fn filled(marked: &serde_json::Value, lines: &[String]) -> String {
        let pretty = serde_json::to_string_pretty(marked).unwrap_or_default();
        let mut out = String::new();
        let mut rest = pretty.as_str();
        for (k, line) in lines.iter().enumerate() {
            let Some((before, after)) = rest.split_once(&format!("\"@@{k}@@\"")) else {
                panic!("placeholder {k} missing");
            };
            out.push_str(before);
            out.push_str(line);
            rest = after;
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn the_line_layout_is_pretty_with_compact_lines_below_its_depth() {
        let mut v = serde_json::json!([1, "x\n\"y\"", [], {}, [{"a": [2, {}]}]]);
        for depth in 0..6u64 {
            v = serde_json::json!({"k": [v, depth], "e": {}, "t": true, "s": "é"});
        }
        for depth in 0..16 {
            let mut lines = Vec::new();
            let marked = placeholders(&v, depth, &mut lines);
            let want = filled(&marked, &lines);
            let mut w = JsonWriter::lines(Out::memory(0), depth);
            value(&mut w, &v);
            let got = String::from_utf8(w.into_bytes()).unwrap_or_default();
            assert_eq!(got, want, "depth {depth}");
            assert!(depth > 0 || !got.contains('\n'));
        }
    }

    #[test]
    fn items_in_pieces_match_one_pass() {
        for (n, item_bytes) in [
            (0, 16),
            (1, 16),
            (PARALLEL_ITEMS - 1, 16),
            (PARALLEL_ITEMS, 16),
            (PARALLEL_ITEMS * 2 + 3, 16),
            // Many pieces of 64 items.
            (PARALLEL_ITEMS * 2 + 3, crate::io::export::out::CHUNK),
        ] {
            let items: Vec<serde_json::Value> = (0..n as u64)
                .map(|k| serde_json::json!({"k": k, "s": [format!("x{k}")], "e": {}}))
                .collect();
            let v = serde_json::json!({"a": [{"items": items.clone()}], "z": 1});
            // Compact, pretty, and one item per line.
            for pretty_to in [0, usize::MAX, 4] {
                let mut w = JsonWriter::with_depth(Out::memory(0), pretty_to);
                w.begin_object();
                w.key("a");
                w.begin_array();
                w.item();
                w.begin_object();
                w.key("items");
                w.begin_array();
                w.items_in_pieces(&items, item_bytes, |w, part| {
                    for item in part {
                        w.item();
                        value(w, item);
                    }
                });
                w.end_array();
                w.end_object();
                w.end_array();
                w.uint_field("z", 1u8);
                w.end_object();
                let mut lines = Vec::new();
                let marked = placeholders(&v, pretty_to, &mut lines);
                let want = filled(&marked, &lines);
                let got = String::from_utf8(w.into_bytes()).unwrap_or_default();
                assert_eq!(got, want, "{n} {pretty_to}");
            }
        }
    }

    #[test]
    fn every_ascii_character_is_escaped_as_serde_json_does() {
        for c in (0u8..0x80).map(char::from).chain(['é', '\u{2028}', '😀']) {
            for s in [c.to_string(), format!("a{c}b{c}"), format!("{c}{c}")] {
                let mut out = Vec::new();
                write_str(&mut out, &s);
                assert_eq!(out, serde_json::to_vec(&s).unwrap_or_default(), "{s:?}");
            }
        }
    }

    #[test]
    fn an_escape_anywhere_in_a_long_string_is_found() {
        for len in [31, 32, 33, 64, 95, 100] {
            for at in 0..len {
                for (c, fill) in [('"', 'a'), ('\\', 'é'), ('\n', 'a'), ('\u{1f}', 'é')] {
                    let s: String = (0..len).map(|i| if i == at { c } else { fill }).collect();
                    let mut out = Vec::new();
                    write_str(&mut out, &s);
                    assert_eq!(
                        out,
                        serde_json::to_vec(&s).unwrap_or_default(),
                        "{len} {at}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_strings_and_shapes_match_serde_json(
            a in any::<String>(),
            b in "(\\PC|[\u{0}-\u{1f}\"\\\\\u{2028}\u{301}])*",
            n in 0usize..4,
        ) {
            let v = sample(&a, &b, n);
            let mut w = JsonWriter::compact(0);
            by_hand(&mut w, &v);
            prop_assert_eq!(w.into_bytes(), serde_json::to_vec(&v).unwrap_or_default());
            let mut w = JsonWriter::pretty(0);
            by_hand(&mut w, &v);
            prop_assert_eq!(w.into_bytes(), serde_json::to_vec_pretty(&v).unwrap_or_default());
        }
    }
}
