//! The process backend's lifecycle on a real nats-server: ready means a round trip works; pause,
//! resume, kill, restart on the same address; a refused config is an observation; nothing is left
//! behind.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use async_nats::{ConnectErrorKind, ConnectOptions};
use natsfault::backend::{Backend, ProcessBackend, RunningServer, ServerError, ServerSpec};

async fn connect(s: &dyn RunningServer, timeout: Duration) -> Result<async_nats::Client, ConnectErrorKind> {
    ConnectOptions::new()
        .connection_timeout(timeout)
        .connect(format!("nats://{}", s.client_addr()))
        .await
        .map_err(|e| e.kind())
}

/// The sandbox and pid, read from the server's own log.
fn sandbox_and_pid(s: &dyn RunningServer) -> (PathBuf, u32) {
    let lines = s.log().all();
    let conf = lines
        .iter()
        .find_map(|l| l.value.split("Using configuration file: ").nth(1).map(|p| PathBuf::from(p.trim())))
        .expect("the server logs its configuration file");
    let pid = lines.iter().find_map(|l| pid_of(&l.value)).expect("log lines start with [pid]");
    (conf.parent().expect("config has a parent").to_path_buf(), pid)
}

fn pid_of(line: &str) -> Option<u32> {
    line.strip_prefix('[')?.split(']').next()?.parse().ok()
}

#[tokio::test]
async fn start_pause_resume_kill_restart_and_clean_up() {
    let spec = ServerSpec::new(support::version(), "").label("lifecycle");
    let mut server = ProcessBackend.start(&spec).await.expect("server starts");
    let addr = server.client_addr();
    assert!(addr.ip().is_loopback());
    let (dir, pid) = sandbox_and_pid(server.as_ref());
    assert!(dir.join("nats.conf").is_file());

    let client = connect(server.as_ref(), Duration::from_secs(2)).await.expect("round trip");
    client.flush().await.expect("flush");

    server.pause().await.expect("pause");
    let paused = connect(server.as_ref(), Duration::from_millis(300)).await;
    assert_eq!(paused.err(), Some(ConnectErrorKind::TimedOut), "a paused server accepts TCP but sends no INFO");
    assert!(matches!(server.pause().await, Err(ServerError::WrongState { .. })));
    server.resume().await.expect("resume");
    connect(server.as_ref(), Duration::from_secs(2)).await.expect("round trip after resume");

    server.kill().await.expect("kill");
    let killed = connect(server.as_ref(), Duration::from_secs(1)).await;
    assert_eq!(killed.err(), Some(ConnectErrorKind::Io), "a killed server refuses connections");

    server.restart().await.expect("restart");
    assert_eq!(server.client_addr(), addr, "restart keeps the address");
    connect(server.as_ref(), Duration::from_secs(2)).await.expect("round trip after restart");
    let (_, new_pid) = sandbox_and_pid(server.as_ref());
    assert_eq!(new_pid, pid, "the log keeps the first start's lines");

    server.stop().await.expect("graceful stop");
    server.restart().await.expect("restart after stop");
    let pid_now = server.log().all().iter().rev().find_map(|l| pid_of(&l.value)).expect("pid");
    server.shutdown().await.expect("shutdown");
    assert!(!dir.exists(), "the sandbox {} is removed", dir.display());
    assert!(!PathBuf::from(format!("/proc/{pid_now}")).exists(), "the server process {pid_now} is gone");
}

#[tokio::test]
async fn drop_kills_the_server() {
    let spec = ServerSpec::new(support::version(), "").label("drop");
    let server = ProcessBackend.start(&spec).await.expect("server starts");
    let (dir, pid) = sandbox_and_pid(server.as_ref());
    drop(server);
    // The kill is immediate; reaping is the runtime's, so allow a bounded moment for /proc.
    let mut gone = false;
    for _ in 0..200 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat.is_empty() || stat.contains(") Z ") {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(gone, "server {pid} still running after drop");
    assert!(!dir.exists());
}

#[tokio::test]
async fn a_refused_config_is_an_observation() {
    let spec = ServerSpec::new(support::version(), "auth_url: \"http://127.0.0.1:1/auth\"\n").label("refused");
    match ProcessBackend.start(&spec).await {
        Err(ServerError::Refused { exit, message }) => {
            assert_eq!(exit, "1");
            assert_eq!(message, "nats.conf:1:0: unknown field \"auth_url\"");
        }
        Err(e) => panic!("expected a refusal, got {e}"),
        Ok(_) => panic!("expected a refusal, the server started"),
    }
}

#[tokio::test]
async fn a_missing_binary_names_the_install_command() {
    let missing: natsfault::spec::Version = "2.0.0".parse().expect("version");
    let spec = ServerSpec::new(missing, "");
    match ProcessBackend.start(&spec).await {
        Err(e @ ServerError::BinaryMissing { .. }) => {
            assert!(e.is_environment());
            assert!(e.to_string().contains("scripts/fetch-nats-server.sh 2.0.0"), "{e}");
        }
        Err(e) => panic!("expected BinaryMissing, got {e}"),
        Ok(_) => panic!("2.0.0 should not be installed"),
    }
}
