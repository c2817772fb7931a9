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

/// How many scenarios per core `--jobs` defaults to. The suite waits more than it computes (timeouts,
/// log lines, links), so more scenarios than cores overlap their waits. Measured on 2 cores
/// (`natsfault run scenarios`, 108 scenarios, debug build, nats-server 2.15.1): `--jobs` 2
/// 45.0 s, 4 29.8 s, 8 29.1 s, 16 28.5 s, 32 25.2 s. Past 4 the gain is a few percent while
/// the CPU a server start or a TLS handshake needs comes late enough to move scenarios that
/// bound their time (`elapsed = "..450ms"` in `auth-endpoint/slower-than-auth-timeout`,
/// `resolver-url-slow`, the auth timeout of `no-credentials/never-sends-connect` changed status
/// at 8, 16 and 32); at 4 none did.
pub const JOBS_PER_CORE: usize = 2;

/// `--jobs`, defaulting to [`JOBS_PER_CORE`] per core.
pub fn jobs(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()) * JOBS_PER_CORE).max(1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_default_to_twice_the_cores() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(jobs(None), cores * JOBS_PER_CORE);
        assert_eq!(jobs(Some(3)), 3);
    }
}
