//! Serde format for [`Duration`] fields of toxic descriptions.
//!
//! Accepts an integer (milliseconds) or a string with a unit: `"250ms"`,
//! `"2s"`, `"1m"`, `"500us"`, `"10ns"`. Serializes as a string in
//! milliseconds (`"250ms"`) when exact, otherwise in nanoseconds.

use std::fmt;
use std::time::Duration;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Serializes a duration as `"<n>ms"` or `"<n>ns"`.
pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    let nanos = d.as_nanos();
    if nanos.is_multiple_of(1_000_000) {
        s.serialize_str(&format!("{}ms", nanos / 1_000_000))
    } else {
        s.serialize_str(&format!("{nanos}ns"))
    }
}

/// Deserializes a duration from milliseconds or a string with a unit.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    d.deserialize_any(DurationVisitor)
}

/// Parses `"<number><unit>"` where unit is one of `ns`, `us`, `ms`, `s`, `m`.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("invalid duration `{text}`"))?;
    match unit.trim() {
        "ns" => Ok(Duration::from_nanos(n)),
        "us" => Ok(Duration::from_micros(n)),
        "ms" | "" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" => n.checked_mul(60).map(Duration::from_secs).ok_or_else(|| format!("duration `{text}` is too long")),
        other => Err(format!("unknown duration unit `{other}` in `{text}`")),
    }
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("milliseconds as an integer or a string such as \"250ms\" or \"2s\"")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        Ok(Duration::from_millis(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        u64::try_from(v).map(Duration::from_millis).map_err(|_| E::custom("a duration cannot be negative"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse("7us"), Ok(Duration::from_micros(7)));
        assert_eq!(parse("9ns"), Ok(Duration::from_nanos(9)));
        assert_eq!(parse("40"), Ok(Duration::from_millis(40)));
        assert!(parse("3h").is_err());
        assert!(parse("ms").is_err());
    }
}
