//! RFC 3339 text for [`Timestamp`]s.
//!
//! Invariant: formatting is UTC with whole seconds (`2026-11-25T16:24:04Z`),
//! so the same timestamp always gives the same bytes.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::model::Timestamp;

/// Formats as RFC 3339 UTC; out-of-range values fall back to the epoch.
#[must_use]
pub fn format(t: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(t.0)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// Appends [`format`]`(t)` to `out` without allocating (a save writes two
/// timestamps per annotation).
pub fn write(out: &mut String, t: Timestamp) {
    let Ok(d) = OffsetDateTime::from_unix_timestamp(t.0) else {
        out.push_str(&format(t));
        return;
    };
    let year = d.year();
    if !(0..=9999).contains(&year) {
        out.push_str(&format(t));
        return;
    }
    let (h, m, s) = d.to_hms();
    let digits = |out: &mut String, v: u32, width: u32| {
        for p in (0..width).rev() {
            out.push(char::from(
                b'0' + u8::try_from(v / 10u32.pow(p) % 10).unwrap_or(0),
            ));
        }
    };
    digits(out, year.unsigned_abs(), 4);
    out.push('-');
    digits(out, u32::from(u8::from(d.month())), 2);
    out.push('-');
    digits(out, u32::from(d.day()), 2);
    out.push('T');
    digits(out, u32::from(h), 2);
    out.push(':');
    digits(out, u32::from(m), 2);
    out.push(':');
    digits(out, u32::from(s), 2);
    out.push('Z');
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

    proptest::proptest! {
        #[test]
        fn write_is_format(t in proptest::prop_oneof![
            -100_000_000_000i64..300_000_000_000,
            proptest::num::i64::ANY,
        ]) {
            let mut out = String::from("x");
            write(&mut out, Timestamp(t));
            proptest::prop_assert_eq!(out, format!("x{}", format(Timestamp(t))));
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
