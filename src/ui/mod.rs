//! The user interface, drawn with egui (no eframe here: see `crate::app`).
//!
//! Layers inside: [`document_view`] draws one document; [`panels`],
//! [`bars`], [`windows`], [`labels_window`], [`review_panel`] and [`transfer`] (export, import) draw the rest; all of them
//! push [`command::Command`]s that [`workbench::Workbench`] executes after
//! drawing. [`dialogs`] is the only module that talks to native file
//! dialogs. Colours live in [`theme`], fonts in [`fonts`].

pub mod annotation_list;
pub mod bars;
pub mod command;
pub mod dialogs;
pub mod document_view;
pub mod excerpt;
pub mod fonts;
pub mod labels_window;
pub mod merge_windows;
pub mod panels;
pub mod recovery_window;
pub mod review;
pub mod review_panel;
pub mod safety_windows;
pub mod theme;
pub mod transfer;
pub mod warm;
pub mod windows;
pub mod workbench;

pub use command::Command;
pub use workbench::{Prefs, Workbench};
