//! Running two pieces of work at once on this 2-core class of machine.
//!
//! Invariant: [`both`] always returns both results, in the same order, as
//! if run one after the other: the helper thread is an accelerator. When it
//! cannot start (or its work panics) the work runs again on the calling
//! thread, so it must be repeatable (reading, hashing, formatting).

/// Runs `here` on this thread while `there` runs on a scoped helper thread,
/// and returns both results.
pub fn both<A, B: Send>(here: impl FnOnce() -> A, there: impl Fn() -> B + Sync) -> (A, B) {
    std::thread::scope(|s| {
        let helper = std::thread::Builder::new().spawn_scoped(s, &there);
        let a = here();
        let b = helper
            .ok()
            .and_then(|h| h.join().ok())
            .unwrap_or_else(&there);
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order() {
        let data: Vec<u64> = (1..=1000).collect();
        let (half, rest) = data.split_at(500);
        let (a, b) = both(|| half.iter().sum::<u64>(), || rest.iter().sum::<u64>());
        assert_eq!((a, b), (125_250, 375_250));
    }
}
