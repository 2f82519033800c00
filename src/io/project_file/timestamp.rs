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

    #[test]
    fn round_trips() {
        let t = Timestamp(1_795_623_844);
        assert_eq!(format(t), "2026-11-25T16:24:04Z");
        assert_eq!(parse(&format(t)), Some(t));
        assert_eq!(parse("yesterday"), None);
    }
}
