//! The matrix report: a status per scenario and version, and what changed against the baseline.

use serde::Serialize;

use crate::report::Status;

/// One scenario on one backend across versions.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    /// Scenario file.
    pub file: String,
    /// Backend.
    pub backend: String,
    /// Status per version, in the order of [`MatrixReport::versions`].
    pub cells: Vec<Status>,
}

/// What one version showed differently from the baseline for one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixDiff {
    /// Scenario file.
    pub file: String,
    /// Backend.
    pub backend: String,
    /// The version compared.
    pub version: String,
    /// Lines the baseline showed and this version did not.
    pub only_baseline: Vec<String>,
    /// Lines this version showed and the baseline did not.
    pub only_version: Vec<String>,
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
