//! Spanmark: a native desktop annotation workbench for analysts.
//!
//! Layers, innermost first (see ARCHITECTURE.md):
//! - [`model`]: pure data and rules — offsets, texts, labels, annotations,
//!   projects, edits, undo history. No file system, clock or GUI.
//! - [`io`]: files — project files (RON), source decoding, path policy,
//!   atomic writes, exports (with fidelity reports) and imports. No GUI.
//! - [`cli`]: headless subcommands on top of `model` and `io`.
//! - [`ui`]: the egui interface (no eframe); [`app`]: the eframe window.
//!
//! The binary (`src/main.rs`) parses the command line and runs a subcommand
//! or starts the window.

pub mod app;
pub mod cli;
pub mod io;
pub mod model;
pub mod ui;
