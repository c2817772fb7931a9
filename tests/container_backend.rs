//! The container backend against a real engine: start and round trip, pause, stop, kill,
//! restart, reload (files mounted from the host and copied in), disconnect, a refused config, and
//! clean-up after success, after a panic and after a run that died without cleaning up.
//!
//! Without a reachable engine (or image) each test prints one `skipped` line and passes; under
//! `CI=true` it fails instead. The tests take turns (one engine, one label space), so "nothing
//! left behind" can be checked exactly with the `docker` command a user would run.

use std::io::Write;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_nats::ConnectErrorKind;
use futures::StreamExt;
use natsfault::backend::{
    Backend, ContainerBackend, DEFAULT_VERSION, FileDelivery, LABEL, ProcessBackend, RunningServer, ServerError,
    ServerSpec,
};

/// One container test at a time.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
/// Set in the child process of `a_run_that_dies_is_swept_by_the_next_backend`.
const CHILD_VAR: &str = "NATSFAULT_TEST_CHILD";
/// A short connect timeout: a paused server must time clients out quickly.
const SHORT: Duration = Duration::from_millis(500);

/// The backend for one test, holding the turn; `None` (after one `skipped` line) when there is no
/// engine and `CI` is not `true`.
struct Engine {
    backend: ContainerBackend,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

async fn engine(test: &str) -> Option<Engine> {
    let turn = TURN.lock().await;
    let why = match ContainerBackend::connect().await {
        Ok(backend) => match image() {
            Ok(()) => return Some(Engine { backend, _turn: turn }),
            Err(e) => e,
        },
        Err(e) => e.to_string(),
    };
    let ci = std::env::var("CI").unwrap_or_default();
    if ci == "true" || ci == "1" {
        panic!("{test}: the container backend is unavailable under CI={ci}: {why}");
    }
    // Straight to stderr: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why} (set CI=true to fail instead)");
    None
}

/// Builds the default image once (a no-op when it exists).
fn image() -> Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/build-image.sh");
            match Command::new(script).arg(DEFAULT_VERSION).output() {
                Ok(o) if o.status.success() => Ok(()),
                Ok(o) => Err(format!("`{script}` failed: {}", String::from_utf8_lossy(&o.stderr).trim())),
                Err(e) => Err(format!("cannot run `{script}`: {e}")),
            }
        })
        .clone()
}

fn spec(config: &str) -> ServerSpec {
    ServerSpec::new(DEFAULT_VERSION.parse().unwrap(), config).label("container-test")
}

