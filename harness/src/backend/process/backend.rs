//! The process backend: each server is a local nats-server process in its own temp dir.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use super::server::ProcessServer;
use crate::backend::binary::nats_server_binary;
use crate::backend::confine::{Bridge, ConfinePolicy, Confinement, Dialer, NetNs, confine_child};
use crate::backend::error::ServerError;
use crate::backend::ready::{Greeting, START_TIMEOUT, is_ready_line, listening_port, probe_via};
use crate::backend::refusal::{last_lines, refusal};
use crate::backend::sandbox::Sandbox;
use crate::backend::signal::kill_with_parent;
use crate::backend::spec::{CONFIG_FILE, STORE_DIR, ServerSpec};
use crate::backend::traits::{Backend, RunningServer};
use crate::observe::Timeline;

/// Runs nats-server as a local process (the default backend; no Docker needed).
///
/// ```no_run
/// use natsfault::backend::{Backend, ProcessBackend, ServerSpec};
/// # async fn demo() -> Result<(), natsfault::backend::ServerError> {
/// let spec = ServerSpec::new("2.15.1".parse().unwrap(), "authorization { token: t }");
/// let server = ProcessBackend.start(&spec).await?;
/// println!("nats://{}", server.client_addr());
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessBackend;

impl Backend for ProcessBackend {
    fn name(&self) -> &'static str {
        "process"
    }

    fn start<'a>(&'a self, spec: &'a ServerSpec) -> BoxFuture<'a, Result<Box<dyn RunningServer>, ServerError>> {
        Box::pin(async move {
            let binary = nats_server_binary(spec.version)?;
            let sandbox = Sandbox::create(&spec.label)?;
            sandbox.write(CONFIG_FILE, spec.config.as_bytes())?;
            for f in &spec.files {
                sandbox.write(&f.name, &f.contents)?;
            }
            let log = Timeline::new();
            let mut writable = vec![sandbox.path().to_path_buf()];
            writable.extend(spec.writable.iter().cloned());
            let (jail, confinement) = jail_for(spec.confine, writable)?;
            let store = spec.store_dir_flag.then(|| sandbox.path().join(STORE_DIR));
            let store = store.as_deref();
            let (started, jail, confinement) =
                match spawn(&binary, sandbox.path(), spec.client_port, &log, jail.as_ref(), store, &spec.env).await {
                    // A kernel that refuses a mount step: run with the rewrite alone, and say so.
                    Err(ServerError::Io { context, source })
                        if jail.is_some() && spec.confine == ConfinePolicy::Auto =>
                    {
                        let why = format!("{context}: {source}");
                        (
                            spawn(&binary, sandbox.path(), spec.client_port, &log, None, store, &spec.env).await?,
                            None,
                            Confinement::Unconfined(why),
                        )
                    }
                    Err(ServerError::Io { context, source }) if jail.is_some() => {
                        return Err(ServerError::Unconfinable(format!("{context}: {source}")));
                    }
                    other => (other?, jail, confinement),
                };
            let bridge = match &jail {
                Some(j) => Some(
                    Bridge::open(j.netns.clone(), inner_addr(started.port))
                        .await
                        .map_err(ServerError::io("open the host port of a confined server"))?,
                ),
                None => None,
            };
            let server = ProcessServer::new(spec.version, binary, sandbox, log, started)
                .confined(jail, bridge, confinement)
                .store_dir_flag(spec.store_dir_flag)
                .env(spec.env.clone());
            Ok(Box::new(server) as Box<dyn RunningServer>)
        })
    }
}

/// The namespace a confined server runs in, and the folders it may write.
#[derive(Clone, Debug)]
pub(crate) struct Jail {
    pub netns: Arc<NetNs>,
    pub writable: Vec<PathBuf>,
}

impl Jail {
    pub(crate) fn dialer(&self) -> Dialer {
        Dialer::Namespace(self.netns.clone())
    }
}

/// The jail for `policy`, or why there is none.
fn jail_for(policy: ConfinePolicy, writable: Vec<PathBuf>) -> Result<(Option<Jail>, Confinement), ServerError> {
    if policy == ConfinePolicy::Off {
        return Ok((None, Confinement::Unconfined("not asked for".into())));
    }
    match NetNs::create() {
        Ok(ns) => Ok((Some(Jail { netns: Arc::new(ns), writable }), Confinement::Namespaces)),
        Err(why) if policy == ConfinePolicy::Require => Err(ServerError::Unconfinable(why)),
        Err(why) => Ok((None, Confinement::Unconfined(why))),
    }
}

