//! Removing what the harness created in the engine: one container when its server is dropped
//! (also while a panic unwinds, and when the async runtime is already gone), and leftovers of
//! earlier runs when a backend is created.

use std::collections::HashMap;
use std::time::Duration;

use testcontainers::bollard::Docker;
use testcontainers::bollard::query_parameters::{
    KillContainerOptions, ListContainersOptions, ListNetworksOptions, RemoveContainerOptions,
};

use super::engine::{connect_for_cleanup, describe, engine_error, is_not_found};
use super::mount::MOUNTED;
use crate::backend::error::ServerError;
use crate::backend::owner::{LABEL, Owner, is_leftover};

/// How long a removal from `Drop` may take.
const DROP_REMOVAL_TIMEOUT: Duration = Duration::from_secs(20);

/// Removes a container when dropped, unless [`ContainerRemoval::remove`] already did; with
/// `NATSFAULT_KEEP=1` (decided when the container was created) it is killed and kept instead.
#[derive(Debug)]
pub(crate) struct ContainerRemoval {
    id: String,
    name: String,
    keep: bool,
    done: bool,
}

impl ContainerRemoval {
    /// Guards container `id`.
    pub(crate) fn new(id: String, name: String, keep: bool) -> ContainerRemoval {
        ContainerRemoval { id, name, keep, done: false }
    }

    /// The container id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The container name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Removes (or keeps) the container now, reporting errors; once it succeeded, dropping does
    /// nothing.
    pub(crate) async fn remove(&mut self, docker: &Docker) -> Result<(), ServerError> {
        let res =
            if self.keep { keep(docker, &self.id, &self.name).await } else { remove_container(docker, &self.id).await };
        // On failure, dropping tries once more.
        self.done = res.is_ok();
        res.map_err(|e| ServerError::Engine(format!("remove container `{}`: {e}", self.name)))
    }
}

impl Drop for ContainerRemoval {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let (id, name, keep_it) = (self.id.clone(), self.name.clone(), self.keep);
        let outcome = blocking(move |docker| async move {
            if keep_it { keep(&docker, &id, &name).await } else { remove_container(&docker, &id).await }
        });
        if let Err(e) = outcome {
            eprintln!("natsfault: could not remove container `{}`: {e}; run `docker rm -f {}`", self.name, self.name);
        }
    }
}

/// Removes network `id` from `Drop` (see [`blocking`]); a network still in use stays, for the
/// next run's sweep.
pub(crate) fn remove_network_blocking(id: &str) {
    let id = id.to_string();
    let _ = blocking(move |docker| async move { docker.remove_network(&id).await.map_err(|e| describe(&e)) });
}

/// Removes the containers, then the networks, labelled `io.natsfault=1` whose owner process is
/// gone; returns how many objects were removed.
pub(crate) async fn sweep_leftovers(docker: &Docker) -> Result<usize, ServerError> {
    let me = Owner::current();
    let filters = HashMap::from([("label".to_string(), vec![format!("{LABEL}=1")])]);
    let containers = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters.clone()),
            ..Default::default()
        }))
        .await
        .map_err(engine_error("list containers"))?;
    let mut removed = 0;
    for c in containers {
        let (Some(id), Some(labels)) = (c.id, c.labels) else { continue };
        if is_leftover(&labels, &me) && remove_container(docker, &id).await.is_ok() {
            removed += 1;
            for source in c.mounts.unwrap_or_default().into_iter().filter_map(|m| m.source) {
                if let Some(sandbox) = mount_sandbox(std::path::Path::new(&source)) {
                    let _ = std::fs::remove_dir_all(sandbox);
                }
            }
        }
    }
    let networks = docker
        .list_networks(Some(ListNetworksOptions { filters: Some(filters) }))
        .await
        .map_err(engine_error("list networks"))?;
    for n in networks {
        let (Some(id), Some(labels)) = (n.id, n.labels) else { continue };
        // A network still in use by a kept container fails to go; that is fine.
        if is_leftover(&labels, &me) && docker.remove_network(&id).await.is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The host sandbox of a dead owner's config mount (`.../natsfault-LABEL-XXXX/etc`), which the
/// owner would have removed with its container; `None` for any other path.
fn mount_sandbox(source: &std::path::Path) -> Option<&std::path::Path> {
    let sandbox = source.parent()?;
    let ours = source.file_name()? == MOUNTED
        && sandbox.file_name()?.to_str()?.starts_with("natsfault-")
        && sandbox.starts_with(std::env::temp_dir().canonicalize().ok()?);
    ours.then_some(sandbox)
}

/// Force-removes a container and its anonymous volumes; one already gone is not an error.
async fn remove_container(docker: &Docker, id: &str) -> Result<(), String> {
    let opts = RemoveContainerOptions { force: true, v: true, ..Default::default() };
    match docker.remove_container(id, Some(opts)).await {
        Ok(()) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(describe(&e)),
    }
}

/// Kills a kept container (its port is freed, its files and log stay) and says how to find it.
async fn keep(docker: &Docker, id: &str, name: &str) -> Result<(), String> {
    let kill = docker.kill_container(id, Some(KillContainerOptions { signal: "KILL".into() })).await;
    eprintln!(
        "natsfault: kept container {name} ({}); inspect with `docker logs {name}`, remove with `docker rm -f {name}`",
        &id[..id.len().min(12)]
    );
    match kill {
        // 409: it was not running.
        Ok(()) | Err(testcontainers::bollard::errors::Error::DockerResponseServerError { status_code: 409, .. }) => {
            Ok(())
        }
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(describe(&e)),
    }
}

/// Runs `work` on a fresh thread with its own runtime and engine client, and waits for it
/// (bounded): `Drop` may run on a runtime that is shutting down, or on none.
fn blocking<F, Fut>(work: F) -> Result<(), String>
where
    F: FnOnce(Docker) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let thread = std::thread::Builder::new().name("natsfault-cleanup".into()).spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        let docker = connect_for_cleanup().ok_or_else(|| "cannot reach the docker engine".to_string())?;
        rt.block_on(async move {
            match tokio::time::timeout(DROP_REMOVAL_TIMEOUT, work(docker)).await {
                Ok(r) => r,
                Err(_) => Err(format!("no answer within {}s", DROP_REMOVAL_TIMEOUT.as_secs())),
            }
        })
    });
    match thread {
        Ok(handle) => handle.join().unwrap_or_else(|_| Err("the clean-up thread panicked".into())),
        Err(e) => Err(format!("cannot start a clean-up thread: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_natsfault_sandbox_in_the_temp_dir_is_a_mount_sandbox() {
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        let ours = tmp.join("natsfault-x-abc123").join(MOUNTED);
        assert_eq!(mount_sandbox(&ours), Some(tmp.join("natsfault-x-abc123").as_path()));
        assert_eq!(mount_sandbox(&tmp.join("other-abc").join(MOUNTED)), None);
        assert_eq!(mount_sandbox(&tmp.join("natsfault-x-abc123").join("conf")), None);
        assert_eq!(mount_sandbox(std::path::Path::new("/etc/natsfault-x/etc")), None);
    }
}
