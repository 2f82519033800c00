//! Pixel snapshot of the main window with the sample project, rendered with
//! wgpu (Mesa's lavapipe on a machine without a GPU). Behind the
//! `snapshots` feature: `cargo test --features snapshots --test ui_snapshot`.
//! `UPDATE_SNAPSHOTS=1` rewrites `tests/snapshots/*.png`.

#![cfg(feature = "snapshots")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

#[test]
fn main_window_with_the_sample_project() {
    let (_dir, file) = ui_common::sample_copy();
    let mut h = ui_common::harness(Some(&file), vec![]);
    // The status message names the temporary folder: keep pixels reproducible.
    h.state_mut().message = None;
    h.run();
    h.snapshot("main_window_sample_project");
}
