//! A run that panics in the middle of a scenario on the process backend leaves nothing behind:
//! unwinding stops its nats-server processes, closes its wire taps' listeners and removes its
//! temp folders, checked while the process that panicked is still alive (its exit would clean up
//! some of it anyway) and again after it exited.
//!
//! The child is `child_panics_mid_scenario`, run with its own `TMPDIR`: it plays
//! `server-restart.toml` on a backend whose `restart-server` panics, with a client connected
//! through its tap, prints what it holds, unwinds, and waits for the parent to look.
//! `child_panics_mid_topology` does the same with the three servers of
//! `fixtures/topology/three-node-restart.toml`.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::BoxFuture;
use natsfault::backend::{Backend, ProcessBackend, RunningServer, ServerError, ServerSpec};
use natsfault::observe::Timeline;
use natsfault::spec::Version;

/// Set in the child process.
const CHILD_VAR: &str = "NATSFAULT_TEST_PANIC_CHILD";
/// How long the child may take to reach its panic.
const CHILD_WAIT: Duration = Duration::from_secs(60);
/// How long a killed process or an aborted listener may take to be gone.
const GONE_WAIT: Duration = Duration::from_secs(5);

/// The process backend, except that `restart-server` reports what the run holds and panics.
struct PanicOnRestart;

impl Backend for PanicOnRestart {
    fn name(&self) -> &'static str {
        "process"
    }

    fn start<'a>(&'a self, spec: &'a ServerSpec) -> BoxFuture<'a, Result<Box<dyn RunningServer>, ServerError>> {
        Box::pin(async move {
            let server = ProcessBackend.start(spec).await?;
            let lines = server.log().all();
            let pid = lines.iter().find_map(|l| l.value.strip_prefix('[')?.split(']').next()?.parse::<u32>().ok());
            let conf = lines.iter().find_map(|l| l.value.split("Using configuration file: ").nth(1).map(str::trim));
            let conf = conf.map(|c| c.split(" (sha256").next().unwrap_or(c).to_string());
            STARTED.lock().expect("started").push((pid.expect("log lines start with [pid]"), conf.expect("logged")));
            Ok(Box::new(Panicky(server)) as Box<dyn RunningServer>)
        })
    }
}

/// Every server the backend started: its pid and its config file.
static STARTED: std::sync::Mutex<Vec<(u32, String)>> = std::sync::Mutex::new(Vec::new());

struct Panicky(Box<dyn RunningServer>);

impl RunningServer for Panicky {
    fn client_addr(&self) -> SocketAddr {
        self.0.client_addr()
    }
    fn version(&self) -> Version {
        self.0.version()
    }
    fn log(&self) -> Timeline<String> {
        self.0.log()
    }
    fn ready_ms(&self) -> u64 {
        self.0.ready_ms()
    }
    fn stop(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.stop()
    }
    fn kill(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.kill()
    }
    fn pause(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.pause()
    }
    fn resume(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.resume()
    }
    fn restart(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        println!();
        for (pid, conf) in STARTED.lock().expect("started").iter() {
            println!("server-pid={pid}");
            println!("sandbox={}", Path::new(conf).parent().expect("parent").display());
        }
        for port in own_listeners() {
            println!("listening={port}");
        }
        let tmp = std::env::temp_dir();
        println!("temp-entries={}", std::fs::read_dir(&tmp).map_or(0, Iterator::count));
        panic!("deliberate panic in the middle of a scenario");
    }
    fn reload(&mut self, config: Option<String>) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.reload(config)
    }
    fn lame_duck(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        self.0.lame_duck()
    }
    fn shutdown(self: Box<Self>) -> BoxFuture<'static, Result<(), ServerError>> {
        self.0.shutdown()
    }
}

/// The TCP ports this process listens on (its wire taps): LISTEN rows of `/proc/self/net/tcp`
/// whose socket is one of this process's file descriptors.
fn own_listeners() -> Vec<u16> {
    let inodes: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|l| l.to_str()?.strip_prefix("socket:[")?.strip_suffix(']').map(str::to_string))
        .collect();
    let table = std::fs::read_to_string("/proc/self/net/tcp").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let (local, state, inode) = (cols.get(1)?, cols.get(3)?, cols.get(9)?);
            (*state == "0A" && inodes.iter().any(|i| i == inode))
                .then(|| u16::from_str_radix(local.rsplit(':').next()?, 16).ok())
                .flatten()
        })
        .collect()
}

/// Run only as the child of the next test.
#[tokio::test]
// Ignored: a helper child process, started by its parent test with an environment variable.
#[ignore = "run by a_panic_mid_scenario_leaves_no_server_tap_or_temp_folder"]
async fn child_panics_mid_scenario() {
    if std::env::var_os(CHILD_VAR).is_none() {
        return;
    }
    play_and_panic("scenarios/server-unreachable/server-restart.toml").await;
}

