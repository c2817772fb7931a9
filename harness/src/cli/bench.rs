//! `natsfault bench`: measure the harness against bare nats-server, print the ratios, and write
//! the numbers as JSON.

use std::path::PathBuf;

use super::args::BenchArgs;
use super::{exit, prepare};
use crate::bench::{BenchOptions, bench as measure, render};
use crate::spec::Version;

/// Runs `natsfault bench`; returns the exit code: 0 measured (targets missed are reported, not
/// failed), 1 a scenario failed while measured, 2 bad arguments, 3 a binary is missing.
pub async fn bench(args: BenchArgs) -> i32 {
    let version: Version = match args.server_version.parse() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("natsfault: --server-version: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let scenarios = match prepare::scenarios(&args.paths, None) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("natsfault: cannot find the natsfault binary to time the suite: {e}");
            return exit::ENVIRONMENT;
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(super::DEFAULT_DIR)] } else { args.paths.clone() };
    let opts = BenchOptions { paths, scenarios, version, runs: args.runs, containers: !args.no_containers, exe };
    let report = match measure(&opts, |line| eprintln!("natsfault bench: {line}")).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("natsfault: bench: {e}");
            return if e.is_environment() { exit::ENVIRONMENT } else { exit::SCENARIO_FAILED };
        }
    };
    print!("{}", render(&report));
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    if let Err(e) = std::fs::write(&args.output, json + "\n") {
        eprintln!("natsfault: cannot write `{}`: {e}", args.output.display());
        return exit::ENVIRONMENT;
    }
    println!("\nnumbers written to {}", args.output.display());
    let failed = report.phases.iter().any(|p| p.passed < p.runs)
        || report.suites.iter().any(|t| t.failed > 0)
        || report.jobs.iter().any(|j| j.failed > 0);
    if failed {
        eprintln!("natsfault: bench: a scenario failed while measured; its numbers are suspect");
        return exit::SCENARIO_FAILED;
    }
    exit::OK
}
