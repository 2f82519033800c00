//! RFC 3339 timestamps for exports, written without allocating.
//!
//! Exports write two timestamps per span; formatting each through `time`
//! into a new `String` costs more than the rest of a CSV row. [`Stamps`]
//! writes them through [`timestamp::write`] (the project file's own
//! allocation-free formatter) into a reused buffer.
//!
//! Invariant: [`Stamps::write`] appends exactly `timestamp::format(t)`.

use crate::io::project_file::timestamp;
use crate::model::Timestamp;

/// A reusable buffer for formatting timestamps.
#[derive(Default)]
pub struct Stamps {
    buf: String,
}

impl Stamps {
    /// A formatter with an empty buffer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `timestamp::format(t)` to `out`.
    pub fn write(&mut self, t: Timestamp, out: &mut Vec<u8>) {
        self.buf.clear();
        timestamp::write(&mut self.buf, t);
        out.extend_from_slice(self.buf.as_bytes());
    }

    /// `timestamp::format(t)` as a new string (for writers that need a `&str`).
    pub fn string(&mut self, t: Timestamp) -> String {
        let mut out = String::with_capacity(20);
        timestamp::write(&mut out, t);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges() {
        let mut st = Stamps::new();
        for t in [
            0,
            -1,
            86_399,
            86_400,
            1_795_600_000,
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(
                st.string(Timestamp(t)),
                timestamp::format(Timestamp(t)),
                "{t}"
            );
        }
    }

    proptest! {
        #[test]
        fn same_text_as_timestamp_format(
            base in prop_oneof![any::<i64>(), -70_000_000_000i64..260_000_000_000],
            steps in prop::collection::vec(-200_000i64..200_000, 1..20),
        ) {
            let mut st = Stamps::new();
            let mut t = base;
            for d in steps {
                t = t.saturating_add(d);
                prop_assert_eq!(st.string(Timestamp(t)), timestamp::format(Timestamp(t)));
            }
        }
    }
}
