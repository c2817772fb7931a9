//! The contract from `cargo test`, in one line: [`verify_contract`].

use std::path::Path;

use super::load::load_contract;
use super::play::verify;
use super::render::render_human;
use super::report::VerifyReport;
use crate::backend::{DEFAULT_VERSION, ProcessBackend, resolve_version};
use crate::door::load_config_file;
use crate::redact::Secrets;

/// Plays a contract file on its `config` (relative to the contract) on a local nats-server
/// (`NATSFAULT_SERVER_VERSION`, or the default release) and returns the report when every line
/// holds; panics otherwise, with the report `natsfault verify` prints (the broken lines with
/// the server's words and the config's line, the lines not checked and why), or why the
/// contract or config could not be played.
///
/// ```no_run
/// #[tokio::test]
/// async fn every_service_can_still_do_its_job() {
///     natsfault::verify_contract("deploy/nats-contract.toml").await;
/// }
/// ```
pub async fn verify_contract(path: impl AsRef<Path>) -> VerifyReport {
    let path = path.as_ref();
    let contract = match load_contract(path) {
        Ok(c) => c,
        Err(crate::contract::ContractLoadError::Invalid(e)) => panic!("{:?}", miette::Report::new(*e)),
        Err(e) => panic!("natsfault: contract `{}`: {e}", path.display()),
    };
    let Some(config) = contract.config.clone() else {
        panic!(
            "natsfault: `{}` names no config: add `config = \"nats.conf\"` (relative to the contract)",
            path.display()
        )
    };
    let deployed = load_config_file(&config).unwrap_or_else(|e| panic!("natsfault: {e}"));
    let asked = std::env::var("NATSFAULT_SERVER_VERSION").unwrap_or_else(|_| DEFAULT_VERSION.to_string());
    let version = resolve_version(&asked).unwrap_or_else(|e| panic!("natsfault: {e}"));
    let report = verify(&contract, &deployed, &ProcessBackend, version, &Secrets::new())
        .await
        .unwrap_or_else(|e| panic!("natsfault: {e}"));
    if !report.holds() {
        panic!("the contract `{}` does not hold:\n{}", path.display(), render_human(&report));
    }
    report
}
