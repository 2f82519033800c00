//! The pure core: offsets, source texts, labels, annotations, projects,
//! edits and undo history.
//!
//! Invariant: nothing in this module touches the file system, a clock, a
//! random source or a GUI toolkit; everything is plain data and functions,
//! so every rule here is testable in isolation. The data types derive serde
//! only for the crash-recovery journal (`io::journal`); the project file has
//! its own schema (`io::project_file::schema`).

pub mod agreement;
pub mod annotation;
pub mod diff;
pub mod document;
pub mod edit;
pub mod history;
pub mod label;
pub mod merge;
pub mod merge3;
pub mod merge_labels;
pub mod merge_report;
pub mod name;
pub mod offset;
pub mod parallel;
pub mod progress;
pub mod project;
pub mod reanchor;
pub mod source_text;
pub mod tagging;

pub use annotation::{Anchor, Annotation, AnnotationId, AnnotationKey, Review, Timestamp};
pub use document::{Document, DocumentId, Newline, Status};
pub use edit::{Edit, EditError, LabelProps};
pub use history::History;
pub use label::{Label, LabelId, Rgb};
pub use name::{Interner, Name};
pub use offset::{ByteOffset, CharOffset, CharRange};
pub use progress::{Progress, Stopped};
pub use project::{Project, Repair};
pub use source_text::SourceText;
