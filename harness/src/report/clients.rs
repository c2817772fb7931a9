//! The `clients` report: one scenario played by several client libraries, what each reported at
//! every step side by side, and the steps where they disagree.
//!
//! ```text
//! ## permissions/publish-denied.toml (process, 2.15.1)
//! libraries: async-nats 0.51.0, nats-py 2.16.0, nats.go 1.22.1
//!
//! | step | async-nats | nats-py | nats.go | |
//! |---|---|---|---|---|
//! | broken 2 publish app | ok; event server-error: ... | ok; event error: ... | ok; event error: ... | |
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;

use super::model::{PhaseReport, ScenarioReport, Status};
use crate::observe::ObservationKind;
use crate::spec::Library;

/// What one library reported at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepView {
    /// `ok`, `KIND: message`, `failed: ...` (a harness failure), or `-` (the step did not run).
    pub outcome: String,
    /// The events the library surfaced while the step ran.
    pub events: Vec<String>,
    /// What the step is compared by: the outcome's class and the connection events that change
    /// what an application sees (closed for good, reconnected).
    pub verdict: String,
}

/// One row: a step of a phase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// `broken 3 request app`.
    pub step: String,
    /// Each library's view, in the order of [`Comparison::libraries`].
    pub views: Vec<StepView>,
    /// Whether the libraries' verdicts differ.
    pub disagree: bool,
}

/// One scenario file on one backend and version, across libraries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// The scenario file.
    pub file: String,
    /// `process, 2.15.1`.
    pub played_on: String,
    /// The libraries compared, with the version each connected with (if it did).
    pub libraries: Vec<(Library, Option<String>)>,
    /// Each library's status.
    pub statuses: Vec<Status>,
    /// The steps.
    pub rows: Vec<Row>,
}

impl Comparison {
    /// The rows where the libraries disagree.
    pub fn disagreements(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.disagree)
    }
}

/// One scenario played by one library.
type Run = (Library, ScenarioReport);

/// Compares the runs of each scenario file (with the library each was played with).
pub fn compare(runs: &[(Library, ScenarioReport)]) -> Vec<Comparison> {
    let mut groups: BTreeMap<(String, String, String), Vec<&Run>> = BTreeMap::new();
    for run in runs {
        let r = &run.1;
        groups.entry((r.file.clone(), r.backend.clone(), r.server_version.clone())).or_default().push(run);
    }
    groups
        .into_iter()
        .map(|((file, backend, version), mut runs)| {
            runs.sort_by_key(|(l, _)| *l);
            let libraries = runs.iter().map(|(l, r)| played_by(r, *l)).collect();
            let statuses = runs.iter().map(|(_, r)| r.status).collect();
            let mut keys: Vec<(usize, usize, String)> = Vec::new();
            for (_, r) in &runs {
                for (pi, p) in r.phases.iter().enumerate() {
                    for s in &p.steps {
                        let label = format!(
                            "{} {} {}{}",
                            p.phase.as_str(),
                            s.index,
                            s.action,
                            s.client.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
                        );
                        if !keys.iter().any(|k| k.0 == pi && k.1 == s.index) {
                            keys.push((pi, s.index, label));
                        }
                    }
                }
            }
            keys.sort();
            let rows = keys
                .into_iter()
                .map(|(pi, index, step)| {
                    let views: Vec<StepView> = runs.iter().map(|(_, r)| view(r.phases.get(pi), index)).collect();
                    let ran: Vec<&StepView> = views.iter().filter(|v| v.outcome != "-").collect();
                    let disagree = ran.windows(2).any(|w| w[0].verdict != w[1].verdict);
                    Row { step, views, disagree }
                })
                .collect();
            Comparison { file, played_on: format!("{backend}, {version}"), libraries, statuses, rows }
        })
        .collect()
}

/// The library a run was played with and its version: the one chosen, or, when every client
/// of the file is pinned to another (`library = "nats-py"`), the one its clients connected with.
fn played_by(r: &ScenarioReport, chosen: Library) -> (Library, Option<String>) {
    if let Some(v) = library_version(r, chosen) {
        return (chosen, Some(v));
    }
    let pinned = r.phases.iter().flat_map(|p| &p.observations).find_map(|o| match &o.kind {
        ObservationKind::ClientLibrary { library, version } => {
            library.parse::<Library>().ok().map(|l| (l, Some(version.clone())))
        }
        _ => None,
    });
    pinned.unwrap_or((chosen, None))
}

fn library_version(r: &ScenarioReport, l: Library) -> Option<String> {
    r.phases.iter().flat_map(|p| &p.observations).find_map(|o| match &o.kind {
        ObservationKind::ClientLibrary { library, version } if library == l.as_str() => Some(version.clone()),
        _ => None,
    })
}

