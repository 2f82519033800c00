//! Char↔byte conversions and grapheme snapping against naive references,
//! on text full of emoji, ZWJ sequences, combining marks and CRLF.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

use proptest::prelude::*;
use spanmark::model::{ByteOffset, CharOffset, CharRange, SourceText};

/// Pieces that break naive offset code.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        " ",
        "\r\n",
        "\n",
        "\r",
        "é",
        "e\u{301}",
        "👨🏻\u{200d}🚒",
        "🔥",
        "中文",
        "Ω",
        "\u{5d0}\u{5d1}",
        "\u{627}\u{644}",
        "“",
        "—",
        "\t",
        "ß",
        "\u{1f1fa}\u{1f1f8}",
    ]);
    prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn char_byte_conversions_match_naive(text in tricky_text()) {
        let t = SourceText::new(text.clone());
        let naive: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        prop_assert_eq!(t.char_len(), text.chars().count());
        for (c, &b) in naive.iter().enumerate() {
            prop_assert_eq!(t.byte_of(CharOffset(c)), Some(ByteOffset(b)));
            prop_assert_eq!(t.char_of(ByteOffset(b)), Some(CharOffset(c)));
        }
        prop_assert_eq!(t.byte_of(CharOffset(naive.len())), None);
        for b in 0..=text.len() + 1 {
            if !text.is_char_boundary(b) {
                prop_assert_eq!(t.char_of(ByteOffset(b)), None);
            }
        }
    }

    #[test]
    fn slices_match_python_indexing(text in tricky_text(), a in 0usize..400, b in 0usize..400) {
        let t = SourceText::new(text.clone());
        let chars: Vec<char> = text.chars().collect();
        let r = CharRange::new(a, b);
        let expected = (r.end().0 <= chars.len())
            .then(|| chars[r.start().0..r.end().0].iter().collect::<String>());
        prop_assert_eq!(t.slice(r).map(str::to_owned), expected);
    }

    #[test]
    fn line_index_matches_naive(text in tricky_text()) {
        let t = SourceText::new(text.clone());
        let chars: Vec<char> = text.chars().collect();
        let mut line = 0;
        for (i, &c) in chars.iter().enumerate() {
            prop_assert_eq!(t.line_of(CharOffset(i)), line, "at {}", i);
            let next_is_lf = chars.get(i + 1) == Some(&'\n');
            if c == '\n' || (c == '\r' && !next_is_lf) {
                line += 1;
            }
        }
        prop_assert_eq!(t.line_count(), line + 1);
    }

    #[test]
    fn snapped_ranges_never_split_graphemes(text in tricky_text(), a in 0usize..400, b in 0usize..400) {
        use unicode_segmentation::UnicodeSegmentation;
        let t = SourceText::new(text.clone());
        let len = t.char_len();
        let r = t.snap_to_graphemes(CharRange::new(a.min(len), b.min(len)));
        let mut boundaries = vec![0];
        let mut n = 0;
        for g in text.graphemes(true) {
            n += g.chars().count();
            boundaries.push(n);
        }
        prop_assert!(boundaries.contains(&r.start().0));
        prop_assert!(boundaries.contains(&r.end().0));
        prop_assert!(r.start().0 <= a.min(len).min(b.min(len)));
    }
}

#[test]
fn crlf_counts_as_two_scalar_values() {
    let t = SourceText::new("a\r\nb".to_owned());
    assert_eq!(t.char_len(), 4);
    assert_eq!(t.slice(CharRange::new(3, 4)), Some("b"));
}
