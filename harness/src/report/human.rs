//! The report people read: a line per scenario, and for each failure what was expected, what was
//! observed, and the server log lines that explain it.

use std::fmt::Write;

use super::model::{ScenarioReport, Status};
use crate::spec::Phase;

/// One line for a finished scenario: `pass  permissions/guide-example.toml  broken 120ms  fixed 95ms`.
pub fn line(r: &ScenarioReport) -> String {
    let mut s = format!("{:<4}  [{} {}] {}", r.status.label(), r.backend, r.server_version, r.file);
    for p in &r.phases {
        let _ = write!(s, "  {} {} {}ms", p.phase.as_str(), p.status.label(), p.duration_ms);
    }
    match (&r.reason, r.status) {
        (Some(why), _) => {
            let _ = write!(s, "  ({why})");
        }
        (None, Status::NotApplicable) => s.push_str("  (not for this server version)"),
        (None, Status::Differs) => s.push_str("  (not asserted for this library: see the side-by-side table)"),
        _ => {}
    }
    s
}

/// The details of a failed scenario.
pub fn failure_details(r: &ScenarioReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n--- {} ({}) on {} {}", r.name, r.file, r.backend, r.server_version);
    for p in r.phases.iter().filter(|p| matches!(p.status, Status::Failed | Status::Differs)) {
        let _ = writeln!(s, "  {} phase:", phase_name(p.phase));
        for f in &p.failures {
            let at = f.step.map_or_else(|| "server start".to_string(), |n| format!("step {n}"));
            let _ = writeln!(s, "    {at} `{}`, {}:", f.action, f.expectation);
            let _ = writeln!(s, "      expected: {}", f.expected);
            let _ = writeln!(s, "      observed: {}", f.observed);
        }
        // What the shaping rules did to the conversation, where they did anything.
        for o in &p.observations {
            if let crate::observe::ObservationKind::Shaped { rule, action, frame, to, connection } = &o.kind {
                let at = o.step.map_or_else(|| "after the steps".to_string(), |n| format!("step {n}"));
                let who = o.client.as_deref().unwrap_or("?");
                let _ = writeln!(
                    s,
                    "    shaped: rule `{rule}` {action} `{frame}` to the {to} on `{who}`, connection {connection} ({at})"
                );
            }
        }
        if let Some(sockets) = &p.sockets {
            let _ = writeln!(s, "    sockets: {sockets}");
        }
        if !p.log_excerpt.is_empty() {
            let _ = writeln!(s, "    server log:");
            for l in &p.log_excerpt {
                let _ = writeln!(s, "      {l}");
            }
        }
    }
    let _ =
        writeln!(s, "  rerun: natsfault run {} --backend {} --server-version {}", r.file, r.backend, r.server_version);
    s
}

/// The closing summary.
pub fn summary(reports: &[ScenarioReport], elapsed_ms: u64) -> String {
    let count = |st: Status| reports.iter().filter(|r| r.status == st).count();
    let differs = match count(Status::Differs) {
        0 => String::new(),
        n => format!(", {n} differ where the file asserts nothing"),
    };
    format!(
        "{} passed, {} failed, {} n/a{differs} ({} scenario runs in {:.2}s)",
        count(Status::Passed),
        count(Status::Failed),
        count(Status::NotApplicable),
        reports.len(),
        elapsed_ms as f64 / 1000.0
    )
}

fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Broken => "broken",
        Phase::Fixed => "fixed",
    }
}
