//! The JetStream store stays inside the phase's sandbox and goes with it: after a run, after
//! Ctrl-C, and whatever `store_dir` a config names (a scenario's is refused before anything runs).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = "fixtures/jetstream/file-store.toml";

fn root() -> PathBuf {
    super::support::root()
}

fn natsfault(tmp: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_natsfault"));
    c.current_dir(root()).env("TMPDIR", tmp).env_remove("NATSFAULT_KEEP").stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

fn sandboxes(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("natsfault-file-store")))
        .collect()
}

#[test]
fn the_store_is_inside_the_sandbox_and_leaves_with_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = natsfault(tmp.path()).env("NATSFAULT_KEEP", "1").args(["run", SCENARIO]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let kept = sandboxes(tmp.path());
    assert_eq!(kept.len(), 2, "one sandbox per phase: {kept:?}");
    for sandbox in &kept {
        let store = sandbox.join("jetstream");
        assert!(store.is_dir(), "no store in {}: {:?}", sandbox.display(), walk(sandbox));
    }
    // The stream's files are in a sandbox's store, and nowhere else in the temp dir.
    let streams: Vec<PathBuf> = walk(tmp.path()).into_iter().filter(|p| p.ends_with("streams/FILES")).collect();
    assert!(!streams.is_empty(), "{:?}", walk(tmp.path()));
    for s in &streams {
        assert!(kept.iter().any(|k| s.starts_with(k.join("jetstream"))), "{} outside a sandbox's store", s.display());
    }
    assert!(!root().join("jetstream").exists(), "a store in the working directory");
    // The config names its own `store_dir`: the door blanks it, the store is the sandbox's.
    assert!(!Path::new("/var/lib/natsfault-store-canary").exists(), "the config's own store_dir was used");
    for k in kept {
        std::fs::remove_dir_all(k).expect("remove kept sandbox");
    }

    let out = natsfault(tmp.path()).args(["run", SCENARIO]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(sandboxes(tmp.path()).is_empty(), "left after a run: {:?}", walk(tmp.path()));
}

#[test]
fn ctrl_c_while_the_store_exists_leaves_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = natsfault(tmp.path()).args(["run", SCENARIO]).spawn().expect("spawn");
    // Bounded wait until the broken phase's stream is on disk.
    let until = Instant::now() + Duration::from_secs(20);
    let on_disk = || walk(tmp.path()).iter().any(|p| p.ends_with("streams/FILES"));
    while !on_disk() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(on_disk(), "the stream never reached the store: {:?}", walk(tmp.path()));
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let until = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < until, "natsfault did not exit after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    assert!(sandboxes(tmp.path()).is_empty(), "left after Ctrl-C: {:?}", walk(tmp.path()));
}

#[test]
fn a_sigpipe_while_stdout_is_open_does_not_kill_a_run() {
    // A client library writing to a socket the server closed raises SIGPIPE; only a closed
    // stdout may end natsfault quietly.
    let tmp = tempfile::tempdir().expect("tempdir");
    let child = natsfault(tmp.path()).args(["run", SCENARIO]).spawn().expect("spawn");
    let until = Instant::now() + Duration::from_secs(20);
    let on_disk = || walk(tmp.path()).iter().any(|p| p.ends_with("streams/FILES"));
    while !on_disk() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(on_disk(), "the run never reached its store");
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGPIPE);
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{:?}: {}", out.status, String::from_utf8_lossy(&out.stdout));
}
