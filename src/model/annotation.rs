//! One tagged span of a document.
//!
//! Invariants: an annotation's `anchor.quote` is the text its range covered
//! when it was made (checked on load; a mismatch puts the annotation under
//! review, it is never dropped). `prefix`/`suffix` hold at most
//! [`CONTEXT_CHARS`] scalar values of surrounding text for re-anchoring.

use std::fmt;

use crate::model::document::DocumentId;
use crate::model::label::LabelId;
use crate::model::name::Name;
use crate::model::offset::CharRange;
use crate::model::source_text::SourceText;

/// Scalar values of context kept on each side of a span.
pub const CONTEXT_CHARS: usize = 32;

/// Stable identifier of an annotation within a project.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct AnnotationId(pub u64);

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Seconds since the Unix epoch, UTC. The model never reads a clock: callers
/// pass the time in.
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
pub struct Timestamp(pub i64);

/// The covered text and its surroundings, as captured when the span was made.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    /// The exact covered text.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] scalar values before the span.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] scalar values after the span.
    pub suffix: String,
}

impl Anchor {
    /// Captures quote and context for `range`, or `None` when it leaves the text.
    #[must_use]
    pub fn capture(text: &SourceText, range: CharRange) -> Option<Self> {
        Some(Self {
            quote: text.slice(range)?.to_owned(),
            prefix: text.before(range.start(), CONTEXT_CHARS).to_owned(),
            suffix: text.after(range.end(), CONTEXT_CHARS).to_owned(),
        })
    }
}

/// Why an annotation loaded from a file needs the analyst's attention.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Review {
    /// The range runs past the end of its document (`len` scalar values).
    OutOfRange {
        /// Length of the document in scalar values.
        len: usize,
    },
    /// The stored quote differs from the text now at the range.
    QuoteMismatch {
        /// The text now found at the range.
        found: String,
    },
    /// The annotation names a document the project does not have.
    UnknownDocument,
    /// Another annotation has the same document, range and label.
    Duplicate {
        /// The annotation kept as the original.
        of: AnnotationId,
    },
    /// The document's source could not be read, so the span is unchecked.
    SourceUnavailable,
    /// The source changed and the same text was found elsewhere.
    Moved {
        /// Where it was.
        from: CharRange,
        /// True when another place matched as well.
        ambiguous: bool,
    },
    /// The source changed and a similar text was found between the old context.
    Fuzzy {
        /// Where it was.
        from: CharRange,
        /// Similarity, 0–1000.
        score: u16,
        /// True when another place scored alike.
        ambiguous: bool,
    },
    /// The source changed and the text could not be found again.
    Orphaned,
}

impl fmt::Display for Review {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange { len } => {
                write!(
                    f,
                    "its range runs past the end of the document ({len} characters)"
                )
            }
            Self::QuoteMismatch { found } => {
                write!(
                    f,
                    "its stored text differs from the source, which now reads {found:?}"
                )
            }
            Self::UnknownDocument => {
                f.write_str("it refers to a document that is not in the project")
            }
            Self::Duplicate { of } => {
                write!(f, "it duplicates annotation {of} (same span and label)")
            }
            Self::SourceUnavailable => f.write_str("its source file could not be read"),
            Self::Moved { from, ambiguous } => {
                write!(f, "the source changed; the same text was found elsewhere (was {from})")?;
                if *ambiguous {
                    f.write_str(", but another place matched as well")?;
                }
                Ok(())
            }
            Self::Fuzzy { from, score, ambiguous } => {
                write!(
                    f,
                    "the source changed; a similar text ({}.{}% alike) was placed (was {from})",
                    score / 10,
                    score % 10
                )?;
                if *ambiguous {
                    f.write_str(", but another place scored alike")?;
                }
                Ok(())
            }
            Self::Orphaned => f.write_str(
                "the source changed and its text could not be found again; it keeps its old offsets",
            ),
        }
    }
}

/// A labelled span of one document.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Annotation {
    /// Stable id.
    pub id: AnnotationId,
    /// The document annotated.
    pub doc: DocumentId,
    /// Half-open range in Unicode scalar values.
    pub range: CharRange,
    /// The label applied.
    pub label: LabelId,
    /// Free-text note, if any.
    pub note: Option<String>,
    /// Who made it (shared text: one copy per author in a project).
    pub author: Name,
    /// Other analysts who made the same span with the same label
    /// independently (filled by merging copies of a project); sorted, never
    /// containing `author`.
    pub agreed: Vec<Name>,
    /// When it was made.
    pub created: Timestamp,
    /// When it was last changed.
    pub modified: Timestamp,
    /// Covered text and context.
    pub anchor: Anchor,
    /// Where an imported annotation came from (tool and file); `None` when
    /// made in Spanmark.
    pub origin: Option<String>,
    /// Why a merge kept this annotation beside a differing one (same span
    /// with another label, or an overlapping span of the same label), in
    /// plain words; persisted until the analyst resolves it.
    pub conflict: Option<String>,
    /// Set on load when the annotation needs review; never persisted.
    pub review: Option<Review>,
}

/// The order annotations are kept in: document, start, end, label, id.
pub type AnnotationKey = (DocumentId, usize, usize, LabelId, AnnotationId);

impl Annotation {
    /// The sort key.
    #[must_use]
    pub fn key(&self) -> AnnotationKey {
        (
            self.doc,
            self.range.start().0,
            self.range.end().0,
            self.label.clone(),
            self.id,
        )
    }

    /// Everyone who made this annotation: the author, then those who agreed.
    pub fn authors(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.author.as_str())
            .filter(|a| !a.is_empty())
            .chain(self.agreed.iter().map(Name::as_str))
    }

    /// True when `other` says the same in everything saved (the load-time
    /// review flag aside).
    #[must_use]
    pub fn same_content(&self, other: &Self) -> bool {
        let mut a = self.clone();
        a.review.clone_from(&other.review);
        a == *other
    }

    /// True when `other` covers the same document, range and label.
    #[must_use]
    pub fn same_span_and_label(&self, other: &Self) -> bool {
        self.doc == other.doc && self.range == other.range && self.label == other.label
    }
}