/// Run only as the child of `a_panic_mid_topology_leaves_no_server_tap_or_temp_folder`.
#[tokio::test]
// Ignored: a helper child process, started by its parent test with an environment variable.
#[ignore = "run by a_panic_mid_topology_leaves_no_server_tap_or_temp_folder"]
async fn child_panics_mid_topology() {
    if std::env::var_os(CHILD_VAR).is_none() {
        return;
    }
    play_and_panic("fixtures/topology/three-node-restart.toml").await;
}

/// Plays `file` on [`PanicOnRestart`], says when it unwound, and waits for the parent to look.
async fn play_and_panic(file: &str) {
    let path = support::root().join(file);
    let scenario = natsfault::spec::load_file(&path).expect("scenario");
    let play = natsfault::runner::play(&scenario, &PanicOnRestart, support::version());
    let played = std::panic::AssertUnwindSafe(play).catch_unwind().await;
    assert!(played.is_err(), "the scenario panicked");
    println!("unwound");
    // The parent looks now, and closes stdin when done.
    tokio::task::spawn_blocking(|| std::io::stdin().read(&mut [0u8; 1])).await.expect("stdin").ok();
}

/// What the child held when it panicked.
#[derive(Debug, Default)]
struct Held {
    pids: Vec<u32>,
    sandboxes: Vec<PathBuf>,
    ports: Vec<u16>,
    temp_entries: usize,
}

fn process_alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    !stat.is_empty() && !stat.contains(") Z ")
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_secs(1)).is_ok()
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).expect("temp dir").flatten().map(|e| e.path()).collect()
}

/// Waits (bounded) until `gone` holds; false if it never did.
fn eventually(mut gone: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + GONE_WAIT;
    loop {
        if gone() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Nothing the child held is left: no server process, no listener, nothing in its temp dir.
fn assert_nothing_left(held: &Held, tmp: &Path, when: &str) {
    for pid in &held.pids {
        assert!(eventually(|| !process_alive(*pid)), "{when}: nats-server {pid} still running");
    }
    for port in &held.ports {
        assert!(eventually(|| !port_open(*port)), "{when}: the tap on 127.0.0.1:{port} still accepts");
    }
    assert!(eventually(|| entries(tmp).is_empty()), "{when}: left in the child's TMPDIR: {:?}", entries(tmp));
}

#[test]
fn a_panic_mid_scenario_leaves_no_server_tap_or_temp_folder() {
    parent("child_panics_mid_scenario", 1);
}

#[test]
fn a_panic_mid_topology_leaves_no_server_tap_or_temp_folder() {
    parent("child_panics_mid_topology", 3);
}

/// Runs `child`, checks it held `servers` servers when it panicked, and that nothing is left.
fn parent(child: &str, servers: usize) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([child, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, "1")
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the child");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut held = Held::default();
    let deadline = Instant::now() + CHILD_WAIT;
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("the child did not unwind within {CHILD_WAIT:?}: {held:?}"));
        if line == "unwound" {
            break;
        }
        if let Some(v) = line.strip_prefix("server-pid=") {
            held.pids.push(v.parse().expect("pid"));
        } else if let Some(v) = line.strip_prefix("sandbox=") {
            held.sandboxes.push(PathBuf::from(v));
        } else if let Some(v) = line.strip_prefix("listening=") {
            held.ports.push(v.parse().expect("port"));
        } else if let Some(v) = line.strip_prefix("temp-entries=") {
            held.temp_entries = v.parse().expect("count");
        }
    }
    assert_eq!(held.pids.len(), servers, "{servers} servers were running: {held:?}");
    assert!(!held.ports.is_empty(), "a wire tap was listening: {held:?}");
    assert!(held.temp_entries >= 2, "the server's sandbox and the creds folder existed: {held:?}");
    let canonical = tmp.path().canonicalize().expect("canonical");
    assert!(
        held.sandboxes.iter().all(|s| s.starts_with(tmp.path()) || s.starts_with(&canonical)),
        "the sandbox is in the child's TMPDIR: {held:?}"
    );

    assert_nothing_left(&held, tmp.path(), "after the panic, the child still running");
    drop(child.stdin.take());
    let exited = eventually(|| matches!(child.try_wait(), Ok(Some(_))));
    if !exited {
        let _ = child.kill();
    }
    assert!(exited, "the child exits once stdin closes");
    assert_eq!(child.wait().expect("status").code(), Some(0), "the child saw its scenario panic");
    assert_nothing_left(&held, tmp.path(), "after the child exited");
}
