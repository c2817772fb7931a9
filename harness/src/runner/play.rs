//! Playing a scenario: the broken phase, then the fixed one.

use std::time::Instant;

use super::features::missing_feature;
use super::phase::play_phase;
use crate::backend::{Backend, ServerError};
use crate::redact::{Secrets, scenario_secrets};
use crate::report::{Mismatch, PhaseReport, ScenarioReport, Status};

/// The longest one phase may take, start to teardown.
const WHOLE_PHASE_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);
/// How often a phase whose server found a chosen port taken is played again on new ports.
const PORT_CLASH_RETRIES: usize = 2;
use crate::spec::{Scenario, Version};

/// Plays every phase of `scenario` on `backend` with server `version`.
///
/// ```no_run
/// use natsfault::{backend::ProcessBackend, runner::play, spec::load_file};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let scenario = load_file("scenarios/permissions/guide-example.toml".as_ref())?;
/// let report = play(&scenario, &ProcessBackend, "2.15.1".parse()?).await?;
/// assert_eq!(report.status, natsfault::report::Status::Passed);
/// # Ok(()) }
/// ```
pub async fn play(scenario: &Scenario, backend: &dyn Backend, version: Version) -> Result<ScenarioReport, ServerError> {
    play_with(scenario, backend, version, &Secrets::new()).await
}

/// [`play`] with the secret store given, so a caller can learn every secret the run made.
pub async fn play_with(
    scenario: &Scenario,
    backend: &dyn Backend,
    version: Version,
    secrets: &Secrets,
) -> Result<ScenarioReport, ServerError> {
    secrets.add_all(scenario_secrets(scenario));
    play_phases(scenario, backend, version, secrets).await.map(|r| r.redacted(secrets)).map_err(|e| e.redacted(secrets))
}

async fn play_phases(
    scenario: &Scenario,
    backend: &dyn Backend,
    version: Version,
    secrets: &Secrets,
) -> Result<ScenarioReport, ServerError> {
    let began = Instant::now();
    let mut report = ScenarioReport {
        file: scenario.file_name(),
        name: scenario.name.clone(),
        cause: scenario.cause.to_string(),
        backend: backend.name().into(),
        server_version: version.to_string(),
        status: Status::NotApplicable,
        duration_ms: 0,
        fix: scenario.fix.as_ref().map(|f| f.summary.clone()),
        phases: Vec::new(),
        reason: None,
    };
    if !scenario.applies_to(version) {
        return Ok(report);
    }
    if let Some(why) = scenario.unplayable_by_library() {
        report.reason = Some(why);
        return Ok(report);
    }
    if let Some(missing) = missing_feature(scenario) {
        return Err(missing);
    }
    for phase in scenario.phases_on(version) {
        // Every wait inside is bounded; this bounds a phase as a whole, so that no scenario can
        // hang a run (dropping the phase stops its server and closes its clients).
        let mut played =
            tokio::time::timeout(WHOLE_PHASE_LIMIT, play_phase(scenario, phase, backend, version, secrets)).await;
        // A port natsfault chose and checked free was taken by another program before the
        // server bound it: the phase is played again on new ports, a bounded number of times.
        for _ in 0..PORT_CLASH_RETRIES {
            if !matches!(&played, Ok(Ok(p)) if p.port_taken_at_start()) {
                break;
            }
            played =
                tokio::time::timeout(WHOLE_PHASE_LIMIT, play_phase(scenario, phase, backend, version, secrets)).await;
        }
        let p = match played {
            Ok(p) => p?,
            Err(_) => PhaseReport {
                phase,
                status: Status::Failed,
                duration_ms: WHOLE_PHASE_LIMIT.as_millis() as u64,
                ready_ms: None,
                steps: Vec::new(),
                observations: Vec::new(),
                failures: vec![Mismatch {
                    step: None,
                    action: "phase".into(),
                    expectation: "phase-limit".into(),
                    expected: format!("the phase to end within {}s", WHOLE_PHASE_LIMIT.as_secs()),
                    observed: "it was still running: a harness bug, please report it".into(),
                }],
                log_excerpt: Vec::new(),
                confined: None,
                sockets: None,
            },
        };
        report.phases.push(p);
    }
    report.status =
        if report.phases.iter().all(|p| p.status == Status::Passed) { Status::Passed } else { Status::Failed };
    report.duration_ms = began.elapsed().as_millis() as u64;
    Ok(report)
}
