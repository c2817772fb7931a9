//! A container's start on the [`ContainerBackend`] against a bare `docker run` of the same image,
//! both until the first client round trip.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use testcontainers::bollard::Docker;
use testcontainers::bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
use testcontainers::bollard::query_parameters::{CreateContainerOptions, RemoveContainerOptions};
use tokio::process::Command;

use super::error::{BenchError, BenchErrorKind};
use super::model::{CONTAINER_TARGET, ContainerBench};
use super::pong::ping_pong;
use super::stats::{Summary, median, ms};
use crate::backend::{Backend, CLIENT_PORT, ContainerBackend, START_TIMEOUT, ServerError, ServerSpec, image_for};
use crate::spec::Version;

/// The pause between two round-trip attempts on a bare container: nothing tells when its server
/// is up (the engine's port proxy accepts at once and closes while nothing listens inside), so a
/// bare start can only poll. The harness, unlike this, waits for `Server is ready`.
pub const BARE_RETRY: Duration = Duration::from_millis(2);
/// How long one round-trip attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);

/// Measures `runs` paired starts (harness, bare `docker run`, bare engine API), after one
/// unmeasured warm-up of each. `progress` is called after each pair.
pub async fn measure_containers(
    version: Version,
    runs: usize,
    mut progress: impl FnMut(usize),
) -> Result<ContainerBench, BenchError> {
    let fail = |k: BenchErrorKind| BenchError::new("container", k);
    let image = image_for(version).map_err(|e| fail(e.into()))?;
    let backend = ContainerBackend::connect().await.map_err(|e| fail(e.into()))?;
    let docker = connect_engine().await.map_err(|e| fail(e.into()))?;
    let bare = Bare { docker: &docker, image: &image };
    let spec = ServerSpec::new(version, "").label("bench");

    harness_start(&backend, &spec).await.map_err(fail)?;
    bare.cli(0).await.map_err(fail)?;
    bare.api(0).await.map_err(fail)?;
    let (mut harness, mut ready, mut cli, mut api) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 1..=runs {
        let (took, ready_ms) = harness_start(&backend, &spec).await.map_err(fail)?;
        harness.push(ms(took));
        ready.push(ready_ms as f64);
        cli.push(ms(bare.cli(i).await.map_err(fail)?));
        api.push(ms(bare.api(i).await.map_err(fail)?));
        progress(i);
    }
    let ratio = |base: &[f64]| median(&harness.iter().zip(base).map(|(h, b)| h / b).collect::<Vec<_>>());
    let summary = |v: &[f64]| Summary::of(v).ok_or_else(|| fail(no_runs()));
    Ok(ContainerBench {
        image,
        harness: summary(&harness)?,
        harness_ready: summary(&ready)?,
        bare_cli: summary(&cli)?,
        bare_api: summary(&api)?,
        ratio: ratio(&cli),
        ratio_api: ratio(&api),
        target: CONTAINER_TARGET,
    })
}

/// `ContainerBackend::start` until it returns, then a clean-up that is not timed.
async fn harness_start(backend: &ContainerBackend, spec: &ServerSpec) -> Result<(Duration, u64), BenchErrorKind> {
    let began = Instant::now();
    let server = backend.start(spec).await?;
    let took = began.elapsed();
    let ready = server.ready_ms();
    server.shutdown().await?;
    Ok((took, ready))
}

/// Bare starts of `image`, removed after each measurement.
pub(super) struct Bare<'a> {
    pub(super) docker: &'a Docker,
    pub(super) image: &'a str,
}

