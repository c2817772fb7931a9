//! Bounds on elapsed time: `"250ms..1s"`, `"..1s"`, `"2s.."`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::bounds::parse_bounds;
use super::duration::{Dur, fmt_duration};

/// An inclusive range of durations; either end may be open.
///
/// ```
/// use natsfault::spec::TimeRange;
/// let r: TimeRange = "250ms..1s".parse().unwrap();
/// assert!(r.contains(std::time::Duration::from_millis(400)));
/// assert!(!r.contains(std::time::Duration::from_millis(100)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRange {
    /// Lower bound, if any.
    pub min: Option<Duration>,
    /// Upper bound, if any.
    pub max: Option<Duration>,
}

/// Why a time range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a time range such as `250ms..1s`, `..1s` or `2s..`, found `{0}`")]
pub struct TimeRangeParseError(pub String);

impl TimeRange {
    /// Whether `d` lies within the bounds.
    pub fn contains(&self, d: Duration) -> bool {
        self.min.is_none_or(|m| d >= m) && self.max.is_none_or(|m| d <= m)
    }
}

impl FromStr for TimeRange {
    type Err = TimeRangeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (min, max) = parse_bounds(s, false, |t| t.parse::<Dur>().ok().map(Dur::get))
            .ok_or_else(|| TimeRangeParseError(s.to_string()))?;
        Ok(TimeRange { min, max })
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = self.min {
            fmt_duration(m, f)?;
        }
        f.write_str("..")?;
        if let Some(m) = self.max {
            fmt_duration(m, f)?;
        }
        Ok(())
    }
}

deserialize_from_str!(TimeRange);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_ends() {
        let r: TimeRange = "..1s".parse().unwrap();
        assert!(r.contains(Duration::ZERO));
        assert!(!r.contains(Duration::from_millis(1001)));
        let r: TimeRange = "2s..".parse().unwrap();
        assert!(r.contains(Duration::from_secs(100)));
    }

    #[test]
    fn rejects_bad_ranges() {
        for bad in ["..", "1s", "2s..1s", "a..b"] {
            assert!(bad.parse::<TimeRange>().is_err(), "{bad}");
        }
    }
}
