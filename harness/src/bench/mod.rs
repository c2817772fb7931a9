//! `natsfault bench`: how much time the harness adds to what nats-server itself needs.
//!
//! Four measurements, taken in one run so their ratios compare like with like:
//! the floor (`floor`: a bare nats-server from spawn to its first PONG), the overhead of each
//! scenario phase on the process backend (`phases`, minus the waits the scenario intends, see
//! `intended`), a container's start against a bare `docker run` (`container`), and the
//! suite's wall time per backend and per `--jobs` (`suite`), and a three-node cluster's start to
//! ready against three bare starts (`topology`).

mod container;
mod contract;
mod error;
mod floor;
mod intended;
mod model;
mod phases;
mod pong;
mod render;
mod run;
mod stats;
mod suite;
mod topology;

pub use container::{BARE_RETRY, measure_containers};
pub use contract::{CONTRACT_BENCH, CONTRACT_TARGET, ContractBench, measure_contract};
pub use error::{BenchError, BenchErrorKind};
pub use floor::bare_process_start;
pub use intended::{Rule, Wait, intended_wait};
pub use model::{
    BenchReport, CONTAINER_TARGET, ContainerBench, JobsPoint, OVERHEAD_TARGET, OverheadSummary, PhaseOverhead,
    SUITE_TARGET, SuiteTime, TOPOLOGY_TARGET, TopologyBench,
};
pub use phases::measure_phases;
pub use pong::ping_pong;
pub use render::render;
pub use run::{BenchOptions, bench};
pub use stats::{Summary, median};
pub use suite::time_suite;
pub use topology::topology_bench;
