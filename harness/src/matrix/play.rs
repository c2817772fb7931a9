//! Playing every scenario on every version and backend, then comparing with the baseline.

use std::sync::Arc;

use futures::StreamExt;

use super::compare::compare;
use super::model::MatrixReport;
use super::summary::summarize;
use crate::backend::{Backend, ServerError};
use crate::report::ScenarioReport;
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
    let runs: Vec<_> = reports.iter().map(summarize).collect();
    Ok((compare(&runs, versions, baseline), reports))
}
