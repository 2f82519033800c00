//! Typed text positions.
//!
//! Invariants: a [`CharOffset`] counts Unicode scalar values (Python `str`
//! indices) and a [`ByteOffset`] counts UTF-8 bytes; the two never mix
//! without going through [`crate::model::SourceText`]. A [`CharRange`] is
//! half-open (`start..end`) and always has `start <= end`.

use std::fmt;

/// A position counted in Unicode scalar values from the start of a text.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct CharOffset(pub usize);

/// A position counted in UTF-8 bytes from the start of a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteOffset(pub usize);

impl fmt::Display for CharOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for ByteOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A half-open range of Unicode scalar values, `start..end`, with `start <= end`.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct CharRange {
    start: CharOffset,
    end: CharOffset,
}

impl CharRange {
    /// Builds a range from two offsets in any order (the smaller becomes the start).
    #[must_use]
    pub fn new(a: usize, b: usize) -> Self {
        Self {
            start: CharOffset(a.min(b)),
            end: CharOffset(a.max(b)),
        }
    }

    /// Builds `start..end`, or `None` when `start > end`.
    #[must_use]
    pub fn checked(start: usize, end: usize) -> Option<Self> {
        (start <= end).then_some(Self {
            start: CharOffset(start),
            end: CharOffset(end),
        })
    }

    /// First scalar value inside the range.
    #[must_use]
    pub fn start(self) -> CharOffset {
        self.start
    }

    /// First scalar value after the range.
    #[must_use]
    pub fn end(self) -> CharOffset {
        self.end
    }

    /// Number of scalar values covered.
    #[must_use]
    pub fn len(self) -> usize {
        self.end.0 - self.start.0
    }

    /// True when the range covers nothing.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when the two ranges share at least one scalar value.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    #[must_use]
    pub fn contains_range(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when `offset` lies inside the half-open range.
    #[must_use]
    pub fn contains(self, offset: CharOffset) -> bool {
        self.start <= offset && offset < self.end
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start.0, self.end.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_orders_its_ends() {
        let r = CharRange::new(9, 3);
        assert_eq!((r.start().0, r.end().0, r.len()), (3, 9, 6));
        assert!(CharRange::checked(4, 2).is_none());
    }

    #[test]
    fn overlap_is_half_open() {
        let a = CharRange::new(0, 5);
        assert!(!a.overlaps(CharRange::new(5, 8)));
        assert!(a.overlaps(CharRange::new(4, 8)));
        assert!(a.contains(CharOffset(4)));
        assert!(!a.contains(CharOffset(5)));
        assert!(a.contains_range(CharRange::new(1, 5)));
    }
}
