//! The `natsfault` command: exit codes, reports of a deliberately broken scenario, and the
//! environment errors. (Built as a test of the `natsfault` package, which owns the binary.)

#[path = "../support/mod.rs"]
mod support;

/// Bad arguments of every command (counts, empty folders, subjects, FIFOs): exit 2, exact stderr.
mod bad_args;
/// The bad-input catalogue of `diagnose`: bad creds files and configs, exit 2 with positions.
mod bad_input;
/// `diagnose --password-file` and `--token-file`.
mod diagnose_files;
/// A client-library driver that crashes or hangs: a harness failure within a bound, nothing left.
mod drivers;
/// Config, creds and seed files are 0600 and their folders 0700 while the server runs.
mod file_modes;
/// The JetStream store: inside the phase's sandbox, gone after a run and after Ctrl-C.
mod jetstream_store;
/// `kill -9` of a run, then another run; Ctrl-C of a diagnosis: nothing left.
mod leftovers;
/// Every door through the one plan: variables, outside includes, big files, hostile scenarios.
mod one_door;
/// Literal secrets planted everywhere stay out of every output.
mod planted_secrets;
/// `verify`, `contract --from-config` and `run --partition`.
mod team;
/// `versions`, `bisect`, a sharded matrix and its merge, a release fetched on first use.
mod upgrade;

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
    // A file that is not UTF-8 is read through the same checks, at its first bad byte.
    let out = natsfault(&["check", "fixtures/invalid-scenarios/not-utf-8.toml"], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("not-utf-8.toml:3:19") && t.contains("expected UTF-8 text, found the byte `0xe9`"), "{t}");
    // Every problem of a file at once, at every level `versions` is accepted.
    let out = natsfault(&["check", "fixtures/invalid-scenarios/empty-version-range.toml"], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    for at in ["4:12", "9:20", "16:12", "22:57", "28:29"] {
        assert!(t.contains(&format!("empty-version-range.toml:{at}")), "{at} missing: {t}");
    }
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

#[test]
fn sigint_mid_topology_leaves_no_server_and_no_sandbox() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp_path = tmp.path().to_str().expect("utf-8").to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(["run", "fixtures/topology/three-node-restart.toml"])
        .env("TMPDIR", &tmp_path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("natsfault starts");
    // Interrupt once its three servers run.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while processes_mentioning(&tmp_path).len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let running = processes_mentioning(&tmp_path);
    assert_eq!(running.len(), 3, "three servers ran: {running:?}");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_bridge_command_serves_a_real_server_from_a_real_endpoint() {
    use natsfault::backend::{Backend, ProcessBackend, ServerSpec};
    use std::io::{BufRead, BufReader};
    use wiremock::matchers::{body_string_contains, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let issuer = natsfault::credentials::keys::account();
    let config = format!(
        "accounts {{\n AUTH {{ users: [ {{ user: auth, password: bridge-pass }} ] }}\n APP {{}}\n SYS {{}}\n}}\n\
         system_account: SYS\n\
         authorization {{ timeout: 1\n auth_callout {{ issuer: {}\n account: AUTH\n auth_users: [ auth ] }} }}\n",
        issuer.public_key()
    );
    let server =
        ProcessBackend.start(&ServerSpec::new(support::version(), config).label("cli-bridge")).await.expect("server");
    let endpoint = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth"))
        .and(header("authorization", "Bearer good-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"user": "alice", "permissions": {"pub": ["data.>"], "sub": ["data.>"]}}),
            ),
        )
        .mount(&endpoint)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("bad-token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&endpoint)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let seed_file = dir.path().join("issuer.nk");
    std::fs::write(&seed_file, issuer.seed()).expect("seed");
    let pass_file = dir.path().join("auth.pass");
    std::fs::write(&pass_file, "bridge-pass").expect("password");
    let mut bridge = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .args(["auth-bridge", "--nats-url", &format!("nats://{}", server.client_addr())])
        .args(["--auth-url", &format!("{}/auth", endpoint.uri())])
        .arg("--issuer-seed")
        .arg(&seed_file)
        .arg("--auth-password-file")
        .arg(&pass_file)
        .args(["--timeout", "800ms"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bridge starts");
    let stderr = bridge.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let first = tokio::task::spawn_blocking(move || (lines.next(), lines)).await.expect("read");
    let (first, lines) = first;
    assert!(first.and_then(Result::ok).unwrap_or_default().contains("serving"), "the bridge says it serves");

    let url = format!("nats://{}", server.client_addr());
    let ok = async_nats::ConnectOptions::with_token("good-token".into()).connect(&url).await;
    assert!(ok.is_ok(), "the endpoint's 200 lets the client in: {ok:?}");
    let bad = async_nats::ConnectOptions::with_token("bad-token".into()).max_reconnects(1).connect(&url).await;
    assert_eq!(bad.err().map(|e| e.kind()), Some(async_nats::ConnectErrorKind::AuthorizationViolation));
    let calls = endpoint.received_requests().await.expect("recording").len();
    assert_eq!(calls, 2, "one call per client");

    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(bridge.id() as libc::pid_t, libc::SIGTERM);
    }
    let status = bridge.wait().expect("bridge exits");
    assert_eq!(status.code(), Some(0));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let log = rest.join("\n");
    assert!(log.contains("authorized as `alice`"), "{log}");
    assert!(!log.contains("good-token") && !log.contains("bridge-pass"), "no secret in the bridge's output: {log}");
}
