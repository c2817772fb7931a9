//! The whole suite's wall time: `natsfault run PATHS --backend B [--jobs N] --format json`, as
//! someone would type it, from spawn to exit.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::process::Command;

use super::error::{BenchError, BenchErrorKind};
use super::model::SuiteTime;
use super::stats::ms;
use crate::spec::Version;

/// How long one suite run may take.
const SUITE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The part of a JSON report the timing needs.
#[derive(Deserialize)]
struct Played {
    file: String,
    status: String,
    duration_ms: u64,
}

/// Runs `natsfault` (the binary at `exe`) over `paths` on `backend` and times it.
///
/// ```no_run
/// # async fn demo() -> Result<(), natsfault::bench::BenchError> {
/// let exe = std::env::current_exe().unwrap();
/// let t = natsfault::bench::time_suite(&exe, &["scenarios".into()], "process", Some(1), "2.15.1".parse().unwrap()).await?;
/// println!("{} ms, {} failed", t.wall_ms, t.failed);
/// # Ok(()) }
/// ```
pub async fn time_suite(
    exe: &Path,
    paths: &[PathBuf],
    backend: &str,
    jobs: Option<usize>,
    version: Version,
) -> Result<SuiteTime, BenchError> {
    let fail = |k: BenchErrorKind| BenchError::new("suite", k);
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--backend".into(), backend.into(), "--format".into(), "json".into()]);
    args.extend(["--server-version".into(), version.to_string()]);
    if let Some(j) = jobs {
        args.extend(["--jobs".into(), j.to_string()]);
    }
    let command = format!("{} {}", exe.display(), args.join(" "));
    let began = Instant::now();
    let child = Command::new(exe)
        .args(&args)
        .env_remove("NATSFAULT_BACKEND")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(BenchErrorKind::io(format!("spawn `{command}`"))(e)))?;
    let out = match tokio::time::timeout(SUITE_TIMEOUT, child.wait_with_output()).await {
        Ok(r) => r.map_err(|e| fail(BenchErrorKind::io(format!("wait for `{command}`"))(e)))?,
        Err(_) => {
            return Err(fail(BenchErrorKind::Command {
                command,
                detail: format!("still running after {}s", SUITE_TIMEOUT.as_secs()),
            }));
        }
    };
    let wall = began.elapsed();
    let played: Vec<Played> = serde_json::from_slice(&out.stdout).map_err(|e| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        fail(BenchErrorKind::Command {
            command: command.clone(),
            detail: format!("{}: no JSON report ({e}): {tail}", out.status),
        })
    })?;
    let longest = played.iter().max_by_key(|p| p.duration_ms);
    Ok(SuiteTime {
        longest_ms: longest.map_or(0.0, |p| p.duration_ms as f64),
        longest_file: longest.map(|p| p.file.clone()).unwrap_or_default(),
        backend: backend.to_string(),
        jobs,
        wall_ms: ms(wall),
        passed: played.iter().filter(|p| p.status == "passed").count(),
        failed: played.iter().filter(|p| p.status == "failed").count(),
    })
}