fn view(phase: Option<&PhaseReport>, index: usize) -> StepView {
    let Some(p) = phase else { return StepView { outcome: "-".into(), ..StepView::default() } };
    let Some(step) = p.steps.iter().find(|s| s.index == index) else {
        return StepView { outcome: "-".into(), ..StepView::default() };
    };
    let mut outcome = None;
    let mut events = Vec::new();
    for o in p.observations.iter().filter(|o| o.step == Some(index) && o.client == step.client) {
        match &o.kind {
            ObservationKind::ClientOk { .. } => outcome = Some("ok".to_string()),
            ObservationKind::ClientError { error_kind, message, .. } => {
                outcome = Some(format!("{error_kind}: {message}"));
            }
            ObservationKind::Event { event } => events.push(event.clone()),
            _ => {}
        }
    }
    let harness = p.failures.iter().find(|f| f.step == Some(index) && f.is_harness_failure());
    let outcome = match (outcome, harness) {
        (_, Some(f)) => format!("failed: {}", f.observed),
        (Some(o), None) => o,
        (None, None) => "ok".into(),
    };
    let class = if outcome == "ok" {
        "ok"
    } else if outcome.starts_with("failed:") {
        "harness failure"
    } else {
        "error"
    };
    let mut verdict = class.to_string();
    // Each library names its errors its own way; what kind of failure it was is comparable.
    if class == "error" {
        let _ = write!(verdict, " ({})", error_kind(&outcome));
    }
    let reported =
        |e: &String| ["server-error", "client-error", "error"].iter().any(|k| e.starts_with(&format!("{k}:")));
    // A call that failed already says so; an error callback besides it says nothing more.
    if class == "ok" && events.iter().any(reported) {
        verdict.push_str(", error event");
    }
    let closed = events.iter().any(|e| e == "closed");
    if closed {
        verdict.push_str(", closed");
    }
    // async-nats says `connected` again after a reconnect; the others `reconnected`.
    let after_disconnect = events.iter().skip_while(|e| *e != "disconnected").any(|e| e == "connected");
    let reconnect = after_disconnect || events.iter().any(|e| e == "reconnected");
    if reconnect {
        verdict.push_str(", reconnected");
    }
    // A connection lost and neither back nor given up within the step: what an application
    // waiting on it sees differs from one that never noticed.
    if !closed && !reconnect && events.iter().any(|e| e == "disconnected") {
        verdict.push_str(", disconnected");
    }
    // An expectation that did not hold here for one library and held for another is a
    // difference even where what each reported looks alike (a timing, a log line).
    let missed: Vec<&str> = p
        .failures
        .iter()
        .filter(|f| f.step == Some(index) && !f.is_harness_failure())
        .map(|f| f.expectation.as_str())
        .collect();
    if !missed.is_empty() {
        let _ = write!(verdict, ", {} not as expected", missed.join(", "));
    }
    StepView { outcome, events, verdict }
}

/// What kind of failure an error is, in terms every library's names map to: async-nats'
/// `TimedOut`, nats-py's `TimeoutError`, nats.go's `ErrTimeout` and nats.c's `NATS_TIMEOUT` are
/// all a `timeout`.
fn error_kind(outcome: &str) -> &'static str {
    let name = outcome.split(':').next().unwrap_or(outcome).to_ascii_lowercase().replace('_', "");
    let text = outcome.to_ascii_lowercase();
    const KINDS: [(&str, &[&str]); 6] = [
        ("timeout", &["timeout", "timedout", "i/o timeout"]),
        ("authorization", &["authorization", "authentication", "autherr", "auth"]),
        ("permissions", &["permission", "notpermitted"]),
        ("closed", &["closed"]),
        ("no server", &["noservers", "noserver", "connection refused", "refused"]),
        ("no responders", &["noresponders", "no responders"]),
    ];
    KINDS
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| name.contains(k)))
        .or_else(|| KINDS.iter().find(|(_, keys)| keys.iter().any(|k| text.contains(k))))
        .map_or("other", |(kind, _)| kind)
}

/// The comparisons as Markdown: a table per scenario, then the disagreements.
pub fn render(comparisons: &[Comparison]) -> String {
    let mut s = String::from("# Client libraries side by side\n");
    for c in comparisons {
        let _ = writeln!(s, "\n## {} ({})\n", c.file, c.played_on);
        let libs: Vec<String> = c
            .libraries
            .iter()
            .zip(&c.statuses)
            .map(|((l, v), st)| format!("{l} {} ({})", v.as_deref().unwrap_or("?"), st.label().trim()))
            .collect();
        let _ = writeln!(s, "libraries: {}\n", libs.join(", "));
        let names: Vec<&str> = c.libraries.iter().map(|(l, _)| l.as_str()).collect();
        let _ = writeln!(s, "| step | {} | agree |", names.join(" | "));
        let _ = writeln!(s, "|---|{}---|", "---|".repeat(names.len()));
        for r in &c.rows {
            let cells: Vec<String> = r.views.iter().map(cell).collect();
            let _ =
                writeln!(s, "| {} | {} | {} |", r.step, cells.join(" | "), if r.disagree { "**no**" } else { "yes" });
        }
        let d: Vec<&Row> = c.disagreements().collect();
        if !d.is_empty() {
            let _ = writeln!(s, "\nThey disagree at:");
            for r in d {
                let each: Vec<String> =
                    c.libraries.iter().zip(&r.views).map(|((l, _), v)| format!("{l}: {}", v.verdict)).collect();
                let _ = writeln!(s, "- {}: {}", r.step, each.join("; "));
            }
        }
    }
    s
}