/// `docker <args>`, its output lines.
fn docker(args: &[&str]) -> Vec<String> {
    let out = Command::new("docker").args(args).output().expect("run docker");
    assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// Containers and networks labelled `io.natsfault=1` and `extra`.
fn labelled(extra: &str) -> (Vec<String>, Vec<String>) {
    let (all, more) = (format!("label={LABEL}=1"), format!("label={extra}"));
    let containers = docker(&["ps", "-a", "-q", "--filter", &all, "--filter", &more]);
    let networks = docker(&["network", "ls", "-q", "--filter", &all, "--filter", &more]);
    (containers, networks)
}

/// Drops the backend and checks that this process left no container or network behind.
fn finish(engine: Engine) {
    let run = engine.backend.run_id().to_string();
    drop(engine.backend);
    assert_eq!(labelled(&format!("io.natsfault.run={run}")), (vec![], vec![]), "left behind by run {run}");
    assert_eq!(
        docker(&[
            "ps",
            "-a",
            "-q",
            "--filter",
            &format!("label={LABEL}=1"),
            "--filter",
            &format!("label=io.natsfault.pid={}", std::process::id())
        ]),
        Vec::<String>::new()
    );
}

async fn connect(addr: SocketAddr, timeout: Duration) -> Result<async_nats::Client, async_nats::ConnectError> {
    async_nats::ConnectOptions::new().connection_timeout(timeout).connect(format!("nats://{addr}")).await
}

/// Subscribes, publishes and receives the message back.
async fn round_trip(addr: SocketAddr) {
    let client = connect(addr, Duration::from_secs(5)).await.expect("connect");
    let mut sub = client.subscribe("natsfault.ping").await.expect("subscribe");
    client.publish("natsfault.ping", "hello".into()).await.expect("publish");
    client.flush().await.expect("flush");
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("a message within 5s")
        .expect("open subscription");
    assert_eq!(&msg.payload[..], b"hello");
}

async fn connect_kind(addr: SocketAddr) -> ConnectErrorKind {
    match connect(addr, SHORT).await {
        Ok(_) => panic!("expected connecting to {addr} to fail"),
        Err(e) => e.kind(),
    }
}

#[tokio::test]
async fn starts_and_round_trips_on_loopback() {
    let Some(e) = engine("starts_and_round_trips_on_loopback").await else { return };
    let server = e.backend.start_container(&spec("")).await.expect("start");
    assert!(server.client_addr().ip().is_loopback());
    assert_eq!(
        docker(&["port", server.id()]),
        [format!("4222/tcp -> {}", server.client_addr())],
        "published on 127.0.0.1 only"
    );
    assert!(server.log().all().iter().any(|l| l.value.contains("Server is ready")));
    round_trip(server.client_addr()).await;
    Box::new(server).shutdown().await.expect("shutdown");
    finish(e);
}

#[tokio::test]
async fn a_paused_server_times_clients_out_until_resumed() {
    let Some(e) = engine("a_paused_server_times_clients_out_until_resumed").await else { return };
    let mut server = e.backend.start(&spec("")).await.expect("start");
    server.pause().await.expect("pause");
    let began = Instant::now();
    assert_eq!(connect_kind(server.client_addr()).await, ConnectErrorKind::TimedOut);
    assert!(began.elapsed() < SHORT * 4, "the connect timeout bounds the attempt: {:?}", began.elapsed());
    server.resume().await.expect("resume");
    round_trip(server.client_addr()).await;
    drop(server);
    finish(e);
}

#[tokio::test]
async fn stopped_and_killed_servers_refuse_and_restart_on_the_same_address() {
    let Some(e) = engine("stopped_and_killed_servers_refuse_and_restart_on_the_same_address").await else { return };
    let mut server = e.backend.start(&spec("")).await.expect("start");
    let addr = server.client_addr();
    server.stop().await.expect("stop");
    assert_eq!(connect_kind(addr).await, ConnectErrorKind::Io);
    server.restart().await.expect("restart after stop");
    assert_eq!(server.client_addr(), addr);
    round_trip(addr).await;
    server.kill().await.expect("kill");
    assert_eq!(connect_kind(addr).await, ConnectErrorKind::Io);
    server.restart().await.expect("restart after kill");
    server.restart().await.expect("restart while running");
    assert_eq!(server.client_addr(), addr);
    round_trip(addr).await;
    let ready = server.log().all().iter().filter(|l| l.value.contains("Server is ready")).count();
    assert_eq!(ready, 4, "each start's lines once, none replayed");
    drop(server);
    finish(e);
}

#[tokio::test]
async fn a_refused_config_is_reported_without_the_container_path() {
    let Some(e) = engine("a_refused_config_is_reported_without_the_container_path").await else { return };
    match e.backend.start(&spec("auth_url: \"http://127.0.0.1:1\"\n")).await {
        Err(ServerError::Refused { exit, message }) => {
            assert_eq!(exit, "1");
            assert_eq!(message, r#"nats.conf:1:0: unknown field "auth_url""#);
        }
        Err(other) => panic!("expected a refusal, got {other}"),
        Ok(s) => panic!("expected a refusal, but the server started at {}", s.client_addr()),
    }
    finish(e);
}

/// Starts with token `first`, reloads with token `second`, checks that only `second` works, also
/// after a restart, and returns the server.
async fn reload_swaps_the_token(backend: &ContainerBackend) -> Box<dyn RunningServer> {
    let mut server = backend.start(&spec("authorization { token: first }")).await.expect("start");
    let addr = server.client_addr();
    server.reload(Some("authorization { token: second }".into())).await.expect("reload");
    let with = |t: &str| {
        async_nats::ConnectOptions::with_token(t.into())
            .connection_timeout(Duration::from_secs(5))
            .connect(format!("nats://{addr}"))
    };
    assert_eq!(with("first").await.err().map(|e| e.kind()), Some(ConnectErrorKind::AuthorizationViolation));
    with("second").await.expect("the new token is accepted");
    server.restart().await.expect("restart");
    with("second").await.expect("a restart reads the reloaded config");
    server
}

#[tokio::test]
async fn reload_applies_a_new_config() {
    let Some(e) = engine("reload_applies_a_new_config").await else { return };
    let mut server = reload_swaps_the_token(&e.backend).await;
    server.lame_duck().await.expect("lame duck");
    assert!(server.log().all().iter().any(|l| l.value.contains("lame duck")));
    drop(server);
    finish(e);
}

#[tokio::test]
async fn copied_files_reload_and_restart_too() {
    let Some(e) = engine("copied_files_reload_and_restart_too").await else { return };
    let Engine { backend, _turn } = e;
    let backend = backend.with_file_delivery(FileDelivery::Copy);
    let server = backend.start_container(&spec("")).await.expect("start");
    assert_eq!(server.host_dir(), None, "nothing on the host");
    drop(server);
    drop(reload_swaps_the_token(&backend).await);
    finish(Engine { backend, _turn });
}

#[tokio::test]
async fn a_local_engine_mounts_the_files_and_they_go_with_the_server() {
    let Some(e) = engine("a_local_engine_mounts_the_files_and_they_go_with_the_server").await else { return };
    if e.backend.file_delivery() != FileDelivery::Mount {
        let _ = writeln!(std::io::stderr(), "skipped: the engine is not local, its files are copied");
        return finish(e);
    }
    let mut server = e.backend.start_container(&spec("authorization { token: t }")).await.expect("start");
    let dir = server.host_dir().expect("a mounted folder").to_path_buf();
    assert!(dir.file_name().is_some_and(|n| n.to_string_lossy().starts_with("natsfault-container-test-")));
    let format = "{{range .Mounts}}{{.Source}} {{.Destination}} {{.RW}}{{end}}";
    let mounts = docker(&["inspect", "-f", format, server.id()]);
    let host = dir.canonicalize().expect("canonical");
    assert_eq!(mounts, [format!("{}/etc /etc/natsfault false", host.display())], "mounted read-only");
    let conf = dir.join("etc/nats.conf");
    assert_eq!(std::fs::read_to_string(&conf).expect("config"), "authorization { token: t }");
    server.reload(Some("authorization { token: u }".into())).await.expect("reload");
    assert_eq!(std::fs::read_to_string(&conf).expect("config"), "authorization { token: u }");
    Box::new(server).shutdown().await.expect("shutdown");
    assert!(!dir.exists(), "the host folder {} is removed with the server", dir.display());
    finish(e);
}

#[tokio::test]
async fn disconnect_cuts_the_server_off_and_reconnect_restores_it() {
    let Some(e) = engine("disconnect_cuts_the_server_off_and_reconnect_restores_it").await else { return };
    let mut server = e.backend.start_container(&spec("")).await.expect("start");
    let addr = server.client_addr();
    server.disconnect().await.expect("disconnect");
    assert_eq!(connect_kind(addr).await, ConnectErrorKind::Io);
    server.reconnect().await.expect("reconnect");
    assert_eq!(server.client_addr(), addr);
    round_trip(addr).await;
    drop(server);
    finish(e);
}

#[tokio::test]
async fn reconnect_keeps_the_host_name_peers_dial() {
    let Some(e) = engine("reconnect_keeps_the_host_name_peers_dial").await else { return };
    let mut named = spec("");
    named.hostname = Some("alias-kept".into());
    let mut server = e.backend.start_container(&named).await.expect("start");
    let id = server.id().to_string();
    let aliases = || docker(&["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.Aliases}}{{end}}", &id]);
    assert!(aliases().concat().contains("alias-kept"), "joined under its host name: {:?}", aliases());
    server.disconnect().await.expect("disconnect");
    server.reconnect().await.expect("reconnect");
    assert!(aliases().concat().contains("alias-kept"), "joined again under its host name: {:?}", aliases());
    round_trip(server.client_addr()).await;
    drop(server);
    finish(e);
}

#[tokio::test]
async fn a_test_that_panics_leaves_nothing_behind() {
    let Some(e) = engine("a_test_that_panics_leaves_nothing_behind").await else { return };
    let Engine { backend, _turn } = e;
    let backend = Arc::new(backend);
    let b = backend.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let body = tokio::spawn(async move {
        let server = b.start_container(&spec("")).await.expect("start");
        let _ = tx.send(server.host_dir().map(std::path::Path::to_path_buf));
        assert!(server.client_addr().port() == 0, "deliberate panic with a running container");
    });
    let joined = body.await;
    assert!(joined.is_err_and(|e| e.is_panic()));
    if let Some(dir) = rx.recv().expect("the task started its server") {
        assert!(!dir.exists(), "the unwinding drop removed the host folder {}", dir.display());
    }
    let run = backend.run_id().to_string();
    assert_eq!(
        labelled(&format!("io.natsfault.run={run}")).0,
        Vec::<String>::new(),
        "the unwinding drop removed the container"
    );
    let backend = Arc::into_inner(backend).expect("the only handle");
    finish(Engine { backend, _turn });
}

/// Run only as the child of the next test: starts a container and exits without any clean-up.
#[tokio::test]
// Ignored: a helper child process, started by its parent test with an environment variable.
#[ignore = "run by a_run_that_dies_is_swept_by_the_next_backend"]
async fn child_exits_without_cleaning_up() {
    if std::env::var_os(CHILD_VAR).is_none() {
        return;
    }
    let backend = ContainerBackend::connect().await.expect("engine");
    let server = backend.start_container(&spec("")).await.expect("start");
    println!("\nleft-container={}", server.id());
    // No destructor runs: like a run killed by a signal.
    std::process::exit(0);
}

#[tokio::test]
async fn a_run_that_dies_is_swept_by_the_next_backend() {
    let Some(e) = engine("a_run_that_dies_is_swept_by_the_next_backend").await else { return };
    let exe = std::env::current_exe().expect("test binary");
    // The child's mounted folder outlives it (nothing runs its destructors): keep it out of /tmp.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Command::new(exe)
        .args(["child_exits_without_cleaning_up", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, "1")
        .env("TMPDIR", tmp.path())
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("left-container="))
        .unwrap_or_else(|| panic!("child said: {stdout}"))
        .to_string();
    assert_eq!(
        docker(&["ps", "-a", "-q", "--no-trunc", "--filter", &format!("id={id}")]),
        std::slice::from_ref(&id),
        "the child left its container"
    );
    let next = ContainerBackend::connect().await.expect("engine");
    assert_eq!(docker(&["ps", "-a", "-q", "--filter", &format!("id={id}")]), Vec::<String>::new(), "swept");
    drop(next);
    finish(e);
}

#[tokio::test]
async fn a_container_someone_ran_from_the_image_is_not_swept() {
    let Some(e) = engine("a_container_someone_ran_from_the_image_is_not_swept").await else { return };
    // It inherits the image's `io.natsfault=1` label, but names no owner.
    let image = format!("natsfault/nats-server:{DEFAULT_VERSION}");
    let id = docker(&["create", &image]).remove(0);
    let next = ContainerBackend::connect().await.expect("engine");
    let still = docker(&["ps", "-a", "-q", "--no-trunc", "--filter", &format!("id={id}")]);
    docker(&["rm", "-f", &id]);
    assert_eq!(still, std::slice::from_ref(&id), "a container without an owner label is not the harness's");
    drop(next);
    finish(e);
}

/// Start-to-ready times, container vs process (`cargo test --test container_backend -- --ignored
/// --nocapture ready_times`).
#[tokio::test]
// Ignored: it prints timings and asserts nothing; run it by hand to measure.
#[ignore = "a measurement, not a check"]
async fn ready_times() {
    let Some(e) = engine("ready_times").await else { return };
    let backends: [(&str, &dyn Backend); 2] = [("process", &ProcessBackend), ("container", &e.backend)];
    for (name, backend) in backends {
        let (mut ready, mut wall) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            let began = Instant::now();
            let server = backend.start(&spec("")).await.expect("start");
            wall.push(began.elapsed().as_millis() as u64);
            ready.push(server.ready_ms());
            server.shutdown().await.expect("shutdown");
        }
        ready.sort_unstable();
        wall.sort_unstable();
        let median = |v: &[u64]| (v[4] + v[5]) / 2;
        println!(
            "{name}: median ready_ms {} (start() wall {} ms); all ready_ms {ready:?}",
            median(&ready),
            median(&wall)
        );
    }
    finish(e);
}

/// A three-server topology (each a container with its own host name on the backend's network,
/// one restarted mid-run) leaves no container and no network once played.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_server_topology_leaves_nothing_behind() {
    let Some(e) = engine("a_three_server_topology_leaves_nothing_behind").await else { return };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/topology/three-node-restart.toml");
    let scenario = natsfault::spec::load_file(&path).expect("scenario");
    let report = natsfault::runner::play(&scenario, &e.backend, DEFAULT_VERSION.parse().unwrap()).await.expect("play");
    assert_eq!(
        report.status,
        natsfault::report::Status::Passed,
        "{}",
        natsfault::report::human::failure_details(&report)
    );
    let run = e.backend.run_id().to_string();
    let (containers, _) = labelled(&format!("io.natsfault.run={run}"));
    assert!(containers.is_empty(), "the phase removed its three containers: {containers:?}");
    finish(e);
}
