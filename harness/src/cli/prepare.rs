//! What `run` and `matrix` share: loading and filtering scenarios, choosing backends and jobs.
//! Each returns the exit code to stop with, after saying why on stderr.

use std::path::PathBuf;
use std::sync::Arc;

use super::args::BackendChoice;
use super::exit;
use crate::backend::{Backend, ContainerBackend, ProcessBackend};
use crate::spec::discover::{load_all, render_load_error, scenario_files};
use crate::spec::{Scenario, Version};

/// Every scenario under `paths` whose file or name contains `filter`.
pub fn scenarios(paths: &[PathBuf], filter: Option<&str>) -> Result<Vec<Scenario>, i32> {
    let files = scenario_files(paths).map_err(|e| {
        eprintln!("natsfault: {e}");
        exit::INVALID_INPUT
    })?;
    let scenarios = load_all(&files).map_err(|errors| {
        for e in errors {
            eprintln!("{}", render_load_error(e));
        }
        exit::INVALID_INPUT
    })?;
    let chosen: Vec<Scenario> = scenarios
        .into_iter()
        .filter(|s| filter.is_none_or(|f| s.file_name().contains(f) || s.name.contains(f)))
        .collect();
    if chosen.is_empty() {
        // Every folder holds a scenario file, so only a filter can choose none.
        eprintln!("natsfault: --filter: no scenario file or name contains `{}`", filter.unwrap_or_default());
        return Err(exit::INVALID_INPUT);
    }
    Ok(chosen)
}

/// The backends asked for; a container engine that cannot be reached is an environment error.
pub async fn backends(choice: BackendChoice) -> Result<Vec<Arc<dyn Backend>>, i32> {
    let mut backends: Vec<Arc<dyn Backend>> = Vec::new();
    if matches!(choice, BackendChoice::Process | BackendChoice::All) {
        backends.push(Arc::new(ProcessBackend));
    }
    if matches!(choice, BackendChoice::Container | BackendChoice::All) {
        match ContainerBackend::connect().await {
            Ok(b) => backends.push(Arc::new(b)),
            Err(e) => {
                eprintln!("natsfault: {e}");
                return Err(exit::ENVIRONMENT);
            }
        }
    }
    Ok(backends)
}

/// `--jobs`, defaulting to the number of cores.
pub fn jobs(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1)
}

/// Makes sure every version's binary is in the cache: fetched (checksum verified) when missing,
/// unless `offline`, where a missing one is an environment error naming the fetch command.
pub fn binaries(versions: &[Version], offline: bool) -> Result<(), i32> {
    // The fetch script of this source tree (its pins are the ones compiled in), else one beside
    // the cache.
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("scripts");
    let scripts = if here.join("fetch-nats-server.sh").is_file() {
        here
    } else {
        crate::backend::cache_dir().join("..").join("scripts")
    };
    for v in versions {
        let cached = crate::backend::nats_server_binary(*v).is_ok() || v.to_string() == crate::backend::DEBIAN_VERSION;
        let found = if offline && !cached {
            Err(format!(
                "nats-server {v} is not in the cache and --offline fetches nothing; run `scripts/fetch-nats-server.sh {v}`"
            ))
        } else {
            tokio::task::block_in_place(|| crate::backend::provision(*v, &scripts)).map_err(|e| e.to_string())
        };
        if let Err(e) = found {
            eprintln!("natsfault: {e}");
            return Err(super::exit::ENVIRONMENT);
        }
    }
    Ok(())
}
