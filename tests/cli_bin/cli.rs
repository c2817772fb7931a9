//! The `natsfault` command: exit codes, reports of a deliberately broken scenario, and the
//! environment errors. (Built as a test of the `natsfault` package, which owns the binary.)

#[path = "../support/mod.rs"]
mod support;

use std::process::{Command, Output};

fn natsfault(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_natsfault"));
    cmd.current_dir(support::root()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("natsfault runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn a_scenario_broken_on_purpose_exits_1_and_shows_expected_and_observed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original =
        std::fs::read_to_string(support::root().join("scenarios/permissions/guide-example.toml")).expect("read");
    let broken = original.replacen(
        "server-err = 'Permissions Violation for Publish to \"analytics.events.user_signup\"'",
        "server-err = 'Permissions Violation for Publish to \"data.events\"'",
        1,
    );
    assert_ne!(broken, original, "the expectation to break was found");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, broken).expect("write");
    let out = natsfault(&["run", path.to_str().expect("utf-8")], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("expected: -ERR 'Permissions Violation for Publish to \"data.events\"'"), "{t}");
    assert!(
        t.contains("observed: -ERR 'Permissions Violation for Publish to \"analytics.events.user_signup\"'"),
        "{t}"
    );
    assert!(t.contains("Publish Violation"), "the server log excerpt explains it: {t}");
    assert!(t.contains("rerun: natsfault run"), "{t}");
}

#[test]
fn json_and_junit_reports() {
    let out = natsfault(&["run", "scenarios/no-credentials/wrong-password.toml", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let r = &v[0];
    assert_eq!(r["status"], "passed");
    assert_eq!(r["cause"], "no-credentials");
    assert_eq!(r["backend"], "process");
    assert_eq!(r["phases"][0]["phase"], "broken");
    let obs = r["phases"][0]["observations"].as_array().expect("observations");
    assert!(obs.iter().any(|o| o["kind"] == "client-error" && o["error_kind"] == "AuthorizationViolation"));
    assert!(obs.iter().any(|o| o["kind"] == "server-err" && o["text"] == "Authorization Violation"));
    let out = natsfault(&["run", "scenarios/no-credentials/wrong-password.toml", "--format", "junit"], &[]);
    let x = String::from_utf8_lossy(&out.stdout);
    assert!(x.starts_with("<?xml") && x.contains("<testcase") && x.contains("[fixed]"), "{x}");
}

#[test]
fn invalid_files_exit_2_with_positions() {
    let out = natsfault(&["check", "fixtures/invalid-scenarios/many-problems.toml"], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("many-problems.toml:13:10"), "{t}");
    assert!(t.contains("undefined client `ghost`"), "{t}");
    let out = natsfault(&["run", "fixtures/invalid-scenarios/syntax-error.toml"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn a_missing_server_binary_exits_3_naming_the_fix() {
    let out = natsfault(&["run", "scenarios/no-credentials/wrong-token.toml", "--server-version", "2.1.0"], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(3), "{t}");
    assert!(t.contains("scripts/fetch-nats-server.sh 2.1.0"), "{t}");
}

#[test]
fn list_and_check_the_shipped_scenarios() {
    let out = natsfault(&["list", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v.as_array().is_some_and(|a| a.len() >= 10));
    let out = natsfault(&["check", "scenarios"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if cmdline.contains(needle) && !stat.contains(") Z ") {
            found.push(cmdline);
        }
    }
    found
}

#[test]
fn sigint_mid_run_leaves_no_server_and_no_sandbox() {
    use std::io::{BufRead, BufReader};
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp_path = tmp.path().to_str().expect("utf-8").to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(["run", "scenarios", "--jobs", "2"])
        .env("TMPDIR", &tmp_path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("natsfault starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // Once one scenario finished, others are running: interrupt then.
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(first.starts_with("pass") || first.starts_with("FAIL"), "first line: {first}");
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let status = child.wait().expect("natsfault exits");
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("tmp").flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "sandboxes left behind: {left:?}");
    let running = processes_mentioning(&tmp_path);
    assert!(running.is_empty(), "servers left running: {running:?}");
}
