//! Starting a created (or stopped) container and waiting until it is ready: `Server is ready` in
//! its output, then a client round trip through the published port. A container whose output
//! ends first refused its config.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use futures::StreamExt;
use testcontainers::bollard::Docker;
use testcontainers::bollard::errors::Error as DockerError;
use testcontainers::bollard::query_parameters::WaitContainerOptions;
use tokio::task::JoinHandle;

use super::engine::{describe, engine_error, is_port_taken};
use super::files::CONTAINER_DIR;
use super::logs::{Attached, attach};
use crate::backend::confine::Dialer;
use crate::backend::error::ServerError;
use crate::backend::ready::{Greeting, START_TIMEOUT, is_ready_line, probe_via};
use crate::backend::refusal::{last_lines, refusal};
use crate::observe::Timeline;

/// How long an exited container may take to report its exit code.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// A container that is running and answered a probe.
pub(crate) struct Booted {
    /// Milliseconds from `began` to ready.
    pub ready_ms: u64,
    /// The task copying this run's output into the log.
    pub pump: JoinHandle<()>,
}

/// Why a container did not become ready.
pub(crate) enum BootError {
    /// The engine could not bind the host port: something took it. The caller may pick another.
    PortTaken(String),
    /// Anything else, as the backend reports it.
    Server(ServerError),
}

impl From<ServerError> for BootError {
    fn from(e: ServerError) -> Self {
        BootError::Server(e)
    }
}

impl BootError {
    /// As a [`ServerError`], for callers that cannot retry.
    pub(crate) fn into_server_error(self, port: u16) -> ServerError {
        match self {
            BootError::Server(e) => e,
            BootError::PortTaken(detail) => ServerError::Engine(format!("host port {port} is taken: {detail}")),
        }
    }
}

/// Starts container `id`, whose client port is published at `addr`, and waits until it is ready
/// or refused; `began` is when this start was asked for (ready time counts from there).
pub(crate) async fn boot(
    docker: &Docker,
    id: &str,
    addr: SocketAddr,
    log: &Timeline<String>,
    began: Instant,
) -> Result<Booted, BootError> {
    let Attached { mut lines, pump } = attach(docker, id, log).await?;
    if let Err(e) = docker.start_container(id, None).await {
        pump.abort();
        return Err(if is_port_taken(&e) {
            BootError::PortTaken(describe(&e))
        } else {
            engine_error("start the container")(e).into()
        });
    }
    let deadline = began + START_TIMEOUT;
    let mut greeting = Greeting::Info;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, lines.recv()).await {
            Err(_) => {
                let waited_ms = START_TIMEOUT.as_millis() as u64;
                return Err(ServerError::NotReady { waited_ms, detail: last_lines(log) }.into());
            }
            Ok(None) => {
                // The output ended: the server exited. Let the pump finish the last lines.
                let _ = tokio::time::timeout(EXIT_WAIT, pump).await;
                let exit = exit_code(docker, id).await;
                return Err(ServerError::Refused { exit, message: refusal(log, Path::new(CONTAINER_DIR)) }.into());
            }
            Ok(Some(line)) if is_ready_line(&line) => break,
            Ok(Some(line)) => {
                if let Some(g) = Greeting::from_line(&line) {
                    greeting = g;
                }
            }
        }
    }
    // Later lines still go to the log; only this copy stops.
    drop(lines);
    let within = deadline.saturating_duration_since(Instant::now()).max(Duration::from_secs(1));
    probe_via(&Dialer::Host, addr, within, greeting).await?;
    Ok(Booted { ready_ms: began.elapsed().as_millis() as u64, pump })
}

/// Waits (bounded) until container `id` is not running.
pub(crate) async fn wait_exit(docker: &Docker, id: &str, within: Duration) -> Result<(), ServerError> {
    let exited = exit_status(docker, id);
    match tokio::time::timeout(within, exited).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(engine_error("wait for the container to exit")(e)),
        Err(_) => Err(ServerError::Engine(format!("the container was still running after {}s", within.as_secs()))),
    }
}

/// The exit code of an exited container, as text (`1`), or `unknown`.
async fn exit_code(docker: &Docker, id: &str) -> String {
    match tokio::time::timeout(EXIT_WAIT, exit_status(docker, id)).await {
        Ok(Ok(code)) => code.to_string(),
        _ => "unknown".into(),
    }
}

/// The engine's answer to "wait until not running": the exit code.
async fn exit_status(docker: &Docker, id: &str) -> Result<i64, DockerError> {
    let opts = WaitContainerOptions { condition: "not-running".into() };
    let mut waits = docker.wait_container(id, Some(opts));
    match waits.next().await {
        Some(Ok(r)) => Ok(r.status_code),
        // bollard reports a non-zero exit as an error.
        Some(Err(DockerError::DockerContainerWaitError { code, .. })) => Ok(code),
        Some(Err(e)) => Err(e),
        None => Ok(0),
    }
}
