//! The result of playing scenarios: one event model that every writer renders.

use serde::Serialize;

use crate::observe::Observation;
use crate::spec::Phase;

/// Pass, fail, not applicable, or (for a client library the file does not assert) differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every expectation held.
    Passed,
    /// An expectation did not hold.
    Failed,
    /// The scenario does not apply to this server version, or cannot be played by the client
    /// library (see the report's `reason`).
    NotApplicable,
    /// Played by a client library the file does not assert (`run --clients`): an expectation
    /// did not hold for it. What it observed is compared with the other libraries, not failed.
    Differs,
}

impl Status {
    /// `pass`, `FAIL`, `n/a`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "pass",
            Status::Failed => "FAIL",
            Status::NotApplicable => "n/a",
            Status::Differs => "differs",
        }
    }
}

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mismatch {
    /// 1-based step number; `None` for the server start.
    pub step: Option<usize>,
    /// The step's action (`connect`, `publish`, `start-server`, ...).
    pub action: String,
    /// Which expectation (`error`, `server-err`, `event`, `log`, `elapsed`, ...).
    pub expectation: String,
    /// What was expected.
    pub expected: String,
    /// What was observed.
    pub observed: String,
}

impl Mismatch {
    /// Whether the harness could not do what the step asked (`action`: a driver that crashed
    /// or hung, a step without its client), rather than an expectation that did not hold.
    pub fn is_harness_failure(&self) -> bool {
        self.expectation == "action"
    }
}

/// One step as it ran.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// 1-based step number in the file.
    pub index: usize,
    /// Its action.
    pub action: String,
    /// Its client, if any.
    pub client: Option<String>,
    /// What the matrix matches it by across versions ([`crate::spec::Step::identity`], with
    /// `#2`, `#3` for a repeat within its phase).
    pub identity: String,
    /// Pass or fail.
    pub status: Status,
    /// Milliseconds the step took.
    pub duration_ms: u64,
}

/// One phase (broken or fixed) as it ran.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseReport {
    /// Which phase.
    pub phase: Phase,
    /// Pass or fail.
    pub status: Status,
    /// Wall time of the phase, milliseconds.
    pub duration_ms: u64,
    /// Milliseconds from spawn to ready of the server, if it started.
    pub ready_ms: Option<u64>,
    /// Steps that ran.
    pub steps: Vec<StepReport>,
    /// What was observed, in order.
    pub observations: Vec<Observation>,
    /// Expectations that did not hold.
    pub failures: Vec<Mismatch>,
    /// The server log lines that explain what happened: errors, warnings, auth lines (at most 20).
    pub log_excerpt: Vec<String>,
    /// The confinement the (first) server ran under, if it started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confined: Option<String>,
    /// What the (first) server listened on and was connected to at the end of the steps, read
    /// from the operating system (processes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sockets: Option<String>,
}

/// One scenario on one backend and server version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioReport {
    /// The scenario file.
    pub file: String,
    /// Its name.
    pub name: String,
    /// Its cause.
    pub cause: String,
    /// `process` or `container`.
    pub backend: String,
    /// The server version played.
    pub server_version: String,
    /// Passed only if every phase passed.
    pub status: Status,
    /// Wall time, milliseconds.
    pub duration_ms: u64,
    /// The fix, in one sentence.
    pub fix: Option<String>,
    /// The phases that ran.
    pub phases: Vec<PhaseReport>,
    /// Why the scenario was not played, when a client library cannot play it (`n/a`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PhaseReport {
    /// Whether a server of this phase could not start because a port natsfault chose for it was
    /// taken meanwhile (`address already in use` in its refusal): nothing the scenario said.
    ///
    /// ```
    /// use natsfault::report::{Mismatch, PhaseReport, Status};
    /// use natsfault::spec::Phase;
    /// let refused = |observed: &str| PhaseReport {
    ///     phase: Phase::Broken, status: Status::Failed, duration_ms: 1, ready_ms: None,
    ///     steps: vec![], observations: vec![], log_excerpt: vec![], confined: None, sockets: None,
    ///     failures: vec![Mismatch {
    ///         step: None, action: "start-server `b`".into(), expectation: "start".into(),
    ///         expected: "server `b` to start".into(), observed: observed.into(),
    ///     }],
    /// };
    /// let taken = "refused (exit 1): listen tcp 127.0.0.1:24012: bind: address already in use";
    /// assert!(refused(taken).port_taken_at_start());
    /// assert!(!refused("refused (exit 1): nats.conf:3:1: unknown field").port_taken_at_start());
    /// ```
    pub fn port_taken_at_start(&self) -> bool {
        self.failures
            .iter()
            .any(|f| f.step.is_none() && f.expectation == "start" && f.observed.contains("address already in use"))
    }
}

impl ScenarioReport {
    /// This report as one of a client library the file does not assert: a failed phase or
    /// scenario [`Status::Differs`] instead (what the library did is reported, not failed). A
    /// harness failure (a driver that crashed or hung, an action that could not run) stays a
    /// failure: it says nothing about the library.
    ///
    /// ```
    /// use natsfault::report::{ScenarioReport, Status};
    /// let failed = ScenarioReport {
    ///     file: "a.toml".into(), name: "n".into(), cause: "permissions".into(),
    ///     backend: "process".into(), server_version: "2.15.1".into(), status: Status::Failed,
    ///     duration_ms: 1, fix: None, phases: vec![], reason: None,
    /// };
    /// assert_eq!(failed.unasserted().status, Status::Differs);
    /// ```
    pub fn unasserted(mut self) -> ScenarioReport {
        let differs = |s: &mut Status| {
            if *s == Status::Failed {
                *s = Status::Differs;
            }
        };
        for p in self.phases.iter_mut().filter(|p| !p.failures.iter().any(Mismatch::is_harness_failure)) {
            differs(&mut p.status);
        }
        if !self.phases.iter().any(|p| p.status == Status::Failed) {
            differs(&mut self.status);
        }
        self
    }

    /// Every failure of every phase, with its phase.
    pub fn failures(&self) -> impl Iterator<Item = (Phase, &Mismatch)> {
        self.phases.iter().flat_map(|p| p.failures.iter().map(move |f| (p.phase, f)))
    }
}
