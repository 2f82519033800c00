//! The scripted trace: open, smooth scroll, flings, random jumps (scroll
//! bar drags and jump-to-annotation), hover, drag-select and tag / retag /
//! delete, idle. Each phase records the CPU time of every frame.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Event, Key, pos2};
use spanmark::model::AnnotationId;
use spanmark::ui::Command;

use crate::corpus::Rng;
use crate::driver::{Driver, rss_bytes};

/// Frame times of one phase, in milliseconds (CPU time of the UI thread).
pub struct Phase {
    pub name: &'static str,
    pub frames: Vec<f64>,
    /// Wall-clock times of all frames of the phase (preemption included).
    pub wall: Vec<f64>,
}

/// Everything one run of the trace measured.
pub struct Outcome {
    pub empty_first_frame_ms: f64,
    pub rss_empty: u64,
    /// Open command → the first frame after it is finished.
    pub open_to_first_frame_ms: f64,
    /// Open command → the document's text drawn.
    pub open_to_text_ms: f64,
    /// Longest the UI thread was busy at once while opening (command or frame).
    pub open_stall_ms: f64,
    pub rss_loaded: u64,
    pub rss_peak_after: u64,
    pub phases: Vec<Phase>,
    /// Idle frames that asked for another frame.
    pub idle_repaints: usize,
    pub blocks: usize,
    pub annotations: usize,
}

impl Outcome {
    pub fn phase(&self, name: &str) -> &[f64] {
        self.phases
            .iter()
            .find(|p| p.name == name)
            .map_or(&[], |p| &p.frames)
    }
}

