//! A server's private directory: config, credentials, and nothing else.

use std::path::{Path, PathBuf};

use super::error::ServerError;
use super::leftovers::owned_temp_dir;

/// Prefix of every sandbox directory, so leftovers can be found.
pub const SANDBOX_PREFIX: &str = "natsfault-";

/// A temp directory removed on drop, or kept (and its path printed) when `NATSFAULT_KEEP=1`.
#[derive(Debug)]
pub struct Sandbox {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Sandbox {
    /// Creates `natsfault-<label>-XXXX` in the system temp dir, owned by this process (a later
    /// run removes it if this one dies without doing so).
    pub fn create(label: &str) -> Result<Sandbox, ServerError> {
        let safe: String = label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        let dir = owned_temp_dir(&safe).map_err(ServerError::io("create sandbox"))?;
        let path = dir.path().to_path_buf();
        Ok(Sandbox { dir: Some(dir), path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a file into the sandbox (owner-only permissions: it may hold secrets).
    pub fn write(&self, name: &str, contents: &[u8]) -> Result<(), ServerError> {
        let path = self.path.join(name);
        // A config file's includes and copies sit in folders beside it (`files/01-op.jwt`).
        if let Some(parent) = path.parent().filter(|p| *p != self.path.as_path())
            && !std::path::Path::new(name).components().any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            crate::owner_only::create_dir_all(parent)
                .map_err(ServerError::io(format!("create `{}`", parent.display())))?;
        }
        crate::owner_only::write(&path, contents).map_err(ServerError::io(format!("write `{}`", path.display())))
    }
}

/// Whether `NATSFAULT_KEEP` asks to keep sandboxes and containers.
pub fn keep_requested() -> bool {
    std::env::var("NATSFAULT_KEEP").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if keep_requested()
            && let Some(dir) = self.dir.take()
        {
            let kept = dir.keep();
            eprintln!("natsfault: kept sandbox {}", kept.display());
        }
    }
}
