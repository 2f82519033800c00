//! RFC 3339 text for [`Timestamp`]s.
//!
//! Invariant: formatting is UTC with whole seconds (`2026-11-25T16:24:04Z`),
//! so the same timestamp always gives the same bytes.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::model::Timestamp;

/// What out-of-range timestamps are written as.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// The RFC 3339 text of a timestamp, made without allocating (a save writes
/// two per annotation): always 20 ASCII bytes, `YYYY-MM-DDTHH:MM:SSZ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text([u8; 20]);

impl Text {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or(EPOCH)
    }
}

/// RFC 3339 UTC text of `t`; values outside the years 0–9999 (which RFC
/// 3339 cannot write) fall back to the epoch.
#[must_use]
pub fn text(t: Timestamp) -> Text {
    let mut out = [0u8; 20];
    out.copy_from_slice(EPOCH.as_bytes());
    let Ok(d) = OffsetDateTime::from_unix_timestamp(t.0) else {
        return Text(out);
    };
    let Ok(year) = u32::try_from(d.year()) else {
        return Text(out);
    };
    if year > 9999 {
        return Text(out);
    }
    let (h, m, s) = d.to_hms();
    let fields = [
        (0, year, 4),
        (5, u32::from(u8::from(d.month())), 2),
        (8, u32::from(d.day()), 2),
        (11, u32::from(h), 2),
        (14, u32::from(m), 2),
        (17, u32::from(s), 2),
    ];
    for (at, value, width) in fields {
        for i in 0..width {
            let digit = value / 10u32.pow(width - 1 - i) % 10;
            if let Some(b) = out.get_mut(at + i as usize) {
                *b = b'0' + u8::try_from(digit).unwrap_or(0);
            }
        }
    }
    Text(out)
}

/// Formats as RFC 3339 UTC ([`text`] as a `String`).
#[must_use]
pub fn format(t: Timestamp) -> String {
    text(t).as_str().to_owned()
}

/// Parses RFC 3339 (any offset); `None` when malformed.
#[must_use]
pub fn parse(s: &str) -> Option<Timestamp> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|d| Timestamp(d.unix_timestamp()))
}

/// The current time (the only clock read in the core crate).
#[must_use]
pub fn now() -> Timestamp {
    Timestamp(OffsetDateTime::now_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: the `time` crate's own RFC 3339 formatting.
    fn reference(t: Timestamp) -> String {
        OffsetDateTime::from_unix_timestamp(t.0)
            .ok()
            .and_then(|d| d.format(&Rfc3339).ok())
            .unwrap_or_else(|| EPOCH.to_owned())
    }

    proptest::proptest! {
        #[test]
        fn text_is_what_time_writes(t in proptest::prop_oneof![
            -100_000_000_000i64..300_000_000_000,
            proptest::num::i64::ANY,
        ]) {
            proptest::prop_assert_eq!(format(Timestamp(t)), reference(Timestamp(t)));
        }
    }

    #[test]
    fn edges_are_what_time_writes() {
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
            assert_eq!(format(Timestamp(t)), reference(Timestamp(t)), "{t}");
        }
    }

    #[test]
    fn round_trips() {
        let t = Timestamp(1_795_623_844);
        assert_eq!(format(t), "2026-11-25T16:24:04Z");
        assert_eq!(parse(&format(t)), Some(t));
        assert_eq!(parse("yesterday"), None);
    }
}