fn cell(v: &StepView) -> String {
    let mut t = v.outcome.clone();
    if !v.events.is_empty() {
        let _ = write!(t, "; events: {}", v.events.join(", "));
    }
    t.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::Observation;
    use crate::report::{PhaseReport, StepReport};
    use crate::spec::Phase;

    fn run(library: Library, events: &[&str]) -> (Library, ScenarioReport) {
        let obs = |kind| Observation { at_ms: 0, step: Some(1), client: Some("app".into()), kind };
        let mut observations = vec![obs(ObservationKind::ClientOk { op: "await".into() })];
        observations.extend(events.iter().map(|e| obs(ObservationKind::Event { event: e.to_string() })));
        let step = StepReport {
            index: 1,
            action: "await".into(),
            client: Some("app".into()),
            identity: "await app".into(),
            status: Status::Passed,
            duration_ms: 1,
        };
        let phase = PhaseReport {
            phase: Phase::Broken,
            status: Status::Passed,
            duration_ms: 1,
            ready_ms: None,
            steps: vec![step],
            observations,
            failures: Vec::new(),
            log_excerpt: Vec::new(),
            confined: None,
            sockets: None,
        };
        let report = ScenarioReport {
            file: "f.toml".into(),
            name: "n".into(),
            cause: "jwt-invalid".into(),
            backend: "process".into(),
            server_version: "2.15.1".into(),
            status: Status::Passed,
            duration_ms: 1,
            fix: None,
            phases: vec![phase],
            reason: None,
        };
        (library, report)
    }

    #[test]
    fn a_library_that_closes_where_the_others_reconnect_disagrees() {
        let runs = [
            run(
                Library::NatsGo,
                &["connected", "error: nats.ErrAuthExpired: nats: authentication expired", "reconnected"],
            ),
            run(
                Library::AsyncNats,
                &["connected", "server-error: User Authentication Expired", "disconnected", "connected"],
            ),
            run(Library::NatsPy, &["connected", "disconnected", "closed"]),
        ];
        let c = compare(&runs);
        assert_eq!(c.len(), 1);
        let row = &c[0].rows[0];
        assert!(row.disagree);
        let verdicts: Vec<&str> = row.views.iter().map(|v| v.verdict.as_str()).collect();
        assert_eq!(verdicts, ["ok, error event, reconnected", "ok, closed", "ok, error event, reconnected"]);
        let text = render(&c);
        assert!(text.contains("| async-nats | nats-py | nats.go |"), "{text}");
        assert!(
            text.contains("- broken 1 await app: async-nats: ok, error event, reconnected; nats-py: ok, closed"),
            "{text}"
        );
    }

    #[test]
    fn errors_agree_by_kind_not_by_name() {
        let same = ["TimedOut: timed out", "nats.errors.TimeoutError: nats: timeout", "nats.ErrTimeout: nats: timeout"];
        assert!(same.iter().all(|e| error_kind(e) == "timeout"), "{:?}", same.map(error_kind));
        assert_eq!(error_kind("AuthorizationViolation: authorization violation"), "authorization");
        assert_eq!(error_kind("nats.ErrAuthorization: nats: authorization violation"), "authorization");
        assert_eq!(error_kind("nats.errors.FlushTimeoutError: nats: flush timeout"), "timeout");
        assert_eq!(error_kind("nats.ErrConnectionClosed: nats: connection closed"), "closed");
        assert_eq!(error_kind("Io: IO error: Connection refused (os error 111)"), "no server");
        assert_eq!(error_kind("nats.errors.NoServersError: nats: no servers available for connection"), "no server");
        assert_eq!(error_kind("NATS_TIMEOUT: Timeout"), "timeout");
        assert_eq!(error_kind("NATS_NO_SERVER: (conn.c:2088): No server available for connection"), "no server");
        assert_eq!(error_kind("NATS_CONNECTION_AUTH_FAILED: (conn.c:1905): Authorization Violation"), "authorization");
        assert_eq!(error_kind("NATS_NOT_PERMITTED: Permissions Violation for Publish to \"x\""), "permissions");
        assert_eq!(error_kind("NATS_NO_RESPONDERS: No responders available for request"), "no responders");
    }

    #[test]
    fn libraries_that_report_the_same_agree() {
        let runs = [run(Library::AsyncNats, &["disconnected"]), run(Library::NatsPy, &["disconnected"])];
        let c = compare(&runs);
        assert!(c[0].disagreements().next().is_none());
        assert!(!render(&c).contains("They disagree at"));
    }
}
