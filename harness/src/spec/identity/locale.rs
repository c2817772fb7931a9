//! A user JWT's `locale` (`times_location`): an IANA time zone read from the host's zoneinfo,
//! or a fixed-offset zone the harness chooses so that the moment of issue falls in a given hour.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::connect_times::ClockTime;

/// Zone names nats-server (Go `time.LoadLocation`) knows without a zoneinfo database.
pub fn built_in_zone(name: &str) -> bool {
    matches!(name, "" | "UTC" | "Local")
}

/// Why a zone could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// A name the host's zoneinfo does not hold.
    #[error(
        "unknown time zone `{name}`: expected an IANA name such as `UTC` or `Europe/Berlin` that the host's zoneinfo holds ({why})"
    )]
    Unknown {
        /// The name.
        name: String,
        /// What the zone database said.
        why: String,
    },
    /// `Local` (the server's own zone), which the harness cannot render a relative time in.
    #[error("cannot render `{time}` in `Local`, the server's own zone: expected a named zone such as `UTC`")]
    Local {
        /// The relative time.
        time: String,
    },
    /// A moment out of range.
    #[error("cannot render `{time}`: {why}")]
    Range {
        /// The relative time.
        time: String,
        /// Why.
        why: String,
    },
}

/// The zone called `name`, as the host's zoneinfo describes it (`UTC` built in).
///
/// ```
/// use natsfault::spec::zone;
/// assert!(zone("UTC").is_ok());
/// assert!(zone("Mars/Olympus_Mons").is_err());
/// ```
pub fn zone(name: &str) -> Result<TimeZone, ZoneError> {
    if name.is_empty() || name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    // Go refuses these before looking anything up (`time: invalid location name`).
    if name.starts_with('/') || name.contains("..") || name.contains('\\') {
        return Err(ZoneError::Unknown { name: name.into(), why: "not a zone name".into() });
    }
    TimeZone::get(name).map_err(|e| ZoneError::Unknown { name: name.into(), why: e.to_string() })
}

/// The fixed-offset zone in which the Unix second `now` falls in hour `hour` (0-23): `UTC`, or
/// `Etc/GMT-N` (N hours east of Greenwich; the POSIX sign is inverted) or `Etc/GMT+N`, with
/// offsets from -12 to +11 hours.
///
/// ```
/// use natsfault::spec::zone_for_hour;
/// // 1970-01-01T14:30:00Z: 00:30 is ten hours east, 14:30 is UTC itself.
/// assert_eq!(zone_for_hour(14 * 3600 + 1800, 0), "Etc/GMT-10");
/// assert_eq!(zone_for_hour(14 * 3600 + 1800, 14), "UTC");
/// assert_eq!(zone_for_hour(14 * 3600 + 1800, 3), "Etc/GMT+11");
/// ```
pub fn zone_for_hour(now: i64, hour: u8) -> String {
    let utc_hour = now.rem_euclid(86_400) / 3600;
    let offset = (i64::from(hour) - utc_hour + 12).rem_euclid(24) - 12;
    match offset {
        0 => "UTC".to_string(),
        n if n > 0 => format!("Etc/GMT-{n}"),
        n => format!("Etc/GMT+{}", -n),
    }
}

/// `t` as nats-server reads it (`HH:MM:SS`): a clock time as written, a relative one as the
/// clock in zone `name` shows the moment of issue `now` (Unix seconds) plus its offset.
///
/// ```
/// use natsfault::spec::{ClockTime, clock_in};
/// let t: ClockTime = "now-1h".parse().unwrap();
/// assert_eq!(clock_in(t, 1800.0, "UTC").unwrap(), "23:30:00");
/// assert_eq!(clock_in("06:00:00".parse().unwrap(), 0.0, "Local").unwrap(), "06:00:00");
/// ```
pub fn clock_in(t: ClockTime, now: f64, name: &str) -> Result<String, ZoneError> {
    let ClockTime::Now { offset_ms } = t else { return Ok(t.to_string()) };
    if name == "Local" {
        return Err(ZoneError::Local { time: t.to_string() });
    }
    let tz = zone(name)?;
    let second = (now + offset_ms as f64 / 1000.0).floor() as i64;
    let range = |e: jiff::Error| ZoneError::Range { time: t.to_string(), why: e.to_string() };
    let at = Timestamp::from_second(second).map_err(range)?.to_zoned_datetime(tz);
    Ok(format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_zone_puts_now_in_the_hour() {
        for utc_hour in 0..24 {
            for hour in 0..24u8 {
                let now = utc_hour * 3600 + 59 * 60;
                let name = zone_for_hour(now, hour);
                let shown = clock_in(ClockTime::Now { offset_ms: 0 }, now as f64, &name).unwrap();
                assert_eq!(shown, format!("{hour:02}:59:00"), "{name} at {utc_hour}h");
            }
        }
    }

    #[test]
    fn bad_names_are_unknown() {
        for bad in ["Mars/Olympus_Mons", "../etc/passwd", "/etc/localtime"] {
            assert!(matches!(zone(bad), Err(ZoneError::Unknown { .. })), "{bad}");
        }
    }
}
