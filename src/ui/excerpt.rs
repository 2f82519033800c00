//! Short forms of long quotes for panels: the start and the end of a text
//! around an ellipsis, cut on char boundaries.
//!
//! Invariant: an excerpt never holds more than `head + tail + 3` chars, and
//! a text that fits is returned unchanged (borrowed).

use std::borrow::Cow;

/// `text` whole when it has at most `head + tail + 3` chars, else its
/// first `head` and last `tail` chars around " … " (spaces at the cut
/// trimmed).
#[must_use]
pub fn ends(text: &str, head: usize, tail: usize) -> Cow<'_, str> {
    if text.chars().nth(head + tail + 3).is_none() {
        return text.into();
    }
    let head_end = text.char_indices().nth(head).map_or(text.len(), |(i, _)| i);
    let tail_start = match tail.checked_sub(1) {
        Some(n) => text
            .char_indices()
            .rev()
            .nth(n)
            .map_or(head_end, |(i, _)| i),
        None => text.len(),
    };
    let head = text.get(..head_end).unwrap_or_default().trim_end();
    let tail = text.get(tail_start..).unwrap_or_default().trim_start();
    format!("{head} … {tail}").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_stay_whole() {
        assert!(matches!(ends("a short quote", 5, 5), Cow::Borrowed(_)));
        let just = "é".repeat(13);
        assert_eq!(ends(&just, 5, 5), just.as_str());
    }

    #[test]
    fn long_texts_keep_their_ends() {
        let long = format!("{} 😀 {}", "ab ".repeat(200), "Ω".repeat(100));
        let e = ends(&long, 160, 60);
        assert!(e.starts_with(&"ab ".repeat(53)), "{e}");
        assert!(e.ends_with(&"Ω".repeat(60)), "{e}");
        assert!(e.contains(" … "));
        assert!(e.chars().count() <= 160 + 60 + 3);
        assert_eq!(ends(&"x".repeat(20), 3, 0), "xxx … ");
        assert_eq!(ends(&"x".repeat(20), 0, 2), " … xx");
    }
}
