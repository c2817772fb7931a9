//! `natsfault verify`: a contract played on the team's own config; exit 0 when every line
//! holds, 1 on a broken line (or one not checked, unless `--allow-unchecked`), 2 on bad input
//! (an empty or invalid contract among it), 3 when this machine lacks something.

use super::args::{BackendChoice, Format, VerifyArgs};
use super::{exit, prepare};
use crate::backend::resolve_version;
use crate::contract::{VerifyError, load_contract, render_human, render_json, verify as play};
use crate::door::load_config_file_with;
use crate::redact::Secrets;

/// Runs `natsfault verify`; returns the exit code.
pub async fn verify(a: VerifyArgs) -> i32 {
    if !matches!(a.format, Format::Human | Format::Json) || a.backend == BackendChoice::All {
        eprintln!("natsfault: verify takes `--format human|json` and `--backend process|container`");
        return exit::INVALID_INPUT;
    }
    let contract = match load_contract(&a.contract) {
        Ok(c) => c,
        Err(crate::contract::ContractLoadError::Invalid(ce)) => {
            eprintln!("{:?}", miette::Report::new(*ce));
            return exit::INVALID_INPUT;
        }
        Err(e) => {
            eprintln!("natsfault: --contract: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let Some(config) = a.config.clone().or_else(|| contract.config.clone()) else {
        eprintln!("natsfault: no config: give `--config FILE` or `config = \"...\"` in `{}`", a.contract.display());
        return exit::INVALID_INPUT;
    };
    let deployed = match load_config_file_with(&config, &a.door.options()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let asked = if a.versions.is_empty() { vec![a.server_version.clone()] } else { a.versions.clone() };
    let mut versions = Vec::new();
    for v in &asked {
        match resolve_version(v) {
            Ok(v) => versions.push(v),
            Err(e) => {
                eprintln!("natsfault: {e}");
                return exit::ENVIRONMENT;
            }
        }
    }
    if let Err(code) = prepare::binaries(&versions, a.offline) {
        return code;
    }
    let backends = match prepare::backends(a.backend).await {
        Ok(b) => b,
        Err(code) => return code,
    };
    let secrets = Secrets::new();
    let mut code = exit::OK;
    let mut json = Vec::new();
    for version in versions {
        match play(&contract, &deployed, backends[0].as_ref(), version, &secrets).await {
            Ok(report) => {
                let good = if a.allow_unchecked { report.holds_where_checked() } else { report.holds() };
                if !good {
                    code = exit::SCENARIO_FAILED;
                }
                match a.format {
                    Format::Json => json.push(render_json(&report)),
                    _ => print!("{}", render_human(&report)),
                }
            }
            Err(e @ VerifyError::Refused(_)) => {
                eprintln!("natsfault: {e}");
                return exit::INVALID_INPUT;
            }
            Err(e) => {
                eprintln!("natsfault: {e}");
                return exit::ENVIRONMENT;
            }
        }
    }
    if a.format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    }
    code
}
