//! Durations written with a unit, as scenario files spell them: `"500ms"`, `"2s"`, `"1.5s"`, `"1m"`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A duration parsed from text with a unit (`us`, `ms`, `s`, `m`, `h`).
///
/// ```
/// use natsfault::spec::Dur;
/// let d: Dur = "1.5s".parse().unwrap();
/// assert_eq!(d.get(), std::time::Duration::from_millis(1500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Dur(pub Duration);

impl Dur {
    /// The wrapped duration.
    pub fn get(self) -> Duration {
        self.0
    }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a duration with a unit such as `500ms` or `2s`, found `{0}`")]
pub struct DurationParseError(pub String);

impl FromStr for Dur {
    type Err = DurationParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DurationParseError(s.to_string());
        let t = s.trim();
        let split = t.find(|c: char| c.is_ascii_alphabetic()).ok_or_else(err)?;
        let (num, unit) = t.split_at(split);
        let value: f64 = num.trim().parse().map_err(|_| err())?;
        if !value.is_finite() || value < 0.0 {
            return Err(err());
        }
        let secs = match unit {
            "us" | "µs" => value / 1_000_000.0,
            "ms" => value / 1000.0,
            "s" => value,
            "m" => value * 60.0,
            "h" => value * 3600.0,
            _ => return Err(err()),
        };
        if secs > 86_400.0 * 365.0 {
            return Err(err());
        }
        Ok(Dur(Duration::from_secs_f64(secs)))
    }
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_duration(self.0, f)
    }
}

/// Writes a duration the way reports show it: `850ms`, `2.1s`.
pub fn fmt_duration(d: Duration, f: &mut impl fmt::Write) -> fmt::Result {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 { write!(f, "{}ms", ms.round() as u64) } else { write!(f, "{:.2}s", ms / 1000.0) }
}

deserialize_from_str!(Dur);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!("500ms".parse::<Dur>().unwrap().get(), Duration::from_millis(500));
        assert_eq!("2s".parse::<Dur>().unwrap().get(), Duration::from_secs(2));
        assert_eq!("1m".parse::<Dur>().unwrap().get(), Duration::from_secs(60));
        assert_eq!("0s".parse::<Dur>().unwrap().get(), Duration::ZERO);
    }

    #[test]
    fn rejects_missing_unit_and_garbage() {
        for bad in ["500", "ms", "-1s", "1 parsec", "", "1e400s"] {
            assert!(bad.parse::<Dur>().is_err(), "{bad}");
        }
    }
}
