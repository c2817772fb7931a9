//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod canary;

use std::path::{Path, PathBuf};

use natsfault::backend::DEFAULT_VERSION;
use natsfault::spec::Version;

/// The workspace root: the nearest folder above the test's package that has `scenarios/`.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("scenarios").is_dir()).map_or(here.clone(), Path::to_path_buf)
}

/// Copies folder `from` into `to` (created), its files and folders.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
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

/// The container backend with its image built, or `None` after one `skipped` line on stderr when
/// no engine is reachable. Under `CI=true` a missing engine fails the test instead: CI must never
/// skip containers silently.
pub async fn container_backend(test: &str) -> Option<natsfault::backend::ContainerBackend> {
    use std::io::Write;
    let why = match natsfault::backend::ContainerBackend::connect().await {
        Ok(b) => match build_image() {
            Ok(()) => return Some(b),
            Err(e) => e,
        },
        Err(e) => e.to_string(),
    };
    let ci = std::env::var("CI").unwrap_or_default();
    if ci == "true" || ci == "1" {
        panic!("{test}: the container backend is unavailable under CI={ci}: {why}");
    }
    let _ = writeln!(std::io::stderr(), "skipped {test} on containers: {why} (set CI=true to fail instead)");
    None
}

/// Builds the image of the version under test once per process (a no-op when it exists).
fn build_image() -> Result<(), String> {
    static BUILT: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let script = root().join("scripts/build-image.sh");
            match std::process::Command::new(&script).arg(version().to_string()).output() {
                Ok(o) if o.status.success() => Ok(()),
                Ok(o) => Err(format!("`{}` failed: {}", script.display(), String::from_utf8_lossy(&o.stderr).trim())),
                Err(e) => Err(format!("cannot run `{}`: {e}", script.display())),
            }
        })
        .clone()
}
