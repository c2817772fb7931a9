//! A host folder bind-mounted read-only at the container's [`CONTAINER_DIR`]: a local engine reads
//! the config and files from it, so nothing is copied into the container, and a reload writes
//! the new config there before the signal.
//!
//! Layout: `natsfault-<label>-XXXX/` (owner only, as the process backend's sandbox, so other host
//! users cannot reach in) holds `etc/` (0755, files 0644), which is what the container sees. The
//! server may run as any user of the image, with or without user-namespace remapping, and still
//! read it. Mounted read-only, the container cannot leave files the harness could not remove.

use std::fs::Permissions;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use testcontainers::bollard::models::{Mount, MountType};

use super::files::{CONTAINER_DIR, check_name};
use crate::backend::error::ServerError;
use crate::backend::sandbox::Sandbox;
use crate::backend::spec::{CONFIG_FILE, ServerSpec};

/// The mounted folder's name inside the sandbox.
pub(crate) const MOUNTED: &str = "etc";
/// The sandbox around the mounted folder: the owner only.
const PRIVATE_MODE: u32 = 0o700;
/// Folders the container traverses.
const DIR_MODE: u32 = 0o755;
/// Files the container reads.
const FILE_MODE: u32 = 0o644;

/// The host side of a container's config folder; removed on drop (kept with `NATSFAULT_KEEP=1`),
/// after the container (see the field order of `ContainerServer`).
#[derive(Debug)]
pub(crate) struct ConfigMount {
    sandbox: Sandbox,
    dir: PathBuf,
}

impl ConfigMount {
    /// A new folder holding the config and every file of `spec`.
    pub(crate) fn create(spec: &ServerSpec) -> Result<ConfigMount, ServerError> {
        let sandbox = Sandbox::create(&spec.label)?;
        // The engine needs an absolute path without symlinks (`/tmp` may be one).
        let root = sandbox.path().canonicalize().map_err(ServerError::io("resolve the sandbox path"))?;
        std::fs::set_permissions(&root, Permissions::from_mode(PRIVATE_MODE))
            .map_err(ServerError::io(format!("restrict `{}`", root.display())))?;
        let dir = root.join(MOUNTED);
        make_dir(&dir)?;
        let mount = ConfigMount { sandbox, dir };
        mount.write(CONFIG_FILE, spec.config.as_bytes())?;
        for f in &spec.files {
            mount.write(&f.name, &f.contents)?;
        }
        Ok(mount)
    }

    /// The host folder the container sees.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The sandbox holding it (removed with it).
    pub(crate) fn sandbox_dir(&self) -> &Path {
        self.sandbox.path()
    }

    /// The bind mount for the create request.
    pub(crate) fn mount(&self) -> Mount {
        Mount {
            target: Some(CONTAINER_DIR.into()),
            source: Some(self.dir.to_string_lossy().into_owned()),
            typ: Some(MountType::BIND),
            read_only: Some(true),
            ..Default::default()
        }
    }

    /// Writes `name` (relative to the mounted folder, parents created) with [`FILE_MODE`].
    pub(crate) fn write(&self, name: &str, contents: &[u8]) -> Result<(), ServerError> {
        check_name(name)?;
        let mut parent = self.dir.clone();
        let mut parts: Vec<&str> = name.split('/').collect();
        let file = parts.pop().unwrap_or(name);
        for p in parts {
            parent.push(p);
            if !parent.is_dir() {
                make_dir(&parent)?;
            }
        }
        let path = parent.join(file);
        let fail = ServerError::io(format!("write `{}`", path.display()));
        let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(&path).map_err(fail)?;
        // Set after creating: the umask may have narrowed the mode.
        f.set_permissions(Permissions::from_mode(FILE_MODE))
            .and_then(|()| f.write_all(contents))
            .map_err(ServerError::io(format!("write `{}`", path.display())))
    }
}

/// Creates `dir` with [`DIR_MODE`] whatever the umask.
fn make_dir(dir: &Path) -> Result<(), ServerError> {
    std::fs::create_dir(dir)
        .and_then(|()| std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE)))
        .map_err(ServerError::io(format!("create `{}`", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::ServerFile;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn lays_out_readable_files_in_a_private_sandbox() {
        let mut spec = ServerSpec::new("2.15.1".parse().unwrap(), "port: 4222\n").label("mount test");
        spec.files.push(ServerFile { name: "creds/a.creds".into(), contents: b"secret".to_vec() });
        let m = ConfigMount::create(&spec).unwrap();
        let root = m.sandbox_dir().to_path_buf();
        assert_eq!(mode(&root), PRIVATE_MODE, "other host users cannot reach in");
        assert_eq!(mode(m.dir()), DIR_MODE);
        assert_eq!(mode(&m.dir().join("creds")), DIR_MODE);
        assert_eq!(std::fs::read(m.dir().join(CONFIG_FILE)).unwrap(), b"port: 4222\n");
        assert_eq!(mode(&m.dir().join(CONFIG_FILE)), FILE_MODE);
        assert_eq!(std::fs::read(m.dir().join("creds/a.creds")).unwrap(), b"secret");
        m.write(CONFIG_FILE, b"port: 1\n").unwrap();
        assert_eq!(std::fs::read(m.dir().join(CONFIG_FILE)).unwrap(), b"port: 1\n");
        assert!(m.write("../x", b"").is_err());
        let bind = m.mount();
        assert_eq!(bind.target.as_deref(), Some(CONTAINER_DIR));
        assert_eq!(bind.read_only, Some(true));
        assert!(Path::new(bind.source.as_deref().unwrap()).is_absolute());
        drop(m);
        assert!(!root.exists(), "dropping removes the sandbox");
    }
}
