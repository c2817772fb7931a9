//! The time zones user JWTs name, shipped to the server: nats-server reads a named
//! `times_location` from a zoneinfo database, which a `FROM scratch` image does not have. The
//! host's zone files travel beside the config and `ZONEINFO` (relative to the config's folder,
//! where both backends start the server) points at them, so both backends load the same zones.

use crate::backend::{ServerFile, ServerSpec};

/// The folder beside the config that holds the zone files, and the value of `ZONEINFO`.
pub const ZONE_DIR: &str = "zoneinfo";

/// Where the host keeps its zoneinfo database (Go's `platformZoneSources`).
const HOST_SOURCES: [&str; 4] =
    ["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"];

/// A zone the host's zoneinfo does not hold.
#[derive(Debug, thiserror::Error)]
#[error("time zone `{zone}` is not in the host's zoneinfo ({}): nats-server could not load it either", HOST_SOURCES.join(", "))]
pub struct ZoneFileError {
    /// The zone name.
    pub zone: String,
}

/// Adds the zone file of every name in `zones` to `spec` (as `zoneinfo/NAME`) and sets
/// `ZONEINFO` in its environment; nothing when `zones` is empty.
///
/// ```
/// use natsfault::backend::ServerSpec;
/// let mut spec = ServerSpec::new("2.15.1".parse().unwrap(), "");
/// natsfault::keyring::ship_zones(&mut spec, ["Etc/GMT-3"]).unwrap();
/// assert_eq!(spec.files[0].name, "zoneinfo/Etc/GMT-3");
/// assert!(spec.env.contains(&("ZONEINFO".to_string(), "zoneinfo".to_string())));
/// ```
pub fn ship_zones<'a>(spec: &mut ServerSpec, zones: impl IntoIterator<Item = &'a str>) -> Result<(), ZoneFileError> {
    let mut any = false;
    for zone in zones {
        let safe = !zone.starts_with('/') && !zone.contains("..") && !zone.contains('\\');
        let contents = HOST_SOURCES
            .iter()
            .filter(|_| safe)
            .find_map(|dir| std::fs::read(std::path::Path::new(dir).join(zone)).ok())
            .ok_or_else(|| ZoneFileError { zone: zone.to_string() })?;
        spec.files.push(ServerFile { name: format!("{ZONE_DIR}/{zone}"), contents });
        any = true;
    }
    if any && !spec.env.iter().any(|(k, _)| k == "ZONEINFO") {
        spec.env.push(("ZONEINFO".into(), ZONE_DIR.into()));
    }
    Ok(())
}
