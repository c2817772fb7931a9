//! Moments relative to when credentials are issued: `"now"`, `"+2s"`, `"-1h"`.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::super::duration::Dur;

/// A signed offset from the moment a phase issues its credentials. JWT times are whole Unix
/// seconds, so the result is rounded down to the second.
///
/// ```
/// use natsfault::spec::RelTime;
/// let t: RelTime = "-1h".parse().unwrap();
/// assert_eq!(t.unix_at(1_700_000_000.0), 1_699_996_400);
/// let t: RelTime = "+2s".parse().unwrap();
/// assert_eq!(t.unix_at(1_700_000_000.7), 1_700_000_002);
/// assert!("2s".parse::<RelTime>().is_err(), "the sign is required");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelTime {
    /// Milliseconds after (positive) or before (negative) the moment of issue.
    pub offset_ms: i64,
}

/// Why a relative time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a time relative to now such as `+2s`, `-1h` or `now`, found `{0}`")]
pub struct RelTimeParseError(pub String);

impl RelTime {
    /// The Unix second this offset names, counted from `now` (Unix seconds with a fraction).
    pub fn unix_at(self, now: f64) -> i64 {
        (now + self.offset_ms as f64 / 1000.0).floor() as i64
    }

    /// The Unix second this offset names, counted from the current time.
    pub fn unix_now(self) -> i64 {
        self.unix_at(now_f64())
    }
}

/// The current time as Unix seconds with a fraction.
pub fn now_f64() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_secs_f64()
}

impl FromStr for RelTime {
    type Err = RelTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RelTimeParseError(s.to_string());
        let t = s.trim();
        if t == "now" {
            return Ok(RelTime { offset_ms: 0 });
        }
        let (sign, rest) = match t.chars().next() {
            Some('+') => (1, &t[1..]),
            Some('-') => (-1, &t[1..]),
            _ => return Err(err()),
        };
        let d: Dur = rest.parse().map_err(|_| err())?;
        let ms = i64::try_from(d.get().as_millis()).map_err(|_| err())?;
        Ok(RelTime { offset_ms: sign * ms })
    }
}

impl fmt::Display for RelTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.offset_ms == 0 {
            return f.write_str("now");
        }
        let sign = if self.offset_ms < 0 { '-' } else { '+' };
        write!(f, "{sign}")?;
        super::super::duration::fmt_duration(Duration::from_millis(self.offset_ms.unsigned_abs()), f)
    }
}

deserialize_from_str!(RelTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_units_and_now() {
        assert_eq!("now".parse::<RelTime>().unwrap().offset_ms, 0);
        assert_eq!("-1h".parse::<RelTime>().unwrap().offset_ms, -3_600_000);
        assert_eq!("+500ms".parse::<RelTime>().unwrap().offset_ms, 500);
        for bad in ["1h", "+", "-x", "+1 parsec", "", "yesterday"] {
            assert!(bad.parse::<RelTime>().is_err(), "{bad}");
        }
        assert_eq!("-1.5s".parse::<RelTime>().unwrap().unix_at(100.0), 98);
    }
}
