//! A headless egui context driving the real [`Workbench`]: every frame is
//! `Context::run_ui` + `Context::tessellate`, timed on the CPU, with
//! synthetic input and a clock that advances 1/60 s per frame.

use std::time::{Duration, Instant};

use egui::{
    Event, Key, Modifiers, MouseWheelSource, MouseWheelUnit, PointerButton, Pos2, RawInput, Rect,
    TouchPhase, Vec2, ViewportId, pos2, vec2,
};
use spanmark::ui::Workbench;
use spanmark::ui::dialogs::ScriptedDialogs;

/// Screen size of the simulated window (a full-HD monitor).
pub const SCREEN: Vec2 = vec2(1920.0, 1080.0);

/// The app plus its context, clock and pointer.
pub struct Driver {
    pub ctx: egui::Context,
    pub wb: Workbench,
    time: f64,
    pub pointer: Pos2,
    /// True when the last frame asked for another one (`request_repaint`).
    pub repaint_asked: bool,
    /// Wall-clock time of the last frame, in milliseconds.
    pub last_wall_ms: f64,
    walls: Vec<f64>,
}

impl Driver {
    pub fn new() -> Self {
        let ctx = egui::Context::default();
        spanmark::ui::fonts::setup_fonts(&ctx);
        let prefs = spanmark::ui::Prefs {
            author: "harness".into(),
            ..spanmark::ui::Prefs::default()
        };
        let wb = Workbench::new(Box::new(ScriptedDialogs::default()), prefs);
        Self {
            ctx,
            wb,
            time: 0.0,
            pointer: pos2(0.0, 0.0),
            repaint_asked: false,
            last_wall_ms: 0.0,
            walls: Vec::new(),
        }
    }

    /// Runs one frame with `events`; returns the CPU time this thread spent
    /// on it in milliseconds (time on other processes while this one was
    /// preempted — the machine is shared — is not counted; see `last_wall_ms`).
    pub fn frame(&mut self, events: Vec<Event>) -> f64 {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..RawInput::default()
        };
        let wb = &mut self.wb;
        let cpu_start = thread_cpu_ns();
        let start = Instant::now();
        let mut out = self.ctx.run_ui(input, |ui| wb.show(ui));
        let shapes = std::mem::take(&mut out.shapes);
        let prims = self.ctx.tessellate(shapes, out.pixels_per_point);
        self.last_wall_ms = start.elapsed().as_secs_f64() * 1000.0;
        self.walls.push(self.last_wall_ms);
        let ms = match (cpu_start, thread_cpu_ns()) {
            (Some(a), Some(b)) => (b.saturating_sub(a)) as f64 / 1e6,
            _ => self.last_wall_ms,
        };
        // No GPU: font atlas uploads are dropped on purpose.
        out.textures_delta.clear();
        std::hint::black_box(prims);
        self.repaint_asked = out
            .viewport_output
            .get(&ViewportId::ROOT)
            .is_some_and(|v| v.repaint_delay < Duration::from_secs(1));
        ms
    }

    /// Wall-clock times of the frames since the last call.
    pub fn take_walls(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.walls)
    }

    /// The visible text area of the document view (last frame).
    pub fn text_rect(&self) -> Rect {
        self.wb
            .view
            .as_ref()
            .and_then(|v| v.screen_rect())
            .unwrap_or(Rect::from_min_size(pos2(300.0, 80.0), vec2(900.0, 800.0)))
    }

    pub fn move_to(&mut self, p: Pos2) -> Event {
        self.pointer = p;
        Event::PointerMoved(p)
    }

    pub fn button(&self, pressed: bool) -> Event {
        Event::PointerButton {
            pos: self.pointer,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }
    }

    pub fn wheel(dy: f32) -> Event {
        Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, dy),
            phase: TouchPhase::Move,
            source: MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        }
    }

    /// A key press and release within one frame.
    pub fn key(key: Key) -> Vec<Event> {
        let ev = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        vec![ev(true), ev(false)]
    }
}

/// Resident set size of this process in bytes (Linux `/proc/self/statm`).
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// CPU time this thread has run, in nanoseconds
/// (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, exact to the nanosecond,
/// unlike `/proc`'s tick-sampled figures).
pub fn thread_cpu_ns() -> Option<u64> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let secs = u64::try_from(t.tv_sec).ok()?;
    let nanos = u64::try_from(t.tv_nsec).ok()?;
    Some(secs * 1_000_000_000 + nanos)
}
