//! Every scenario file of a folder as its own test, for a `harness = false` test binary: the
//! arguments `cargo test` and `cargo nextest` pass are understood (filters, `--exact`, `--skip`,
//! `--list --format terse`, `--ignored`), the names are the file paths, so filters match them.
//!
//! ```toml
//! # Cargo.toml of the team's crate
//! [[test]]
//! name = "scenarios"
//! harness = false
//! ```
//!
//! ```no_run
//! // tests/scenarios.rs
//! fn main() -> std::process::ExitCode {
//!     natsfault::testing::run_scenario_tests("scenarios")
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::backend::{Backend, DEFAULT_VERSION, ProcessBackend, resolve_version};
use crate::report::{Status, human};
use crate::runner::play;
use crate::spec::load_file;

/// One scenario file as a test: its name (the path as given, `/`-separated) and its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioTest {
    /// The test's name: the file's path under the folder given, with the folder.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Every `*.toml` under `dir`, sorted, as tests.
///
/// ```
/// let tests = natsfault::testing::scenario_tests("../scenarios").unwrap();
/// assert!(tests.iter().any(|t| t.name == "../scenarios/permissions/guide-example.toml"));
/// ```
pub fn scenario_tests(dir: impl AsRef<Path>) -> Result<Vec<ScenarioTest>, String> {
    let files = crate::spec::discover::scenario_files(&[dir.as_ref().to_path_buf()]).map_err(|e| e.to_string())?;
    Ok(files.into_iter().map(|p| ScenarioTest { name: p.display().to_string(), path: p }).collect())
}

#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    ignored: bool,
}

fn args() -> Args {
    let mut a = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--list" => a.list = true,
            "--exact" => a.exact = true,
            "--ignored" => a.ignored = true,
            "--skip" => a.skip.extend(it.next()),
            // Options that take a value and do not change what runs.
            "--format" | "--color" | "--test-threads" | "-Z" | "--logfile" | "--report-time" => {
                it.next();
            }
            other if other.starts_with('-') => {}
            filter => a.filters.push(filter.to_string()),
        }
    }
    a
}

impl Args {
    fn selects(&self, name: &str) -> bool {
        let hit = |f: &String| if self.exact { name == f } else { name.contains(f.as_str()) };
        (self.filters.is_empty() || self.filters.iter().any(hit))
            && !self.skip.iter().any(|s| name.contains(s.as_str()))
    }
}

/// Lists or plays the scenario files of `dir` as `cargo test` or `cargo nextest` asks, on the
/// backend of `NATSFAULT_BACKEND` (`process`, the default, or `container`) and the version of
/// `NATSFAULT_SERVER_VERSION`; exits 101 when a test fails, like libtest.
pub fn run_scenario_tests(dir: impl AsRef<Path>) -> ExitCode {
    let a = args();
    let tests = match scenario_tests(dir) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return ExitCode::from(101);
        }
    };
    // No scenario is ignored.
    let chosen: Vec<&ScenarioTest> = tests.iter().filter(|t| !a.ignored && a.selects(&t.name)).collect();
    if a.list {
        for t in &chosen {
            println!("{}: test", t.name);
        }
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("natsfault: cannot start the async runtime: {e}");
            return ExitCode::from(101);
        }
    };
    println!("\nrunning {} tests", chosen.len());
    let failed = runtime.block_on(async {
        let mut failed = Vec::new();
        for t in &chosen {
            match play_one(&t.path).await {
                Ok(()) => println!("test {} ... ok", t.name),
                Err(details) => {
                    println!("test {} ... FAILED", t.name);
                    failed.push((t.name.clone(), details));
                }
            }
        }
        failed
    });
    for (name, details) in &failed {
        println!("\n---- {name} ----\n{details}");
    }
    let status = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {status}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out\n",
        chosen.len() - failed.len(),
        failed.len(),
        tests.len() - chosen.len()
    );
    if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(101) }
}

async fn play_one(path: &Path) -> Result<(), String> {
    let scenario = load_file(path).map_err(|e| format!("{:?}", miette::Report::new(e)))?;
    let asked = std::env::var("NATSFAULT_SERVER_VERSION").unwrap_or_else(|_| DEFAULT_VERSION.to_string());
    let version = resolve_version(&asked)?;
    #[cfg(feature = "container")]
    let container;
    let backend: &dyn Backend = match std::env::var("NATSFAULT_BACKEND").as_deref() {
        #[cfg(feature = "container")]
        Ok("container") => {
            container = crate::backend::ContainerBackend::connect().await.map_err(|e| e.to_string())?;
            &container
        }
        #[cfg(not(feature = "container"))]
        Ok("container") => {
            return Err(
                crate::backend::ServerError::feature_missing("container", "NATSFAULT_BACKEND=container").to_string()
            );
        }
        _ => &ProcessBackend,
    };
    let report = play(&scenario, backend, version).await.map_err(|e| e.to_string())?;
    if report.status == Status::Failed { Err(human::failure_details(&report)) } else { Ok(()) }
}
