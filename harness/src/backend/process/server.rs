//! A running nats-server process and the actions a scenario takes on it.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use futures::future::BoxFuture;

use super::backend::{Jail, Started, inner_addr, spawn};
use crate::backend::confine::{Bridge, Confinement, SocketAudit, audit_process};
use crate::backend::error::ServerError;
use crate::backend::refusal::reload_failure;
use crate::backend::sandbox::Sandbox;
use crate::backend::signal::{Signal, send, stopped};
use crate::backend::spec::{CONFIG_FILE, STORE_DIR};
use crate::backend::traits::RunningServer;
use crate::observe::Timeline;
use crate::spec::Version;

/// How long a graceful stop may take before the process is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How long a reload may take to be confirmed in the log.
const RELOAD_WAIT: Duration = Duration::from_secs(5);

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

/// A nats-server process; dropping it kills the process and removes its sandbox.
pub struct ProcessServer {
    version: Version,
    binary: PathBuf,
    sandbox: Sandbox,
    log: Timeline<String>,
    current: Option<Started>,
    port: u16,
    state: State,
    ready_ms: u64,
    jail: Option<Jail>,
    bridge: Option<Bridge>,
    confinement: Confinement,
    store_dir_flag: bool,
    env: Vec<(String, String)>,
}

impl ProcessServer {
    pub(crate) fn new(
        version: Version,
        binary: PathBuf,
        sandbox: Sandbox,
        log: Timeline<String>,
        started: Started,
    ) -> Self {
        ProcessServer {
            version,
            binary,
            sandbox,
            log,
            port: started.port,
            ready_ms: started.ready_ms,
            current: Some(started),
            state: State::Running,
            jail: None,
            bridge: None,
            confinement: Confinement::Unconfined("not asked for".into()),
            store_dir_flag: false,
            env: Vec::new(),
        }
    }

    /// The same server, restarted with this environment (and no other).
    pub(crate) fn env(mut self, env: Vec<(String, String)>) -> Self {
        self.env = env;
        self
    }

    /// The same server, restarted with `--store_dir` inside its sandbox when `on`.
    pub(crate) fn store_dir_flag(mut self, on: bool) -> Self {
        self.store_dir_flag = on;
        self
    }

    /// The same server, confined in `jail` and reached through `bridge`.
    pub(crate) fn confined(mut self, jail: Option<Jail>, bridge: Option<Bridge>, confinement: Confinement) -> Self {
        self.jail = jail;
        self.bridge = bridge;
        self.confinement = confinement;
        self
    }

    fn pid(&self, action: &'static str) -> Result<u32, ServerError> {
        match (&self.current, self.state) {
            (Some(s), State::Running | State::Paused) => Ok(s.pid),
            _ => Err(ServerError::WrongState { action, state: self.state.name() }),
        }
    }

    async fn wait_exit(&mut self) {
        if let Some(mut s) = self.current.take()
            && tokio::time::timeout(STOP_GRACE, s.child.wait()).await.is_err()
        {
            let _ = s.child.start_kill();
            let _ = tokio::time::timeout(STOP_GRACE, s.child.wait()).await;
        }
        if let Some(b) = self.bridge.as_mut() {
            b.close();
        }
        self.state = State::Stopped;
    }

    async fn stop_inner(&mut self) -> Result<(), ServerError> {
        let pid = self.pid("stop")?;
        send(pid, Signal::Term)?;
        if self.state == State::Paused {
            send(pid, Signal::Cont)?;
        }
        self.wait_exit().await;
        Ok(())
    }
}

impl RunningServer for ProcessServer {
    fn client_addr(&self) -> SocketAddr {
        match &self.bridge {
            Some(b) => b.addr(),
            None => SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
        }
    }

    fn confinement(&self) -> Confinement {
        self.confinement.clone()
    }

    fn audit(&self) -> Option<std::io::Result<SocketAudit>> {
        let pid = self.current.as_ref()?.pid;
        Some(audit_process(pid))
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
            let pid = self.pid("kill")?;
            send(pid, Signal::Kill)?;
            self.wait_exit().await;
            Ok(())
        })
    }

    fn pause(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            if self.state != State::Running {
                return Err(ServerError::WrongState { action: "pause", state: self.state.name() });
            }
            let pid = self.pid("pause")?;
            send(pid, Signal::Stop)?;
            self.state = State::Paused;
            stopped(pid, STOP_GRACE).await?;
            Ok(())
        })
    }

    fn resume(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            if self.state != State::Paused {
                return Err(ServerError::WrongState { action: "resume", state: self.state.name() });
            }
            send(self.pid("resume")?, Signal::Cont)?;
            self.state = State::Running;
            Ok(())
        })
    }

    fn restart(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            if self.state != State::Stopped {
                self.stop_inner().await?;
            }
            let store = self.store_dir_flag.then(|| self.sandbox.path().join(STORE_DIR));
            let started = spawn(
                &self.binary,
                self.sandbox.path(),
                Some(self.port),
                &self.log,
                self.jail.as_ref(),
                store.as_deref(),
                &self.env,
            )
            .await?;
            if let Some(b) = self.bridge.as_mut() {
                b.reopen(inner_addr(started.port)).await.map_err(ServerError::io("reopen the host port"))?;
            }
            self.ready_ms = started.ready_ms;
            self.current = Some(started);
            self.state = State::Running;
            Ok(())
        })
    }

    fn reload(&mut self, config: Option<String>) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async move {
            let pid = self.pid("reload")?;
            if let Some(text) = config {
                self.sandbox.write(CONFIG_FILE, text.as_bytes())?;
            }
            let from = self.log.len();
            send(pid, Signal::Hup)?;
            let seen = self
                .log
                .wait_for(from, RELOAD_WAIT, |l| {
                    l.contains("Reloaded server configuration") || l.contains("Failed to reload")
                })
                .await;
            match seen {
                Some(l) if l.value.contains("Reloaded") => Ok(()),
                Some(l) => Err(ServerError::ReloadRefused {
                    message: reload_failure(&l.value.replace(&format!("{}/", self.sandbox.path().display()), "")),
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
            let pid = self.pid("lame duck")?;
            let from = self.log.len();
            send(pid, Signal::Usr2)?;
            self.log.wait_for(from, RELOAD_WAIT, |l| l.contains("lame duck")).await;
            Ok(())
        })
    }

    fn shutdown(mut self: Box<Self>) -> BoxFuture<'static, Result<(), ServerError>> {
        Box::pin(async move {
            if let Some(s) = self.current.as_mut() {
                let _ = s.child.start_kill();
            }
            self.wait_exit().await;
            Ok(())
        })
    }
}
