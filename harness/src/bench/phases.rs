//! The overhead of each scenario phase on the process backend: its wall time minus the waits
//! the scenario intends, split into the server's start, the steps, and the rest.

use std::collections::BTreeSet;

use super::error::{BenchError, BenchErrorKind};
use super::intended::{Rule, intended_wait};
use super::model::PhaseOverhead;
use super::stats::median;
use crate::backend::ProcessBackend;
use crate::report::Status;
use crate::runner::play;
use crate::spec::{Scenario, Version};

/// One phase as played once.
#[derive(Clone, Debug, Default)]
struct Sample {
    passed: bool,
    wall: f64,
    intended: f64,
    start: f64,
    steps: f64,
}

/// Plays every scenario `runs` times, one at a time (nothing else competes for the cores), and
/// returns each phase's medians with its overhead in floors (`floor_ms`), plus every server start
/// time seen. `progress` is called after each scenario run.
pub async fn measure_phases(
    scenarios: &[Scenario],
    version: Version,
    runs: usize,
    floor_ms: f64,
    mut progress: impl FnMut(&str),
) -> Result<(Vec<PhaseOverhead>, Vec<f64>), BenchError> {
    // (file, phase) in play order -> samples.
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut samples: Vec<Vec<Sample>> = Vec::new();
    let mut rules: Vec<BTreeSet<Rule>> = Vec::new();
    let mut ready = Vec::new();
    for _ in 0..runs {
        for s in scenarios {
            let report = play(s, &ProcessBackend, version).await.map_err(|e| BenchError::new("phases", e))?;
            for p in &report.phases {
                let waits = intended_wait(s, p.phase, version, &p.steps);
                let key = (report.file.clone(), p.phase.as_str().to_string());
                let at = match keys.iter().position(|k| *k == key) {
                    Some(i) => i,
                    None => {
                        keys.push(key);
                        samples.push(Vec::new());
                        rules.push(BTreeSet::new());
                        keys.len() - 1
                    }
                };
                rules[at].extend(waits.iter().map(|w| w.rule).filter(|r| *r != Rule::None));
                let start = p.ready_ms.unwrap_or(0) as f64;
                ready.extend(p.ready_ms.map(|r| r as f64));
                samples[at].push(Sample {
                    passed: p.status == Status::Passed,
                    wall: p.duration_ms as f64,
                    intended: waits.iter().map(|w| w.ms).sum(),
                    start,
                    steps: p.steps.iter().map(|st| st.duration_ms as f64).sum(),
                });
            }
            progress(&report.file);
        }
    }
    if keys.is_empty() {
        return Err(BenchError::new(
            "phases",
            BenchErrorKind::Command {
                command: "natsfault bench".into(),
                detail: "no scenario phase applies to this server version".into(),
            },
        ));
    }
    let phases = keys
        .into_iter()
        .zip(samples)
        .zip(rules)
        .map(|(((file, phase), samples), rules)| summarize(file, phase, &samples, rules, floor_ms))
        .collect();
    Ok((phases, ready))
}

fn summarize(file: String, phase: String, samples: &[Sample], rules: BTreeSet<Rule>, floor_ms: f64) -> PhaseOverhead {
    let of = |f: &dyn Fn(&Sample) -> f64| median(&samples.iter().map(f).collect::<Vec<_>>());
    let overhead = of(&|s| (s.wall - s.intended).max(0.0));
    PhaseOverhead {
        file,
        phase,
        passed: samples.iter().filter(|s| s.passed).count(),
        runs: samples.len(),
        wall_ms: of(&|s| s.wall),
        intended_ms: of(&|s| s.intended),
        overhead_ms: overhead,
        ratio: if floor_ms > 0.0 { overhead / floor_ms } else { f64::INFINITY },
        start_ms: of(&|s| s.start),
        steps_ms: of(&|s| (s.steps - s.intended).max(0.0)),
        rest_ms: of(&|s| (s.wall - s.start - s.steps).max(0.0)),
        rules: rules.into_iter().collect(),
    }
}
