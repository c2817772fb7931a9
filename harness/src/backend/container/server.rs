//! A running nats-server container and the actions a scenario takes on it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use testcontainers::bollard::Docker;
use testcontainers::bollard::query_parameters::{KillContainerOptions, StopContainerOptions};
use tokio::task::JoinHandle;

use super::boot::{Booted, boot, wait_exit};
use super::cleanup::ContainerRemoval;
use super::delivery::ServerFiles;
use super::engine::engine_error;
use super::files::CONTAINER_DIR;
use super::network::HarnessNetwork;
use crate::backend::error::ServerError;
use crate::backend::traits::RunningServer;
use crate::observe::Timeline;
use crate::spec::Version;

/// How long a graceful stop may take before the engine kills the server (whole seconds).
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How long a reload or lame duck may take to show in the log.
const RELOAD_WAIT: Duration = Duration::from_secs(5);
/// How long the log copy may take to finish after the container stopped.
const PUMP_DRAIN: Duration = Duration::from_secs(2);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Running,
    Paused,
    Stopped,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Paused => "paused",
            State::Stopped => "stopped",
        }
    }
}

/// What a server holds in the engine and on the host, removed when it is dropped.
pub(crate) struct Held {
    /// The container.
    pub removal: ContainerRemoval,
    /// Its files.
    pub files: ServerFiles,
    /// The network it joined.
    pub network: Arc<HarnessNetwork>,
}

/// A nats-server container; dropping it removes the container and then the host folder its files
/// are mounted from (`NATSFAULT_KEEP=1` keeps both).
///
/// Its client port is published on a host port fixed at creation, so [`RunningServer::restart`]
/// (the same container, started again) keeps [`RunningServer::client_addr`].
pub struct ContainerServer {
    docker: Docker,
    // Dropped first: the container goes before the last handle on its network.
    removal: ContainerRemoval,
    // Dropped after the container that mounts it.
    files: ServerFiles,
    network: Arc<HarnessNetwork>,
    version: Version,
    port: u16,
    log: Timeline<String>,
    pump: Option<JoinHandle<()>>,
    state: State,
    connected: bool,
    /// The host name it joins the network under again after [`ContainerServer::reconnect`].
    alias: Option<String>,
    ready_ms: u64,
}

impl ContainerServer {
    pub(crate) fn new(
        docker: Docker,
        Held { removal, files, network }: Held,
        version: Version,
        port: u16,
        log: Timeline<String>,
        booted: Booted,
    ) -> Self {
        ContainerServer {
            docker,
            removal,
            files,
            network,
            version,
            port,
            log,
            pump: Some(booted.pump),
            state: State::Running,
            connected: true,
            alias: None,
            ready_ms: booted.ready_ms,
        }
    }

    /// Where clients reach a server published on host `port`.
    pub(crate) fn addr_for(port: u16) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    }

    /// The host name (network alias) the other servers of a topology dial it by, kept across
    /// [`ContainerServer::reconnect`].
    pub(crate) fn with_alias(mut self, alias: Option<String>) -> Self {
        self.alias = alias;
        self
    }

    /// The container id.
    pub fn id(&self) -> &str {
        self.removal.id()
    }

    /// The container name (`natsfault-<scenario>-<run>-<n>`).
    pub fn name(&self) -> &str {
        self.removal.name()
    }

    /// The host folder (a `natsfault-<label>-XXXX` sandbox) whose files the container mounts, or
    /// `None` when they were copied in; removed when the server is dropped.
    pub fn host_dir(&self) -> Option<&std::path::Path> {
        self.files.host_dir()
    }

    /// Cuts the container off the harness's network: new connections to
    /// [`RunningServer::client_addr`] are refused and established ones break, while the server
    /// itself keeps running. Not part of [`RunningServer`]: processes have no network to leave.
    pub async fn disconnect(&mut self) -> Result<(), ServerError> {
        if !self.connected {
            return Err(ServerError::WrongState { action: "disconnect", state: "disconnected" });
        }
        self.network.disconnect(&self.docker, self.removal.id()).await?;
        self.connected = false;
        Ok(())
    }

    /// Joins the network again under the same host name; the client address is the same as before.
    pub async fn reconnect(&mut self) -> Result<(), ServerError> {
        if self.connected {
            return Err(ServerError::WrongState { action: "reconnect", state: "connected" });
        }
        self.network.connect(&self.docker, self.removal.id(), self.alias.clone().map(|a| vec![a])).await?;
        self.connected = true;
        Ok(())
    }

    fn require(&self, action: &'static str, ok: &[State]) -> Result<(), ServerError> {
        if ok.contains(&self.state) {
            Ok(())
        } else {
            Err(ServerError::WrongState { action, state: self.state.name() })
        }
    }

    async fn signal(&self, signal: &str) -> Result<(), ServerError> {
        let opts = KillContainerOptions { signal: signal.into() };
        self.docker
            .kill_container(self.removal.id(), Some(opts))
            .await
            .map_err(engine_error(format!("send SIG{signal}")))
    }

    /// After the container stopped: lets the log copy finish, so a restart's lines follow.
    async fn stopped(&mut self) {
        if let Some(pump) = self.pump.take() {
            let _ = tokio::time::timeout(PUMP_DRAIN, pump).await;
        }
        self.state = State::Stopped;
    }

    async fn stop_inner(&mut self) -> Result<(), ServerError> {
        self.require("stop", &[State::Running, State::Paused])?;
        if self.state == State::Paused {
            self.docker.unpause_container(self.removal.id()).await.map_err(engine_error("unpause before stopping"))?;
        }
        let opts = StopContainerOptions { t: Some(STOP_GRACE.as_secs() as i32), signal: None };
        self.docker.stop_container(self.removal.id(), Some(opts)).await.map_err(engine_error("stop the container"))?;
        self.stopped().await;
        Ok(())
    }

    /// Waits up to [`RELOAD_WAIT`] for a log line from index `from` on matching `pred`.
    async fn await_line(&self, from: usize, pred: impl FnMut(&String) -> bool) -> Option<String> {
        self.log.wait_for(from, RELOAD_WAIT, pred).await.map(|l| l.value)
    }
}

