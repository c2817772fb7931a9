//! One `natsfault bench` run: every measurement in turn, one thing at a time.

use std::path::PathBuf;

use super::container::measure_containers;
use super::error::{BenchError, BenchErrorKind};
use super::floor::bare_process_start;
use super::model::{BenchReport, JobsPoint, OVERHEAD_TARGET, OverheadSummary};
use super::phases::measure_phases;
use super::stats::{Summary, median, ms};
use super::suite::time_suite;
use crate::backend::nats_server_binary;
use crate::spec::{Scenario, Version};

/// The `--jobs` values the suite is timed at.
pub const JOBS: [usize; 3] = [1, 2, 4];

/// What to measure.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// The scenario files or folders, as given to `natsfault run`.
    pub paths: Vec<PathBuf>,
    /// The scenarios loaded from them.
    pub scenarios: Vec<Scenario>,
    /// The nats-server version.
    pub version: Version,
    /// Repetitions of the floor, each phase, and each container start.
    pub runs: usize,
    /// Whether to measure containers (skipped anyway without an engine).
    pub containers: bool,
    /// The `natsfault` binary the suite runs use.
    pub exe: PathBuf,
}

/// Takes every measurement; `say` gets one line of progress at a time.
pub async fn bench(opts: &BenchOptions, mut say: impl FnMut(&str)) -> Result<BenchReport, BenchError> {
    let runs = opts.runs.max(1);
    let binary = nats_server_binary(opts.version).map_err(|e| BenchError::new("floor", e))?;
    // One unmeasured start warms the page cache.
    bare_process_start(&binary).await.map_err(|e| BenchError::new("floor", e))?;
    let mut floor = Vec::with_capacity(runs);
    for _ in 0..runs {
        floor.push(ms(bare_process_start(&binary).await.map_err(|e| BenchError::new("floor", e))?));
    }
    let floor = Summary::of(&floor).ok_or_else(|| BenchError::new("floor", no_runs()))?;
    say(&format!("floor: bare nats-server spawn to first PONG, median {:.1}ms of {runs}", floor.median_ms));

    let total = opts.scenarios.len() * runs;
    let mut done = 0;
    let (phases, ready) = measure_phases(&opts.scenarios, opts.version, runs, floor.median_ms, |file| {
        done += 1;
        if done % opts.scenarios.len().max(1) == 0 {
            say(&format!("phases: {done}/{total} scenario runs (last {file})"));
        }
    })
    .await?;
    let ratios: Vec<f64> = phases.iter().map(|p| p.ratio).collect();
    let overhead = OverheadSummary {
        median_ratio: median(&ratios),
        max_ratio: ratios.iter().copied().fold(0.0, f64::max),
        target: OVERHEAD_TARGET,
        within_target: ratios.iter().filter(|r| **r <= OVERHEAD_TARGET).count(),
        phases: ratios.len(),
    };

    let contract_path = std::path::Path::new(super::contract::CONTRACT_BENCH);
    let contract = if contract_path.is_file() {
        let c = super::contract::measure_contract(contract_path, opts.version, runs).await?;
        say(&format!(
            "contract: {} lines in {:.1}ms against {:.1}ms for the start and {} connects ({:.2}x)",
            c.lines, c.verify.median_ms, c.start_and_connects.median_ms, c.identities, c.ratio
        ));
        Some(c)
    } else {
        None
    };

    let (containers, containers_skipped) = if !opts.containers {
        (None, Some("--no-containers".to_string()))
    } else {
        match measure_containers(opts.version, runs, |i| say(&format!("container: {i}/{runs} paired starts"))).await {
            Ok(c) => (Some(c), None),
            Err(e) if e.is_environment() => (None, Some(e.to_string())),
            Err(e) => return Err(e),
        }
    };

    let topology = super::topology::topology_bench(opts.version, runs, containers.is_some()).await?;
    for t in &topology {
        say(&format!("topology: {} 3-node cluster {:.2}x three bare starts", t.backend, t.ratio));
    }

    let mut suites = Vec::new();
    let backends: &[&str] = if containers.is_some() { &["process", "container"] } else { &["process"] };
    for b in backends {
        let t = time_suite(&opts.exe, &opts.paths, b, None, opts.version).await?;
        say(&format!("suite: {b} in {:.2}s ({} failed)", t.wall_ms / 1000.0, t.failed));
        suites.push(t);
    }
    let mut jobs = Vec::new();
    for j in JOBS {
        let t = time_suite(&opts.exe, &opts.paths, "process", Some(j), opts.version).await?;
        say(&format!("suite: process --jobs {j} in {:.2}s", t.wall_ms / 1000.0));
        jobs.push(t);
    }
    let base = jobs.first().map_or(0.0, |t| t.wall_ms);
    let jobs = jobs
        .into_iter()
        .map(|t| JobsPoint {
            jobs: t.jobs.unwrap_or(0),
            wall_ms: t.wall_ms,
            speedup: if t.wall_ms > 0.0 { base / t.wall_ms } else { 0.0 },
            failed: t.failed,
        })
        .collect();

    Ok(BenchReport {
        server_version: opts.version.to_string(),
        topology,
        runs,
        build: if cfg!(debug_assertions) { "debug" } else { "release" },
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        floor,
        process_ready: Summary::of(&ready),
        phases,
        overhead,
        containers,
        containers_skipped,
        suites,
        jobs,
        contract,
    })
}

fn no_runs() -> BenchErrorKind {
    BenchErrorKind::Command { command: "natsfault bench".into(), detail: "expected at least one run".into() }
}
