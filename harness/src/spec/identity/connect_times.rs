//! A user's connect `times`: windows of clock time, written as clock times (`"22:00:00"`) or
//! relative to the moment of issue (`"now-1h"`), rendered in the JWT's `locale`.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;

use super::super::duration::Dur;

/// The largest offset a relative clock time may have: a window is a time of day.
pub const MAX_OFFSET_MS: i64 = 24 * 3_600_000;

/// One end of a connect window.
///
/// ```
/// use natsfault::spec::ClockTime;
/// assert_eq!("22:00:00".parse::<ClockTime>().unwrap(), ClockTime::At { h: 22, m: 0, s: 0 });
/// assert_eq!("now-1h".parse::<ClockTime>().unwrap(), ClockTime::Now { offset_ms: -3_600_000 });
/// assert!("25:00:00".parse::<ClockTime>().is_err());
/// assert!("now+24h".parse::<ClockTime>().is_err(), "a window is a time of day");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockTime {
    /// A clock time as nats-server reads it (Go layout `15:04:05`).
    At {
        /// Hour, 0-23.
        h: u8,
        /// Minute, 0-59.
        m: u8,
        /// Second, 0-59.
        s: u8,
    },
    /// The moment of issue plus an offset (under a day either way), as a clock time in the
    /// JWT's locale.
    Now {
        /// Milliseconds after (positive) or before (negative) the moment of issue.
        offset_ms: i64,
    },
}

/// Why a clock time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a clock time such as `22:00:00`, or `now` with an offset under a day such as `now-1h`, found `{0}`")]
pub struct ClockTimeParseError(pub String);

impl FromStr for ClockTime {
    type Err = ClockTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ClockTimeParseError(s.to_string());
        if let Some(rest) = s.strip_prefix("now") {
            let (sign, d) = match rest.chars().next() {
                None => return Ok(ClockTime::Now { offset_ms: 0 }),
                Some('+') => (1, &rest[1..]),
                Some('-') => (-1, &rest[1..]),
                Some(_) => return Err(err()),
            };
            let d: Dur = d.parse().map_err(|_| err())?;
            let ms = i64::try_from(d.get().as_millis()).map_err(|_| err())?;
            if ms >= MAX_OFFSET_MS {
                return Err(err());
            }
            return Ok(ClockTime::Now { offset_ms: sign * ms });
        }
        // Go's `15` takes one or two digits, `04` and `05` exactly two.
        let parts: Vec<&str> = s.split(':').collect();
        let [h, m, sec] = parts[..] else { return Err(err()) };
        let digits = |t: &str, lens: &[usize]| lens.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(h, &[1, 2]) || !digits(m, &[2]) || !digits(sec, &[2]) {
            return Err(err());
        }
        let (h, m, sec) =
            (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?, sec.parse().map_err(|_| err())?);
        if h > 23 || m > 59 || sec > 59 {
            return Err(err());
        }
        Ok(ClockTime::At { h, m, s: sec })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ClockTime::At { h, m, s } => write!(f, "{h:02}:{m:02}:{s:02}"),
            ClockTime::Now { offset_ms: 0 } => f.write_str("now"),
            ClockTime::Now { offset_ms } => {
                let sign = if offset_ms < 0 { '-' } else { '+' };
                let ms = offset_ms.unsigned_abs();
                let (n, unit) = [(3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
                    .into_iter()
                    .find(|(u, _)| ms % u == 0)
                    .map_or((ms, "ms"), |(u, name)| (ms / u, name));
                write!(f, "now{sign}{n}{unit}")
            }
        }
    }
}

impl ClockTime {
    /// Whether it is relative to the moment of issue.
    pub fn is_relative(self) -> bool {
        matches!(self, ClockTime::Now { .. })
    }
}

deserialize_from_str!(ClockTime);

/// One window of `times = [{ start = "...", end = "..." }]`. Both ends are required (`check`
/// says so at the window); a start after the end crosses midnight.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectWindow {
    /// When the window opens.
    pub start: Option<Spanned<ClockTime>>,
    /// When it closes.
    pub end: Option<Spanned<ClockTime>>,
}

impl ConnectWindow {
    /// Whether an end is relative to the moment of issue.
    pub fn is_relative(&self) -> bool {
        [&self.start, &self.end].into_iter().flatten().any(|t| t.get_ref().is_relative())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_and_offsets() {
        assert_eq!("9:05:00".parse::<ClockTime>().unwrap(), ClockTime::At { h: 9, m: 5, s: 0 });
        assert_eq!("now".parse::<ClockTime>().unwrap(), ClockTime::Now { offset_ms: 0 });
        assert_eq!("now+90m".parse::<ClockTime>().unwrap().to_string(), "now+90m");
        assert_eq!("now-1h".parse::<ClockTime>().unwrap().to_string(), "now-1h");
        assert_eq!("now-86399s".parse::<ClockTime>().unwrap(), ClockTime::Now { offset_ms: -86_399_000 });
        for bad in ["22:00", "22:0:00", "24:00:00", "12:60:00", "12:00:60", "-1h", "now1h", "now+", "noon", ""] {
            assert!(bad.parse::<ClockTime>().is_err(), "{bad}");
        }
        assert_eq!("07:00:00".parse::<ClockTime>().unwrap().to_string(), "07:00:00");
    }
}