impl Bare<'_> {
    /// `docker run -d -p 127.0.0.1::4222 IMAGE`, its port looked up, then the first `PONG`.
    pub(super) async fn cli(&self, n: usize) -> Result<Duration, BenchErrorKind> {
        let name = bare_name("cli", n);
        let publish = format!("127.0.0.1::{CLIENT_PORT}");
        let args = ["run", "-d", "-p", publish.as_str(), "--name", name.as_str(), self.image];
        let began = Instant::now();
        let out = Command::new("docker")
            .args(args)
            .output()
            .await
            .map_err(BenchErrorKind::io("run `docker` (is the docker command installed?)"))?;
        if !out.status.success() {
            self.remove(&name).await;
            return Err(BenchErrorKind::Command {
                command: format!("docker {}", args.join(" ")),
                detail: format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()),
            });
        }
        let result = self.until_pong(&name, began).await;
        self.remove(&name).await;
        result
    }

    /// The same request through the engine API: create, start, then the first `PONG`.
    async fn api(&self, n: usize) -> Result<Duration, BenchErrorKind> {
        let name = bare_name("api", n);
        let port_key = format!("{CLIENT_PORT}/tcp");
        let binding = PortBinding { host_ip: Some("127.0.0.1".into()), host_port: Some(String::new()) };
        let body = ContainerCreateBody {
            image: Some(self.image.to_string()),
            exposed_ports: Some(vec![port_key.clone()]),
            host_config: Some(HostConfig {
                port_bindings: Some(HashMap::from([(port_key, Some(vec![binding]))])),
                ..Default::default()
            }),
            ..Default::default()
        };
        let opts = CreateContainerOptions { name: Some(name.clone()), ..Default::default() };
        let began = Instant::now();
        let created = self.docker.create_container(Some(opts), body).await.map_err(engine("create a container"))?;
        let started = self.docker.start_container(&created.id, None).await.map_err(engine("start the container"));
        let result = match started {
            Ok(()) => self.until_pong(&created.id, began).await,
            Err(e) => Err(e),
        };
        self.remove(&created.id).await;
        result
    }

    /// Looks up the published port of container `id`, then tries round trips until one works.
    async fn until_pong(&self, id: &str, began: Instant) -> Result<Duration, BenchErrorKind> {
        let inspected = self.docker.inspect_container(id, None).await.map_err(engine("inspect the container"))?;
        let key = format!("{CLIENT_PORT}/tcp");
        let port = inspected
            .network_settings
            .and_then(|n| n.ports)
            .and_then(|mut p| p.remove(&key).flatten())
            .and_then(|b| b.into_iter().find_map(|b| b.host_port?.parse::<u16>().ok()))
            .ok_or_else(|| ServerError::Engine(format!("container `{id}` has no host port for {key}")))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = began + START_TIMEOUT;
        let mut last = String::from("no attempt");
        while Instant::now() < deadline {
            match tokio::time::timeout(ATTEMPT_TIMEOUT, ping_pong(addr)).await {
                Ok(Ok(())) => return Ok(began.elapsed()),
                Ok(Err(e)) => last = e.to_string(),
                Err(_) => last = "timed out".into(),
            }
            tokio::time::sleep(BARE_RETRY).await;
        }
        Err(BenchErrorKind::NoPong {
            addr: addr.to_string(),
            waited_ms: START_TIMEOUT.as_millis() as u64,
            detail: last,
        })
    }

    /// Force-removes a bare container; one that is already gone is fine.
    async fn remove(&self, id: &str) {
        let opts = RemoveContainerOptions { force: true, v: true, ..Default::default() };
        let _ = self.docker.remove_container(id, Some(opts)).await;
    }
}

fn bare_name(kind: &str, n: usize) -> String {
    format!("natsfault-bench-{kind}-{}-{n}", std::process::id())
}

/// A client of the local engine, its API version negotiated.
pub(super) async fn connect_engine() -> Result<Docker, ServerError> {
    let unreachable = |e: String| ServerError::Engine(format!("cannot reach the docker engine: {e}"));
    let docker = Docker::connect_with_defaults().map_err(|e| unreachable(e.to_string()))?;
    docker.negotiate_version().await.map_err(|e| unreachable(e.to_string()))
}

fn engine(doing: &'static str) -> impl FnOnce(testcontainers::bollard::errors::Error) -> BenchErrorKind {
    move |e| ServerError::Engine(format!("{doing}: {e}")).into()
}

fn no_runs() -> BenchErrorKind {
    BenchErrorKind::Command { command: "natsfault bench --runs 0".into(), detail: "expected at least one run".into() }
}
