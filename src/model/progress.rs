//! How far a long piece of work got, and whether it should stop: shared
//! between the worker thread doing it and the window drawing its bar.
//!
//! Invariants: the worker only ever writes the counters and reads the stop
//! flag; the window only reads the counters and sets the flag. Nothing
//! blocks: every field is an atomic, except the phase's name, whose lock
//! is held only to copy a `&'static str`. `done` never exceeds `total` as
//! read by [`Progress::fraction`] (it is clamped). A stopped piece of work
//! returns [`Stopped`] at its next check and leaves its inputs as they
//! were; what it built so far is dropped.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A piece of work ended early because [`Progress::stop`] was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("stopped before it was done")]
pub struct Stopped;

/// Counters and a stop flag for one long piece of work.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    stop: AtomicBool,
    phase: Mutex<Option<&'static str>>,
}

impl Progress {
    /// A fresh report: nothing done, no total known, not stopped.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a phase called `name` ("Placing the annotations again") of
    /// `total` units (0: unknown), with none done yet.
    pub fn phase(&self, name: &'static str, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        *self
            .phase
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(name);
    }

    /// Marks `n` more units of the current phase done.
    pub fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Marks `n` units of the current phase done in all.
    pub fn set_done(&self, n: u64) {
        self.done.store(n, Ordering::Relaxed);
    }

    /// The current phase's name, if one was started.
    #[must_use]
    pub fn phase_name(&self) -> Option<&'static str> {
        *self
            .phase
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How much of the current phase is done, 0–1; `None` while its size
    /// is unknown.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return None;
        }
        let done = self.done.load(Ordering::Relaxed).min(total);
        #[allow(clippy::cast_precision_loss)]
        Some((done as f64 / total as f64) as f32)
    }

    /// Asks the work to stop at its next check.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// True once [`Self::stop`] was called.
    #[must_use]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// `Err(Stopped)` once [`Self::stop`] was called: `progress.check()?`
    /// at each step of a loop.
    ///
    /// # Errors
    /// [`Stopped`] when the work was asked to stop.
    pub fn check(&self) -> Result<(), Stopped> {
        if self.stopped() { Err(Stopped) } else { Ok(()) }
    }

    /// The stop flag, for code that takes a bare `AtomicBool` (the
    /// exporters' `Progress`, the font warm-up).
    #[must_use]
    pub fn stop_flag(&self) -> &AtomicBool {
        &self.stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_follows_the_phase_and_is_clamped() {
        let p = Progress::new();
        assert_eq!(p.fraction(), None);
        assert_eq!(p.phase_name(), None);
        p.phase("Reading", 4);
        p.advance(1);
        assert_eq!(p.fraction(), Some(0.25));
        p.advance(10);
        assert_eq!(p.fraction(), Some(1.0));
        p.phase("Placing", 0);
        assert_eq!(p.fraction(), None);
        assert_eq!(p.phase_name(), Some("Placing"));
        p.phase("Writing", 2);
        p.set_done(1);
        assert_eq!(p.fraction(), Some(0.5));
    }

    #[test]
    fn check_fails_once_stopped() {
        let p = Progress::new();
        assert_eq!(p.check(), Ok(()));
        p.stop();
        assert!(p.stopped());
        assert_eq!(p.check(), Err(Stopped));
        assert!(p.stop_flag().load(Ordering::Relaxed));
    }
}
