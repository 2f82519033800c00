//! What a merge did: counts and sentences for the merge report window and
//! the status bar ([`crate::model::merge`]).
//!
//! Invariant: pure data; every count is filled by the merge itself.

use std::collections::BTreeMap;

/// What a merge did, counted and in sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Whose copy was merged in.
    pub from: String,
    /// Their documents found here by content hash.
    pub documents_same: usize,
    /// Their documents whose source differs from ours (placed again).
    pub documents_changed: usize,
    /// Their documents added.
    pub documents_added: usize,
    /// Their annotations new here.
    pub added: usize,
    /// Their annotations identical to one of ours made by someone else (now
    /// recording both authors).
    pub collapsed: usize,
    /// Their annotations already here as they are.
    pub unchanged: usize,
    /// Annotations newly marked as conflicts (ours and theirs).
    pub conflicts: usize,
    /// Their annotations on a changed source, by placement status.
    pub placed: BTreeMap<&'static str, usize>,
    /// Label clashes resolved and anything else worth saying.
    pub notes: Vec<String>,
}

impl MergeReport {
    /// One line for a status bar.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "Merged {}: {} new, {} made by both, {} already here, {} conflict(s) to review; \
             documents: {} same, {} changed, {} added",
            self.from,
            self.added,
            self.collapsed,
            self.unchanged,
            self.conflicts,
            self.documents_same,
            self.documents_changed,
            self.documents_added
        )
    }
}
