//! The files a container server reads, packed as the tar archive the engine's copy endpoint
//! takes: the config at `/etc/natsfault/nats.conf` and the spec's files beside it. (A local
//! engine mounts them from the host instead: see `mount.rs`.)

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use testcontainers::bollard::Docker;
use testcontainers::bollard::body_full;
use testcontainers::bollard::query_parameters::UploadToContainerOptions;

use super::engine::engine_error;
use crate::backend::error::ServerError;
use crate::backend::spec::{CONFIG_FILE, ServerSpec};

/// The folder inside the container that holds the config and its files (also the working dir).
pub const CONTAINER_DIR: &str = "/etc/natsfault";

/// Tar block size.
const BLOCK: usize = 512;

/// A tar archive (ustar) of regular files, extracted at `/` in the container. The engine creates
/// missing parent folders.
#[derive(Debug, Default)]
pub(crate) struct Archive {
    bytes: Vec<u8>,
}

impl Archive {
    /// The config and every file of `spec`.
    pub(crate) fn for_spec(spec: &ServerSpec) -> Result<Archive, ServerError> {
        let mut a = Archive::default();
        a.add(CONFIG_FILE, spec.config.as_bytes())?;
        for f in &spec.files {
            a.add(&f.name, &f.contents)?;
        }
        Ok(a)
    }

    /// Just a (new) config.
    pub(crate) fn config(text: &str) -> Result<Archive, ServerError> {
        let mut a = Archive::default();
        a.add(CONFIG_FILE, text.as_bytes())?;
        Ok(a)
    }

    /// Adds `name` (relative to [`CONTAINER_DIR`]) with mode 0644: the server may run as any user
    /// of the image, and only the container sees the file.
    pub(crate) fn add(&mut self, name: &str, contents: &[u8]) -> Result<(), ServerError> {
        check_name(name)?;
        let path = format!("{}/{name}", CONTAINER_DIR.trim_start_matches('/'));
        if path.len() > 100 {
            return Err(bad_name(name, "expected a path of at most 100 bytes inside the container"));
        }
        let mut h = [0u8; BLOCK];
        h[..path.len()].copy_from_slice(path.as_bytes());
        octal(&mut h[100..108], 0o644);
        octal(&mut h[108..116], 0);
        octal(&mut h[116..124], 0);
        octal(&mut h[124..136], contents.len() as u64);
        octal(&mut h[136..148], SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()));
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        // The checksum is computed with its own field read as spaces.
        h[148..156].fill(b' ');
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        octal(&mut h[148..155], sum);
        h[155] = b' ';
        self.bytes.extend_from_slice(&h);
        self.bytes.extend_from_slice(contents);
        let pad = (BLOCK - contents.len() % BLOCK) % BLOCK;
        self.bytes.resize(self.bytes.len() + pad, 0);
        Ok(())
    }

    /// The finished archive (two zero blocks end it).
    pub(crate) fn finish(mut self) -> Bytes {
        self.bytes.resize(self.bytes.len() + 2 * BLOCK, 0);
        Bytes::from(self.bytes)
    }
}

/// Checks that `name` stays inside [`CONTAINER_DIR`]: relative, no `..`, no empty part.
pub(crate) fn check_name(name: &str) -> Result<(), ServerError> {
    if name.is_empty() || name.starts_with('/') || name.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err(bad_name(name, "expected a relative path without `..`"));
    }
    Ok(())
}

fn bad_name(name: &str, why: &str) -> ServerError {
    ServerError::Io {
        context: format!("place `{name}` in the container's {CONTAINER_DIR}"),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_string()),
    }
}

/// Extracts a finished archive at `/` in container `id`, created or running.
pub(crate) async fn upload(docker: &Docker, id: &str, archive: Bytes) -> Result<(), ServerError> {
    let opts = UploadToContainerOptions { path: "/".into(), ..Default::default() };
    docker
        .upload_to_container(id, Some(opts), body_full(archive))
        .await
        .map_err(engine_error("copy files into the container"))
}

/// Writes `value` as zero-padded octal digits followed by a NUL, filling `field`.
fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
    field[digits] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_ustar_headers() {
        let mut a = Archive::default();
        a.add("nats.conf", b"port: 4222\n").unwrap();
        let bytes = a.finish();
        assert_eq!(bytes.len(), 4 * BLOCK, "header, one data block, two end blocks");
        assert!(bytes.starts_with(b"etc/natsfault/nats.conf\0"));
        assert_eq!(&bytes[124..136], b"00000000013\0");
        assert_eq!(&bytes[257..263], b"ustar\0");
        let mut h = bytes[..BLOCK].to_vec();
        let recorded = u64::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        h[148..156].fill(b' ');
        assert_eq!(recorded, h.iter().map(|&b| u64::from(b)).sum::<u64>());
        assert_eq!(&bytes[BLOCK..BLOCK + 11], b"port: 4222\n");
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let mut a = Archive::default();
        for bad in ["../x", "/etc/passwd", "a//b", ""] {
            assert!(a.add(bad, b"").is_err(), "{bad}");
        }
        assert!(a.add("creds/user.creds", b"x").is_ok());
    }
}
