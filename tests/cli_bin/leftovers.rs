//! Nothing is left after `kill -9` of a run or Ctrl-C of a diagnosis: the next run sweeps the
//! dead run's temp folders (creds files with seeds among them), and its servers die with it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{processes_mentioning, support};

fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir).expect("tmp").flatten().map(|e| e.path()).collect()
}

/// Waits (bounded) until `done` holds.
fn wait_until(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

fn signal(child: &std::process::Child, sig: libc::c_int) {
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, sig);
    }
}

#[test]
fn kill_9_mid_run_then_a_new_run_leaves_nothing_of_the_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp_path = tmp.path().to_str().expect("utf-8").to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(["run", "scenarios", "--jobs", "2"])
        .env("TMPDIR", &tmp_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("natsfault starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(first.starts_with("pass") || first.starts_with("FAIL"), "first line: {first}");
    signal(&child, libc::SIGKILL);
    child.wait().expect("reaped");
    // Its servers die with it (parent-death signal), bounded.
    assert!(
        wait_until(Duration::from_secs(5), || processes_mentioning(&tmp_path).is_empty()),
        "servers outlived a killed run: {:?}",
        processes_mentioning(&tmp_path)
    );
    let left = entries(tmp.path());
    assert!(!left.is_empty(), "a killed run left no folder: the test would prove nothing");

    let next = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(["run", "scenarios/no-credentials/wrong-token.toml"])
        .env("TMPDIR", &tmp_path)
        .output()
        .expect("second run");
    assert_eq!(next.status.code(), Some(0), "{}", String::from_utf8_lossy(&next.stdout));
    let after = entries(tmp.path());
    assert!(after.is_empty(), "left after the next run: {after:?} (the killed run left {left:?})");
}

#[test]
fn sigint_mid_diagnose_exits_130_and_leaves_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp_path = tmp.path().to_str().expect("utf-8").to_string();
    // A paused server: the client waits for its connect timeout, long enough to interrupt.
    let mut child = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(["diagnose", "--config", "fixtures/diagnose/permissions/users.conf", "--server-state", "paused"])
        .env("TMPDIR", &tmp_path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("natsfault starts");
    let started = wait_until(Duration::from_secs(10), || !processes_mentioning(&tmp_path).is_empty());
    assert!(started, "the diagnosis never started its server");
    signal(&child, libc::SIGINT);
    let status = child.wait().expect("exits");
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(
        wait_until(Duration::from_secs(5), || processes_mentioning(&tmp_path).is_empty()),
        "servers left running: {:?}",
        processes_mentioning(&tmp_path)
    );
    let left = entries(tmp.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}
