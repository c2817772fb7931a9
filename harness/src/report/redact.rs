//! A report with every secret replaced, whatever field it reached: the last step before any
//! writer (human, JSON, JUnit, the matrix) sees it.

use super::model::{Mismatch, PhaseReport, ScenarioReport};
use crate::observe::ObservationKind;
use crate::redact::Secrets;

impl ScenarioReport {
    /// The report with every secret of `secrets` (and every one the shape rules find) replaced
    /// in each of its texts.
    ///
    /// ```
    /// use natsfault::report::{ScenarioReport, Status};
    /// let report = ScenarioReport {
    ///     file: "a.toml".into(), name: "pw hunter22".into(), cause: "permissions".into(),
    ///     backend: "process".into(), server_version: "2.15.1".into(), status: Status::Passed,
    ///     duration_ms: 1, fix: Some("set the password to hunter22".into()), phases: vec![], reason: None,
    /// };
    /// let clean = report.redacted(&natsfault::redact::Secrets::of(["hunter22"]));
    /// assert_eq!(clean.fix.as_deref(), Some("set the password to <redacted>"));
    /// ```
    pub fn redacted(mut self, secrets: &Secrets) -> ScenarioReport {
        let r = |s: &mut String| secrets.redact_in(s);
        r(&mut self.name);
        self.fix.iter_mut().for_each(r);
        self.reason.iter_mut().for_each(r);
        for p in &mut self.phases {
            redact_phase(p, secrets);
        }
        self
    }
}

fn redact_phase(p: &mut PhaseReport, secrets: &Secrets) {
    let r = |s: &mut String| secrets.redact_in(s);
    for s in &mut p.steps {
        s.client.iter_mut().for_each(r);
    }
    for f in &mut p.failures {
        let Mismatch { action, expectation, expected, observed, .. } = f;
        [action, expectation, expected, observed].into_iter().for_each(r);
    }
    p.log_excerpt.iter_mut().for_each(r);
    for o in &mut p.observations {
        o.client.iter_mut().for_each(r);
        let kind = std::mem::replace(&mut o.kind, ObservationKind::ServerReady { ready_ms: 0 });
        o.kind = kind.redacted(secrets);
    }
}