impl RunningServer for ContainerServer {
    fn disconnect(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(ContainerServer::disconnect(self))
    }

    fn reconnect(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(ContainerServer::reconnect(self))
    }

    fn confinement(&self) -> crate::backend::confine::Confinement {
        match self.files {
            ServerFiles::Mounted(_) => crate::backend::confine::Confinement::Container,
            ServerFiles::Copied => crate::backend::confine::Confinement::Unconfined(
                "a container whose files were copied in keeps a writable root".into(),
            ),
        }
    }

    fn client_addr(&self) -> SocketAddr {
        Self::addr_for(self.port)
    }

    fn version(&self) -> Version {
        self.version
    }

    fn log(&self) -> Timeline<String> {
        self.log.clone()
    }

    fn ready_ms(&self) -> u64 {
        self.ready_ms
    }

    fn stop(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(self.stop_inner())
    }

    fn kill(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            self.require("kill", &[State::Running, State::Paused])?;
            self.signal("KILL").await?;
            wait_exit(&self.docker, self.removal.id(), STOP_GRACE).await?;
            self.stopped().await;
            Ok(())
        })
    }

    fn pause(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            self.require("pause", &[State::Running])?;
            self.docker.pause_container(self.removal.id()).await.map_err(engine_error("pause the container"))?;
            self.state = State::Paused;
            Ok(())
        })
    }

    fn resume(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            self.require("resume", &[State::Paused])?;
            self.docker.unpause_container(self.removal.id()).await.map_err(engine_error("unpause the container"))?;
            self.state = State::Running;
            Ok(())
        })
    }

    fn restart(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            if self.state != State::Stopped {
                self.stop_inner().await?;
            }
            let booted = boot(&self.docker, self.removal.id(), self.client_addr(), &self.log, Instant::now())
                .await
                .map_err(|e| e.into_server_error(self.port))?;
            self.ready_ms = booted.ready_ms;
            self.pump = Some(booted.pump);
            self.state = State::Running;
            Ok(())
        })
    }

    fn reload(&mut self, config: Option<String>) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            self.require("reload", &[State::Running])?;
            if let Some(text) = config {
                self.files.replace_config(&self.docker, self.removal.id(), &text).await?;
            }
            let from = self.log.len();
            self.signal("HUP").await?;
            let seen = self
                .await_line(from, |l| l.contains("Reloaded server configuration") || l.contains("Failed to reload"))
                .await;
            match seen {
                Some(l) if l.contains("Reloaded") => Ok(()),
                Some(l) => Err(ServerError::ReloadRefused {
                    message: crate::backend::refusal::reload_failure(&l.replace(&format!("{CONTAINER_DIR}/"), "")),
                }),
                None => Err(ServerError::NotReady {
                    waited_ms: RELOAD_WAIT.as_millis() as u64,
                    detail: "no reload confirmation in the log".into(),
                }),
            }
        })
    }

    fn lame_duck(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            self.require("lame duck", &[State::Running])?;
            let from = self.log.len();
            self.signal("USR2").await?;
            self.await_line(from, |l| l.contains("lame duck")).await;
            Ok(())
        })
    }

    fn shutdown(mut self: Box<Self>) -> BoxFuture<'static, Result<(), ServerError>> {
        Box::pin(async move {
            let res = self.removal.remove(&self.docker).await;
            if let Some(pump) = self.pump.take() {
                pump.abort();
            }
            res
        })
    }
}
