//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use natsfault::backend::DEFAULT_VERSION;
use natsfault::spec::Version;

/// The workspace root: the nearest folder above the test's package that has `scenarios/`.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("scenarios").is_dir()).map_or(here.clone(), Path::to_path_buf)
}

/// A path relative to the workspace root, as shown in reports.
pub fn relative(p: &Path) -> PathBuf {
    p.strip_prefix(root()).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf())
}

/// The server version under test: `NATSFAULT_SERVER_VERSION` or the default.
pub fn version() -> Version {
    std::env::var("NATSFAULT_SERVER_VERSION")
        .unwrap_or_else(|_| DEFAULT_VERSION.to_string())
        .parse()
        .expect("NATSFAULT_SERVER_VERSION must be a version such as 2.15.1")
}