/// Runs the whole trace on the project at `path`; `scale` shortens it (1 = full).
pub fn run(path: &Path, scale: usize) -> Result<Outcome, String> {
    let n = |k: usize| (k / scale).max(2);
    let mut d = Driver::new();
    let empty_first_frame_ms = d.frame(vec![]);
    for _ in 0..10 {
        d.frame(vec![]);
    }
    let rss_empty = rss_bytes();

    // Open through the real command, as the menu / recent list / drop do.
    let t0 = Instant::now();
    d.wb.execute(Command::OpenPath(path.to_path_buf()));
    let mut open_stall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    open_stall_ms = open_stall_ms.max(d.frame(vec![]));
    let open_to_first_frame_ms = t0.elapsed().as_secs_f64() * 1000.0;
    while d.wb.view.as_ref().is_none_or(|v| v.blocks_drawn() == 0) {
        if t0.elapsed() > Duration::from_secs(300) {
            return Err(format!("the document never showed: {:?}", d.wb.message));
        }
        // A 120 Hz display: the app draws the progress bar while it waits.
        std::thread::sleep(Duration::from_millis(8));
        open_stall_ms = open_stall_ms.max(d.frame(vec![]));
    }
    let open_to_text_ms = t0.elapsed().as_secs_f64() * 1000.0;
    for _ in 0..30 {
        d.frame(vec![]);
        if !d.wb.is_dirty() && !d.repaint_asked {
            break;
        }
    }
    let rss_loaded = rss_bytes();
    let annotations = d.wb.ws.as_ref().map_or(0, |w| w.project.annotation_count());
    let blocks = d.wb.view.as_ref().map_or(0, |v| v.block_count());
    let mut rng = Rng::new(99);
    let mut phases = Vec::new();
    let r = d.text_rect();
    let center = r.center();

    // Smooth wheel scrolling.
    let mut f = Vec::new();
    let ev = d.move_to(center);
    d.frame(vec![ev]);
    d.take_walls();
    for _ in 0..n(240) {
        f.push(d.frame(vec![Driver::wheel(-50.0)]));
    }
    phases.push(Phase {
        name: "scroll",
        frames: f,
        wall: d.take_walls(),
    });

    // Flings: big wheel steps, down then back up.
    let mut f = Vec::new();
    for k in 0..n(240) {
        let dy = if k < n(240) * 2 / 3 { -1500.0 } else { 1500.0 };
        f.push(d.frame(vec![Driver::wheel(dy)]));
    }
    phases.push(Phase {
        name: "fling",
        frames: f,
        wall: d.take_walls(),
    });

    // Random jumps: scroll bar drags and jump-to-annotation.
    let mut f = Vec::new();
    // Clear of the side panel's resize handle, inside the 10 pt bar.
    let bar_x = r.max.x - 8.0;
    let mut landed = std::collections::BTreeSet::new();
    for _ in 0..n(12) {
        let y0 = r.min.y + 10.0 + rng.below((r.height() - 20.0) as usize) as f32;
        let y1 = r.min.y + 10.0 + rng.below((r.height() - 20.0) as usize) as f32;
        let ev = d.move_to(pos2(bar_x, y0));
        f.push(d.frame(vec![ev]));
        let ev = d.button(true);
        f.push(d.frame(vec![ev]));
        for k in 1..=4 {
            let y = y0 + (y1 - y0) * k as f32 / 4.0;
            let ev = d.move_to(pos2(bar_x, y));
            f.push(d.frame(vec![ev]));
        }
        let ev = d.button(false);
        f.push(d.frame(vec![ev]));
        for _ in 0..3 {
            f.push(d.frame(vec![]));
        }
        landed.insert(d.wb.view.as_ref().and_then(|v| v.first_block_drawn()));
    }
    if landed.len() < 2 {
        return Err("scroll bar drags did not move the view".into());
    }
    for _ in 0..n(30) {
        let id = AnnotationId(1 + rng.below(annotations.max(1)) as u64);
        d.wb.push(Command::SelectAnnotation(id));
        for _ in 0..5 {
            f.push(d.frame(vec![]));
        }
    }
    phases.push(Phase {
        name: "jump",
        frames: f,
        wall: d.take_walls(),
    });

    // Hover across the text (tooltips over annotations).
    let mut f = Vec::new();
    for k in 0..n(180) {
        let x = r.min.x + 20.0 + (k * 37 % 700) as f32;
        let y = r.min.y + 20.0 + (k * 53 % 600) as f32;
        let ev = d.move_to(pos2(x, y.min(r.max.y - 10.0)));
        f.push(d.frame(vec![ev]));
    }
    phases.push(Phase {
        name: "hover",
        frames: f,
        wall: d.take_walls(),
    });

    // Drag-select and tag, retag, delete; scroll a little between rounds.
    let mut select = Vec::new();
    let mut edits = Vec::new();
    for _ in 0..n(15) {
        let y = r.min.y + 60.0 + rng.below((r.height() - 120.0) as usize) as f32;
        let x = r.min.x + 40.0 + rng.below(200) as f32;
        let ev = d.move_to(pos2(x, y));
        select.push(d.frame(vec![ev]));
        let ev = d.button(true);
        select.push(d.frame(vec![ev]));
        for k in 1..=3 {
            let ev = d.move_to(pos2(x + 60.0 * k as f32, y));
            select.push(d.frame(vec![ev]));
        }
        let ev = d.button(false);
        select.push(d.frame(vec![ev]));
        let before = d.wb.ws.as_ref().map_or(0, |w| w.project.annotation_count());
        for key in [Key::Num1, Key::Num2, Key::Delete] {
            edits.push(d.frame(Driver::key(key)));
            edits.push(d.frame(vec![]));
        }
        let after = d.wb.ws.as_ref().map_or(0, |w| w.project.annotation_count());
        if after != before {
            return Err(format!(
                "tag + delete left {after} annotations, not {before}"
            ));
        }
        for _ in 0..3 {
            select.push(d.frame(vec![Driver::wheel(-200.0)]));
        }
    }
    if d.wb.history.undo_len() == 0 {
        return Err("the trace never tagged anything".into());
    }
    // Interleaved: the wall-clock times of both are kept with "select".
    phases.push(Phase {
        name: "select",
        frames: select,
        wall: d.take_walls(),
    });
    phases.push(Phase {
        name: "tag/retag/delete",
        frames: edits,
        wall: Vec::new(),
    });

    // Idle: pointer gone, let animations settle, then nothing happens.
    d.frame(vec![Event::PointerGone]);
    for _ in 0..30 {
        d.frame(vec![]);
        if !d.repaint_asked {
            break;
        }
    }
    let mut f = Vec::new();
    d.take_walls();
    let mut idle_repaints = 0;
    for _ in 0..n(60) {
        f.push(d.frame(vec![]));
        idle_repaints += usize::from(d.repaint_asked);
    }
    phases.push(Phase {
        name: "idle",
        frames: f,
        wall: d.take_walls(),
    });
    Ok(Outcome {
        empty_first_frame_ms,
        rss_empty,
        open_to_first_frame_ms,
        open_to_text_ms,
        open_stall_ms,
        rss_loaded,
        rss_peak_after: rss_bytes().max(rss_loaded),
        phases,
        idle_repaints,
        blocks,
        annotations,
    })
}
