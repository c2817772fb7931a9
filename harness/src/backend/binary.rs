//! Finding the nats-server binary for a version.

use std::path::{Path, PathBuf};

use super::error::ServerError;
use crate::spec::Version;

/// The version played when none is asked for.
pub const DEFAULT_VERSION: &str = "2.15.1";

/// The cache folder: `NATSFAULT_CACHE_DIR`, else the nearest `.cache` above the current directory
/// that holds `nats-server/`, else the workspace's `.cache`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NATSFAULT_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            let c = dir.join(".cache");
            if c.join("nats-server").is_dir() {
                return c;
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(".cache")
}

/// The binary to run for `version`: `NATSFAULT_NATS_SERVER` when set, else the cached download.
pub fn nats_server_binary(version: Version) -> Result<PathBuf, ServerError> {
    if let Some(p) = std::env::var_os("NATSFAULT_NATS_SERVER") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(ServerError::BinaryMissing {
                version: version.to_string(),
                path: p,
                hint: "unset NATSFAULT_NATS_SERVER or point it at a nats-server binary".into(),
            })
        };
    }
    let p = cache_dir().join("nats-server").join(version.to_string()).join("nats-server");
    if p.is_file() {
        Ok(p)
    } else if version.to_string() == super::versions::DEBIAN_VERSION
        && let Some(debian) = super::versions::debian_binary()
    {
        Ok(debian)
    } else {
        Err(ServerError::BinaryMissing {
            version: version.to_string(),
            path: p,
            hint: format!("scripts/fetch-nats-server.sh {version}"),
        })
    }
}
