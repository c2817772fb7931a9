//! The matrix report: a status per scenario and version, and what changed between each version
//! and the baseline, older against newer.

use serde::{Deserialize, Serialize};

use crate::report::Status;

/// What one run showed, as much as the matrix compares: its status and its fingerprint (the
/// normalised observations). A shard of a matrix is a list of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Scenario file.
    pub file: String,
    /// Backend.
    pub backend: String,
    /// The server version.
    pub version: String,
    /// Its status.
    pub status: Status,
    /// Its fingerprint, sorted ([`crate::matrix::fingerprint()`]).
    pub fingerprint: Vec<String>,
}

/// One scenario on one backend across versions.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    /// Scenario file.
    pub file: String,
    /// Backend.
    pub backend: String,
    /// Status per version, in the order of [`MatrixReport::versions`].
    pub cells: Vec<Status>,
    /// Whether any version differs from the baseline (status or observations).
    pub changed: bool,
}

/// One difference within a scenario: where (`broken step `connect app` app`), what the older
/// version showed there and what the newer did (`None`: nothing there).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DiffRow {
    /// The phase, step and client, and what kind of observation (`auth failure reason`).
    pub at: String,
    /// The older version's observation.
    pub older: Option<String>,
    /// The newer version's observation.
    pub newer: Option<String>,
}

/// What one version showed differently from the baseline for one scenario, as rows.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixDiff {
    /// Scenario file.
    pub file: String,
    /// Backend.
    pub backend: String,
    /// The older of the two versions compared.
    pub older: String,
    /// The newer.
    pub newer: String,
    /// The status on each, when it differs.
    pub status: Option<(Status, Status)>,
    /// What differs.
    pub rows: Vec<DiffRow>,
}

/// The whole matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixReport {
    /// Versions played, oldest first.
    pub versions: Vec<String>,
    /// The version others are compared with.
    pub baseline: String,
    /// One row per scenario and backend.
    pub rows: Vec<MatrixRow>,
    /// Differences against the baseline.
    pub diffs: Vec<MatrixDiff>,
}

impl MatrixReport {
    /// Whether any cell failed.
    pub fn failed(&self) -> bool {
        self.rows.iter().any(|r| r.cells.contains(&Status::Failed))
    }
}