/// The server's client address inside its own namespace.
pub(crate) fn inner_addr(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// A spawned, ready process.
pub(crate) struct Started {
    pub child: Child,
    pub pid: u32,
    pub port: u16,
    pub ready_ms: u64,
}

/// Spawns nats-server on 127.0.0.1 (`port`, or a free one chosen by the server itself), in
/// `jail` when given, and waits until it says it is ready and answers a probe. A process that
/// exits first refused its config. `store`, when given, is passed as `--store_dir`: the
/// JetStream store of a config that enables JetStream (the flag alone does not enable it).
/// `env` is the process's whole environment.
pub(crate) async fn spawn(
    binary: &Path,
    dir: &Path,
    port: Option<u16>,
    log: &Timeline<String>,
    jail: Option<&Jail>,
    store: Option<&Path>,
    env: &[(String, String)],
) -> Result<Started, ServerError> {
    let began = Instant::now();
    let port_arg = port.map_or_else(|| "-1".to_string(), |p| p.to_string());
    let mut cmd = Command::new(binary);
    cmd.arg("-c")
        .arg(dir.join(CONFIG_FILE))
        .args(["-a", "127.0.0.1", "-p", &port_arg, "-D"])
        .current_dir(dir)
        // Only the variables passed explicitly: nats-server falls back to its environment for a
        // `$NAME` the config does not define, and natsfault's environment is not the config's.
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(store) = store {
        cmd.arg("--store_dir").arg(store);
    }
    kill_with_parent(&mut cmd);
    if let Some(j) = jail {
        confine_child(&mut cmd, j.netns.raw_fd(), &j.writable).map_err(ServerError::io("prepare confinement"))?;
    }
    let what = if jail.is_some() { "spawn confined" } else { "spawn" };
    let mut child = cmd.spawn().map_err(ServerError::io(format!("{what} `{}`", binary.display())))?;
    let pid = child.id().unwrap_or_default();

    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    if let Some(err) = child.stderr.take() {
        tokio::spawn(pump(err, log.clone(), tx.clone()));
    }
    if let Some(out) = child.stdout.take() {
        tokio::spawn(pump(out, log.clone(), tx.clone()));
    }
    drop(tx);

    let mut found_port = None;
    let mut greeting = Greeting::Info;
    let deadline = began + START_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Err(_) => {
                return Err(ServerError::NotReady {
                    waited_ms: START_TIMEOUT.as_millis() as u64,
                    detail: last_lines(log),
                });
            }
            Ok(None) => {
                // Both streams closed: the process is exiting.
                let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
                let exit = match status {
                    Ok(Ok(s)) => s.code().map_or_else(|| s.to_string(), |c| c.to_string()),
                    _ => "unknown".into(),
                };
                return Err(ServerError::Refused { exit, message: refusal(log, dir) });
            }
            Ok(Some(line)) => {
                if let Some(p) = listening_port(&line) {
                    found_port = Some(p);
                }
                if let Some(g) = Greeting::from_line(&line) {
                    greeting = g;
                }
                if is_ready_line(&line) {
                    break;
                }
            }
        }
    }
    let port = found_port.ok_or_else(|| ServerError::NotReady {
        waited_ms: began.elapsed().as_millis() as u64,
        detail: "the server never logged `Listening for client connections on`; is `log_file` set in the config?"
            .into(),
    })?;
    // Keep draining lines so the pipes never fill.
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let dialer = jail.map(Jail::dialer).unwrap_or_default();
    let within = deadline.saturating_duration_since(Instant::now()).max(Duration::from_secs(1));
    probe_via(&dialer, inner_addr(port), within, greeting).await?;
    Ok(Started { child, pid, port, ready_ms: began.elapsed().as_millis() as u64 })
}

/// Copies lines from a pipe into the log and to the start-up watcher, until EOF.
async fn pump(r: impl tokio::io::AsyncRead + Unpin, log: Timeline<String>, tx: mpsc::UnboundedSender<String>) {
    let mut lines = BufReader::new(r).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        log.push(line.clone());
        let _ = tx.send(line);
    }
}
