//! Playing an inline scenario and reading its report.

use std::path::Path;

use natsfault::backend::ProcessBackend;
use natsfault::report::{Mismatch, PhaseReport, ScenarioReport};
use natsfault::runner::play;
use natsfault::spec::{Phase, load_str};

/// Loads `text` (panicking with the problems when it does not load) and plays it on the process
/// backend.
pub async fn play_text(name: &str, text: &str) -> ScenarioReport {
    let scenario = load_str(Path::new(name), text).unwrap_or_else(|e| panic!("{name}: {}", e.plain()));
    play(&scenario, &ProcessBackend, super::support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"))
}

/// The report of `phase`.
pub fn phase(report: &ScenarioReport, phase: Phase) -> &PhaseReport {
    report.phases.iter().find(|p| p.phase == phase).unwrap_or_else(|| panic!("no {} phase", phase.as_str()))
}

/// The failures of `phase`, as `step:expectation` pairs.
pub fn failures(report: &ScenarioReport, p: Phase) -> Vec<String> {
    phase(report, p).failures.iter().map(show).collect()
}

fn show(m: &Mismatch) -> String {
    format!("{}:{}", m.step.map_or_else(|| "-".into(), |s| s.to_string()), m.expectation)
}

/// The problems `check` reports for `text`, one `line:col: message (help)` line each; empty
/// when it loads.
pub fn problems(text: &str) -> String {
    match load_str(Path::new("t.toml"), text) {
        Ok(_) => String::new(),
        Err(e) => e
            .problems
            .iter()
            .map(|p| format!("{}:{}: {} ({})\n", p.line, p.column, p.message, p.help.as_deref().unwrap_or_default()))
            .collect(),
    }
}
