//! A client-library driver that crashes or hangs is a harness failure of that client, reported
//! within a bound, and nothing it started is left running.

use std::time::{Duration, Instant};

use super::{natsfault, support, text};

/// Whether process `pid` still runs (a zombie does not).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

/// Plays the guide's publish scenario with nats-py replaced by `script`; returns the output, the
/// wall time and every pid the script wrote.
fn play_with_driver(script: &str) -> (std::process::Output, Duration, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pids = dir.path().join("pids");
    let driver = format!("sh {}", support::root().join("fixtures/drivers").join(script).display());
    let began = Instant::now();
    let out = natsfault(
        &["run", "scenarios/permissions/guide-example.toml", "--clients", "nats-py", "--format", "json"],
        &[("NATSFAULT_DRIVER_NATS_PY", &driver), ("NATSFAULT_TEST_PID_FILE", pids.to_str().expect("utf-8"))],
    );
    let took = began.elapsed();
    let pids = std::fs::read_to_string(&pids).unwrap_or_default().split_whitespace().map(str::to_string).collect();
    (out, took, pids)
}

/// The longest step of the report.
fn longest_step_ms(stdout: &[u8]) -> u64 {
    let v: serde_json::Value = serde_json::from_slice(stdout).expect("a JSON report");
    let steps = v.pointer("/scenarios/0/phases").or_else(|| v.pointer("/0/phases")).cloned().unwrap_or_default();
    steps
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s["duration_ms"].as_u64())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_driver_that_hangs_is_killed_and_reported_within_its_bound() {
    let (out, took, pids) = play_with_driver("hang.sh");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("the nats-py driver did not answer `connect` within 5.00s; it was killed"), "{t}");
    // Connect timeout (2 s) plus the driver's grace (3 s): no step waits longer than that.
    let longest = longest_step_ms(&out.stdout);
    assert!((4500..7000).contains(&longest), "the hung connect took {longest} ms");
    assert!(took < Duration::from_secs(30), "the run took {took:?}");
    assert!(pids.len() >= 4, "both phases started the driver and its helper: {pids:?}");
    let left: Vec<&String> = pids.iter().filter(|p| running(p)).collect();
    assert!(left.is_empty(), "still running after the run: {left:?}");
}

#[test]
fn a_driver_that_crashes_is_reported_at_once_with_its_status_and_stderr() {
    let (out, took, pids) = play_with_driver("crash.sh");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("the nats-py driver exited during `connect` (exit status: 3)"), "{t}");
    assert!(t.contains("boom: the driver crashed on purpose"), "its stderr is quoted: {t}");
    assert!(longest_step_ms(&out.stdout) < 2000, "a crash is reported at once: {t}");
    assert!(took < Duration::from_secs(20), "the run took {took:?}");
    assert!(pids.iter().all(|p| !running(p)), "still running: {pids:?}");
}

#[test]
fn a_missing_driver_is_one_skipped_line_and_an_error_under_ci() {
    let cache = tempfile::tempdir().expect("tempdir");
    let server = support::root().join(".cache/nats-server/2.15.1");
    std::fs::create_dir_all(cache.path().join("nats-server")).expect("mkdir");
    std::os::unix::fs::symlink(&server, cache.path().join("nats-server/2.15.1")).expect("symlink");
    let dir = cache.path().to_str().expect("utf-8");
    let args = ["run", "scenarios/permissions/guide-example.toml", "--clients", "async-nats,nats.go"];
    let out = natsfault(&args, &[("NATSFAULT_CACHE_DIR", dir), ("CI", "false")]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert_eq!(t.matches("natsfault: skipped nats.go: the nats.go driver is not installed").count(), 1, "{t}");
    assert!(t.contains("async-nats  pass"), "async-nats still plays: {t}");
    let out = natsfault(&args, &[("NATSFAULT_CACHE_DIR", dir), ("CI", "true")]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(3), "{t}");
    assert!(t.contains("natsfault: --clients: the nats.go driver is not installed"), "{t}");
}

/// `run --clients`: a library the file does not assert that fails an expectation `differs` (exit
/// 0, listed in the side-by-side table); once the file names the library (`by-library`), the
/// same failure fails the run (exit 1).
#[test]
fn a_library_the_file_does_not_assert_differs_and_one_it_names_fails() {
    use natsfault::client::driver::program_for;
    use natsfault::spec::Library;
    if let Err(why) = program_for(Library::NatsPy) {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "the nats-py driver is missing under CI: {why}");
        return;
    }
    let source = std::fs::read_to_string(
        support::root().join("scenarios/server-unreachable/connected-client-server-paused.toml"),
    )
    .expect("scenario");
    let dir = tempfile::tempdir().expect("tempdir");
    let unasserted = dir.path().join("paused.toml");
    std::fs::write(&unasserted, &source).expect("write");
    let args = |p: &std::path::Path| {
        ["run".to_string(), p.display().to_string(), "--clients".into(), "async-nats,nats-py".into()]
    };
    let a = args(&unasserted);
    let out = natsfault(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("nats-py  differs"), "{t}");
    assert!(t.contains("- broken 4 await app:"), "the step where they part is listed: {t}");
    assert!(t.contains("1 differ where the file asserts nothing"), "{t}");
    assert!(t.contains("They disagree at:"), "{t}");

    // The file names nats-py with an event nats-py never reports: asserted, so it fails.
    let named = source.replacen(
        r#"expect = { event = "disconnected", within = "3s", elapsed = "200ms..3s" }"#,
        r#"expect = { event = "disconnected", within = "3s", elapsed = "200ms..3s", by-library.nats-py = { event = "error: never reported" } }"#,
        1,
    );
    assert_ne!(named, source, "the step to name nats-py at");
    let asserted = dir.path().join("paused-named.toml");
    std::fs::write(&asserted, named).expect("write");
    let a = args(&asserted);
    let out = natsfault(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("nats-py  FAIL"), "{t}");
}
