//! Which image a container server runs, and making sure the engine has it.
//!
//! By default `natsfault/nats-server:<version>`, built offline from the cached binary by
//! `scripts/build-image.sh` and never pulled. `NATSFAULT_IMAGE` names another image (the official
//! `nats:2.15.1`, say; without a tag the version is appended), which is pulled when missing.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use testcontainers::bollard::Docker;
use testcontainers::bollard::query_parameters::CreateImageOptions;
use tokio::sync::Mutex;

use super::engine::{describe, engine_error, is_not_found};
use crate::backend::error::ServerError;
use crate::spec::Version;

/// The repository of the image `scripts/build-image.sh` builds.
pub const IMAGE_REPOSITORY: &str = "natsfault/nats-server";
/// The variable that names another image.
pub const IMAGE_VAR: &str = "NATSFAULT_IMAGE";
/// How long pulling an image named by `NATSFAULT_IMAGE` may take.
const PULL_TIMEOUT: Duration = Duration::from_secs(300);

/// The image to run for `version`.
pub fn image_for(version: Version) -> Result<String, ServerError> {
    match std::env::var(IMAGE_VAR) {
        Err(std::env::VarError::NotPresent) => resolve(None, version),
        Err(std::env::VarError::NotUnicode(_)) => Err(bad_var("is not valid UTF-8")),
        Ok(v) => resolve(Some(&v), version),
    }
}

/// The image named by the variable's value, if set.
fn resolve(value: Option<&str>, version: Version) -> Result<String, ServerError> {
    match value {
        None => Ok(format!("{IMAGE_REPOSITORY}:{version}")),
        Some(v) if v.trim().is_empty() || v.chars().any(char::is_whitespace) => {
            Err(bad_var(&format!("`{v}` is not an image name")))
        }
        Some(v) => {
            let last = v.rsplit('/').next().unwrap_or(v);
            Ok(if last.contains(':') || v.contains('@') { v.to_string() } else { format!("{v}:{version}") })
        }
    }
}

fn bad_var(why: &str) -> ServerError {
    ServerError::Engine(format!("{IMAGE_VAR} {why}; expected an image such as `nats:2.15.1`, or unset it"))
}

/// Images known to be present, so each is checked once per backend.
#[derive(Debug, Default)]
pub(crate) struct Images {
    present: Mutex<HashSet<String>>,
}

impl Images {
    /// Makes sure `image` is in the engine: the default image must have been built; another one
    /// is pulled.
    pub(crate) async fn ensure(&self, docker: &Docker, image: &str, version: Version) -> Result<(), ServerError> {
        // Held across the check, so parallel scenarios do not pull the same image twice.
        let mut present = self.present.lock().await;
        if present.contains(image) {
            return Ok(());
        }
        match docker.inspect_image(image).await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => {
                if image.starts_with(&format!("{IMAGE_REPOSITORY}:")) && std::env::var_os(IMAGE_VAR).is_none() {
                    return Err(ServerError::Engine(format!(
                        "image `{image}` is not built; run `scripts/build-image.sh {version}` (or set {IMAGE_VAR} to an image to pull)"
                    )));
                }
                pull(docker, image).await?;
            }
            Err(e) => return Err(engine_error(format!("inspect image `{image}`"))(e)),
        }
        present.insert(image.to_string());
        Ok(())
    }
}

async fn pull(docker: &Docker, image: &str) -> Result<(), ServerError> {
    let failed =
        |why: String| ServerError::Engine(format!("image `{image}` is not present and could not be pulled: {why}"));
    let opts = CreateImageOptions { from_image: Some(image.to_string()), ..Default::default() };
    let progress = async {
        let mut stream = docker.create_image(Some(opts), None, None);
        while let Some(item) = stream.next().await {
            match item {
                Ok(info) => {
                    if let Some(detail) = info.error_detail.and_then(|d| d.message) {
                        return Err(failed(detail));
                    }
                }
                Err(e) => return Err(failed(describe(&e))),
            }
        }
        Ok(())
    };
    match tokio::time::timeout(PULL_TIMEOUT, progress).await {
        Ok(r) => r,
        Err(_) => Err(failed(format!("no result within {}s", PULL_TIMEOUT.as_secs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_built_image_unless_told_otherwise() {
        let v: Version = "2.15.1".parse().unwrap();
        assert_eq!(resolve(None, v).unwrap(), "natsfault/nats-server:2.15.1");
        assert_eq!(resolve(Some("nats:2.14.0"), v).unwrap(), "nats:2.14.0");
        assert_eq!(resolve(Some("nats"), v).unwrap(), "nats:2.15.1");
        assert_eq!(resolve(Some("localhost:5000/nats"), v).unwrap(), "localhost:5000/nats:2.15.1");
        assert!(resolve(Some(""), v).is_err());
        assert!(resolve(Some("nats 2"), v).is_err());
    }
}
