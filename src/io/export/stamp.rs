//! RFC 3339 timestamps for exports, formatted once per day.
//!
//! Exports write two timestamps per span; formatting each through `time`
//! costs more than the rest of a CSV row. [`Stamps`] formats the date part
//! of a day once (through [`timestamp::format`], so the result is the same
//! text) and writes `HH:MM:SSZ` from the seconds of the day.
//!
//! Invariant: [`Stamps::write`] appends exactly `timestamp::format(t)`
//! (Unix time has no leap seconds; the range `timestamp::format` refuses
//! is whole years, so whole days, and falls back for the whole day).

use crate::io::project_file::timestamp;
use crate::model::Timestamp;

const DAY: i64 = 86_400;

/// A one-day cache of formatted dates.
#[derive(Default)]
pub struct Stamps {
    /// The day cached, its `YYYY-MM-DDT`, and whether the day is outside
    /// the formattable range (then each time is formatted whole).
    day: Option<(i64, String, bool)>,
}

impl Stamps {
    /// A cache with nothing formatted yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `timestamp::format(t)` to `out`.
    pub fn write(&mut self, t: Timestamp, out: &mut Vec<u8>) {
        let day = t.0.div_euclid(DAY);
        let secs = t.0.rem_euclid(DAY);
        if self.day.as_ref().is_none_or(|(d, _, _)| *d != day) {
            let midnight = timestamp::format(Timestamp(day.saturating_mul(DAY)));
            let whole = day.checked_mul(DAY).is_none()
                || midnight.len() != "0000-00-00T00:00:00Z".len()
                || !midnight.ends_with("T00:00:00Z")
                || (midnight == "1970-01-01T00:00:00Z" && day != 0);
            let text = if whole {
                String::new()
            } else {
                midnight.get(..11).unwrap_or_default().to_owned()
            };
            self.day = Some((day, text, whole));
        }
        let Some((_, text, whole)) = &self.day else {
            return;
        };
        if *whole {
            // Outside the formattable range: never cached per day.
            out.extend_from_slice(timestamp::format(t).as_bytes());
            return;
        }
        out.extend_from_slice(text.as_bytes());
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        for (n, sep) in [(h, b':'), (m, b':'), (s, b'Z')] {
            let n = u8::try_from(n).unwrap_or(0);
            out.extend_from_slice(&[b'0' + n / 10, b'0' + n % 10, sep]);
        }
    }

    /// `timestamp::format(t)` as a new string (for writers that need a `&str`).
    pub fn string(&mut self, t: Timestamp) -> String {
        let mut out = Vec::with_capacity(20);
        self.write(t, &mut out);
        String::from_utf8(out).unwrap_or_default()
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
