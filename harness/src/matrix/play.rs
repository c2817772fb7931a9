//! Playing every scenario on every version and backend, then comparing with the baseline.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use futures::StreamExt;

use super::fingerprint::fingerprint;
use super::model::{MatrixDiff, MatrixReport, MatrixRow};
use crate::backend::{Backend, ServerError};
use crate::report::{ScenarioReport, Status};
use crate::spec::{Scenario, Version};

/// Plays `scenarios` on each backend and version, `jobs` at a time; `on_done` sees each result.
pub async fn play_matrix(
    scenarios: &[Scenario],
    backends: &[Arc<dyn Backend>],
    versions: &[Version],
    baseline: Version,
    jobs: usize,
    mut on_done: impl FnMut(&ScenarioReport),
) -> Result<(MatrixReport, Vec<ScenarioReport>), ServerError> {
    let work: Vec<(Arc<dyn Backend>, &Scenario, Version)> = backends
        .iter()
        .flat_map(|b| scenarios.iter().flat_map(move |s| versions.iter().map(move |v| (b.clone(), s, *v))))
        .collect();
    let mut stream = futures::stream::iter(
        work.into_iter().map(|(b, s, v)| async move { crate::runner::play(s, b.as_ref(), v).await }),
    )
    .buffer_unordered(jobs.max(1));
    let mut reports = Vec::new();
    while let Some(r) = stream.next().await {
        let r = r?;
        on_done(&r);
        reports.push(r);
    }
    Ok((compare(&reports, versions, baseline), reports))
}

/// The matrix of statuses and the differences against `baseline`.
pub fn compare(reports: &[ScenarioReport], versions: &[Version], baseline: Version) -> MatrixReport {
    let mut by_key: BTreeMap<(String, String), BTreeMap<String, &ScenarioReport>> = BTreeMap::new();
    for r in reports {
        by_key.entry((r.file.clone(), r.backend.clone())).or_default().insert(r.server_version.clone(), r);
    }
    let base = baseline.to_string();
    let mut rows = Vec::new();
    let mut diffs = Vec::new();
    for ((file, backend), runs) in &by_key {
        let cells =
            versions.iter().map(|v| runs.get(&v.to_string()).map_or(Status::NotApplicable, |r| r.status)).collect();
        rows.push(MatrixRow { file: file.clone(), backend: backend.clone(), cells });
        let Some(base_run) = runs.get(&base).filter(|r| r.status != Status::NotApplicable) else { continue };
        let base_print = fingerprint(base_run);
        for v in versions.iter().map(ToString::to_string).filter(|v| *v != base) {
            let Some(run) = runs.get(&v).filter(|r| r.status != Status::NotApplicable) else { continue };
            let print = fingerprint(run);
            let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>();
            let (only_baseline, only_version) = (only(&base_print, &print), only(&print, &base_print));
            if !only_baseline.is_empty() || !only_version.is_empty() {
                diffs.push(MatrixDiff {
                    file: file.clone(),
                    backend: backend.clone(),
                    version: v,
                    only_baseline,
                    only_version,
                });
            }
        }
    }
    MatrixReport { versions: versions.iter().map(ToString::to_string).collect(), baseline: base, rows, diffs }
}
