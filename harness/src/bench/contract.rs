//! `verify` on a contract against what it cannot avoid: one server start plus a plain connect of
//! each of its identities (async-nats straight to the server, in parallel). Both medians of
//! `runs`; the target is at most [`CONTRACT_TARGET`] times the bare start and connects.

use std::path::Path;
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde::Serialize;

use super::error::{BenchError, BenchErrorKind};
use super::stats::{Summary, ms};
use crate::backend::{Backend, ProcessBackend};
use crate::contract::{Contract, load_contract, verify};
use crate::door::{DeployedConfig, load_config_file};
use crate::redact::Secrets;
use crate::spec::Version;

/// The contract `make bench` measures (50 lines on the shop's config).
pub const CONTRACT_BENCH: &str = "fixtures/team/config/bench-contract.toml";

/// The most a contract run may take, in starts plus connects.
pub const CONTRACT_TARGET: f64 = 2.0;

/// The contract measurement.
#[derive(Clone, Debug, Serialize)]
pub struct ContractBench {
    /// The contract file.
    pub contract: String,
    /// Its lines.
    pub lines: usize,
    /// Its identities (clients).
    pub identities: usize,
    /// `verify`, start to stop, every line.
    pub verify: Summary,
    /// One server start plus each identity's connect, in parallel, then the stop.
    pub start_and_connects: Summary,
    /// `verify` over `start_and_connects`, medians.
    pub ratio: f64,
    /// [`CONTRACT_TARGET`].
    pub target: f64,
    /// Runs in which a line did not hold (expected 0).
    pub broken_runs: usize,
}

fn failed(detail: impl Into<String>) -> BenchError {
    BenchError::new("contract", BenchErrorKind::Command { command: "natsfault verify".into(), detail: detail.into() })
}

/// The floor of a contract run: start, connect every identity straight to the server, stop.
async fn start_and_connect(
    contract: &Contract,
    deployed: &DeployedConfig,
    version: Version,
) -> Result<Duration, BenchError> {
    let began = Instant::now();
    let server = ProcessBackend.start(&deployed.spec(version)).await.map_err(|e| BenchError::new("contract", e))?;
    let url = format!("nats://{}", server.client_addr());
    let connects = contract.identities.values().map(|id| {
        let url = url.clone();
        async move {
            let opts = match (&id.user, &id.password, &id.token) {
                (Some(u), Some(p), _) => async_nats::ConnectOptions::with_user_and_password(u.clone(), p.clone()),
                (_, _, Some(t)) => async_nats::ConnectOptions::with_token(t.clone()),
                _ => async_nats::ConnectOptions::new(),
            };
            opts.connect(url).await.map_err(|e| e.to_string())
        }
    });
    let clients = join_all(connects).await;
    let elapsed = began.elapsed();
    drop(clients);
    let _ = server.shutdown().await;
    Ok(elapsed)
}

/// Measures `verify` on `path` and its floor, `runs` times each, alternately.
pub async fn measure_contract(path: &Path, version: Version, runs: usize) -> Result<ContractBench, BenchError> {
    let contract = load_contract(path).map_err(|e| failed(e.to_string()))?;
    let config = contract.config.clone().ok_or_else(|| failed("the bench contract names no `config`"))?;
    let deployed = load_config_file(&config).map_err(|e| failed(e.to_string()))?;
    let secrets = Secrets::new();
    let (mut full, mut floor, mut broken_runs) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        floor.push(ms(start_and_connect(&contract, &deployed, version).await?));
        let began = Instant::now();
        let report = verify(&contract, &deployed, &ProcessBackend, version, &secrets)
            .await
            .map_err(|e| failed(e.to_string()))?;
        full.push(ms(began.elapsed()));
        if !report.holds() {
            broken_runs += 1;
        }
    }
    let verify = Summary::of(&full).ok_or_else(|| failed("no runs"))?;
    let start_and_connects = Summary::of(&floor).ok_or_else(|| failed("no runs"))?;
    Ok(ContractBench {
        contract: path.display().to_string(),
        lines: contract.lines.len(),
        identities: contract.identities.len(),
        ratio: verify.median_ms / start_and_connects.median_ms.max(0.001),
        verify,
        start_and_connects,
        target: CONTRACT_TARGET,
        broken_runs,
    })
}
