//! What `natsfault bench` measured, as written to its JSON file.

use serde::Serialize;

use super::intended::Rule;
use super::stats::Summary;

/// The target for a phase's overhead, in floors (issue 25).
pub const OVERHEAD_TARGET: f64 = 1.5;
/// The target for a container's start, in bare `docker run` starts (issue 25).
pub const CONTAINER_TARGET: f64 = 1.15;
/// The target for the whole suite at the default `--jobs`, in its longest scenario's own time.
pub const SUITE_TARGET: f64 = 1.5;
/// The target for a three-node cluster's start to ready, in three bare starts at once.
pub const TOPOLOGY_TARGET: f64 = 1.5;

/// A three-node cluster's start to ready on one backend, against three bare starts at once.
#[derive(Clone, Debug, Serialize)]
pub struct TopologyBench {
    /// `process` or `container`.
    pub backend: String,
    /// Plan, bind, start the three servers and wait for both routes.
    pub harness: Summary,
    /// Three bare starts at once, to the last `PONG`.
    pub bare: Summary,
    /// The median of each pair's ratio.
    pub ratio: f64,
    /// [`TOPOLOGY_TARGET`].
    pub target: f64,
}

/// Every measurement of one `natsfault bench` run.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// The nats-server version measured.
    pub server_version: String,
    /// A three-node cluster's start to ready, per backend measured.
    pub topology: Vec<TopologyBench>,
    /// Repetitions of each measurement (the suite runs once per point).
    pub runs: usize,
    /// `debug` or `release`: the build of the `natsfault` measured.
    pub build: &'static str,
    /// Cores available.
    pub cores: usize,
    /// A bare nats-server from spawn to the first `PONG`.
    pub floor: Summary,
    /// The process backend's own start (its `ready_ms`) over every phase played.
    pub process_ready: Option<Summary>,
    /// Every scenario phase on the process backend.
    pub phases: Vec<PhaseOverhead>,
    /// The phases' overhead in floors.
    pub overhead: OverheadSummary,
    /// Container start against a bare `docker run`; `None` when skipped.
    pub containers: Option<ContainerBench>,
    /// Why the container measurements were skipped.
    pub containers_skipped: Option<String>,
    /// The whole suite per backend, at the default `--jobs`.
    pub suites: Vec<SuiteTime>,
    /// The suite on the process backend at `--jobs` 1, 2, 4.
    pub jobs: Vec<JobsPoint>,
    /// `verify` on a 50-line contract against one start plus its connects; `None` without the
    /// contract file (run from elsewhere than the repository).
    pub contract: Option<super::contract::ContractBench>,
}

/// One phase of one scenario on the process backend, medians over the runs.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseOverhead {
    /// The scenario file.
    pub file: String,
    /// `broken` or `fixed`.
    pub phase: String,
    /// Runs in which the phase passed, of all runs.
    pub passed: usize,
    /// All runs.
    pub runs: usize,
    /// Wall time of the phase.
    pub wall_ms: f64,
    /// The waits the scenario intends (see `bench::intended`).
    pub intended_ms: f64,
    /// Wall time minus intended waits.
    pub overhead_ms: f64,
    /// Overhead in floors.
    pub ratio: f64,
    /// Of the overhead: the server's start (`ready_ms`).
    pub start_ms: f64,
    /// Of the overhead: the steps' unintended time.
    pub steps_ms: f64,
    /// Of the overhead: the rest (sandbox, wire taps, stopping the server, the report).
    pub rest_ms: f64,
    /// The rules that made waits intended in this phase.
    pub rules: Vec<Rule>,
}

/// The overhead ratios of every phase.
#[derive(Clone, Debug, Serialize)]
pub struct OverheadSummary {
    /// The median ratio over phases.
    pub median_ratio: f64,
    /// The largest ratio.
    pub max_ratio: f64,
    /// The target ([`OVERHEAD_TARGET`]).
    pub target: f64,
    /// Phases at or under the target.
    pub within_target: usize,
    /// Phases measured.
    pub phases: usize,
}

/// Container start, harness against bare.
#[derive(Clone, Debug, Serialize)]
pub struct ContainerBench {
    /// The image.
    pub image: String,
    /// `ContainerBackend::start` until it returns a ready server (create, copy the config, attach,
    /// start, `Server is ready`, probe).
    pub harness: Summary,
    /// The backend's own `ready_ms` (from container creation on).
    pub harness_ready: Summary,
    /// `docker run -d -p 127.0.0.1::4222 IMAGE`, the port looked up, until the first `PONG`.
    pub bare_cli: Summary,
    /// The same request through the engine API (create, start), until the first `PONG`: the
    /// bare start without the `docker` command's own start-up.
    pub bare_api: Summary,
    /// Median of harness / bare_cli over paired runs.
    pub ratio: f64,
    /// Median of harness / bare_api over paired runs.
    pub ratio_api: f64,
    /// The target ([`CONTAINER_TARGET`]).
    pub target: f64,
}

/// One `natsfault run` of the whole suite.
#[derive(Clone, Debug, Serialize)]
pub struct SuiteTime {
    /// `process` or `container`.
    pub backend: String,
    /// `--jobs` (`None`: the default, twice the number of cores).
    pub jobs: Option<usize>,
    /// Wall time of the command.
    pub wall_ms: f64,
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed.
    pub failed: usize,
    /// The longest scenario's own time (its `duration_ms` in the report): no suite is shorter.
    pub longest_ms: f64,
    /// That scenario's file.
    pub longest_file: String,
}

/// The suite at one `--jobs` value.
#[derive(Clone, Debug, Serialize)]
pub struct JobsPoint {
    /// `--jobs`.
    pub jobs: usize,
    /// Wall time.
    pub wall_ms: f64,
    /// Wall time at `--jobs 1` divided by this one.
    pub speedup: f64,
    /// Scenarios that failed.
    pub failed: usize,
}
