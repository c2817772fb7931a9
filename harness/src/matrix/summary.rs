//! A run as the matrix keeps it.

use super::fingerprint::fingerprint;
use super::model::RunSummary;
use crate::report::ScenarioReport;

/// The summary of one scenario run: its status and fingerprint.
pub fn summarize(r: &ScenarioReport) -> RunSummary {
    RunSummary {
        file: r.file.clone(),
        backend: r.backend.clone(),
        version: r.server_version.clone(),
        status: r.status,
        fingerprint: fingerprint(r).into_iter().collect(),
    }
}
