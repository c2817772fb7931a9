//! How a container gets its config and files: a bind mount of a host folder when the engine
//! shares the harness's file system, else a copy through the engine API.

use testcontainers::bollard::Docker;

use super::engine::engine_host;
use super::files::{Archive, upload};
use super::mount::ConfigMount;
use crate::backend::error::ServerError;
use crate::backend::spec::CONFIG_FILE;

/// The variable that chooses the [`FileDelivery`]: `mount` or `copy`; unset means `mount` for an
/// engine on a local socket and `copy` for any other.
pub const FILES_VAR: &str = "NATSFAULT_CONTAINER_FILES";

/// How a container's config and files reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileDelivery {
    /// A host folder bind-mounted read-only at the config folder. Needs an engine that sees the
    /// harness's file system (a local socket); the fastest start.
    Mount,
    /// A tar archive copied into the created container through the engine API; works with any
    /// engine.
    Copy,
}

impl FileDelivery {
    /// From [`FILES_VAR`], else from where the engine is (`DOCKER_HOST`, else the local socket).
    pub fn from_env() -> Result<FileDelivery, ServerError> {
        match std::env::var(FILES_VAR) {
            Ok(v) if !v.trim().is_empty() => FileDelivery::parse(v.trim()).ok_or_else(|| {
                ServerError::Engine(format!("`{FILES_VAR}={v}` is not a file delivery; expected `mount` or `copy`"))
            }),
            _ => Ok(FileDelivery::for_host(&engine_host())),
        }
    }

    /// `mount` or `copy`.
    pub fn parse(text: &str) -> Option<FileDelivery> {
        match text {
            "mount" => Some(FileDelivery::Mount),
            "copy" => Some(FileDelivery::Copy),
            _ => None,
        }
    }

    /// [`FileDelivery::Mount`] for an engine on a unix socket (it runs on this machine), else
    /// [`FileDelivery::Copy`].
    pub fn for_host(host: &str) -> FileDelivery {
        if host.starts_with("unix://") { FileDelivery::Mount } else { FileDelivery::Copy }
    }
}

/// Where one server's files are.
#[derive(Debug)]
pub(crate) enum ServerFiles {
    /// In a host folder the container mounts.
    Mounted(ConfigMount),
    /// Copied into the container.
    Copied,
}

impl ServerFiles {
    /// The host folder that holds the files, when mounted.
    pub(crate) fn host_dir(&self) -> Option<&std::path::Path> {
        match self {
            ServerFiles::Mounted(m) => Some(m.sandbox_dir()),
            ServerFiles::Copied => None,
        }
    }

    /// Replaces the config of container `id`.
    pub(crate) async fn replace_config(&self, docker: &Docker, id: &str, text: &str) -> Result<(), ServerError> {
        match self {
            ServerFiles::Mounted(m) => m.write(CONFIG_FILE, text.as_bytes()),
            ServerFiles::Copied => upload(docker, id, Archive::config(text)?.finish()).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_only_for_a_local_socket() {
        assert_eq!(FileDelivery::for_host("unix:///var/run/docker.sock"), FileDelivery::Mount);
        assert_eq!(FileDelivery::for_host("unix:///run/user/1000/docker.sock"), FileDelivery::Mount);
        assert_eq!(FileDelivery::for_host("tcp://10.0.0.2:2376"), FileDelivery::Copy);
        assert_eq!(FileDelivery::for_host("ssh://me@builder"), FileDelivery::Copy);
        assert_eq!(FileDelivery::parse("copy"), Some(FileDelivery::Copy));
        assert_eq!(FileDelivery::parse("Mount"), None);
    }
}
