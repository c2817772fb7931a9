//! `verify`'s report as text for people and as JSON for tools.

use super::report::VerifyReport;

/// One summary line, then each broken line with what was observed and why.
///
/// ```
/// let report = natsfault::contract::VerifyReport {
///     config: "deploy/nats.conf".into(), version: "2.15.1".into(), backend: "process".into(),
///     lines: vec![], ready_ms: 9, duration_ms: 30, confined: "no".into(), sockets: None,
/// };
/// assert!(natsfault::contract::render_human(&report).starts_with("holds  deploy/nats.conf"));
/// ```
pub fn render_human(r: &VerifyReport) -> String {
    let broken: Vec<_> = r.broken().collect();
    let unchecked: Vec<_> = r.unchecked().collect();
    let status = match (broken.is_empty(), unchecked.is_empty()) {
        (false, _) => "BROKEN",
        (true, false) => "UNCHECKED",
        (true, true) => "holds",
    };
    let not_checked = if unchecked.is_empty() { String::new() } else { format!(", {} not checked", unchecked.len()) };
    let mut out = format!(
        "{status}  {} on nats-server {} ({}): {} of {} lines hold{not_checked} (server ready in {} ms, whole run {} ms)\n",
        r.config,
        r.version,
        r.backend,
        r.lines.iter().filter(|l| l.held).count(),
        r.lines.len(),
        r.ready_ms,
        r.duration_ms
    );
    out.push_str(&format!("confined: {}\n", r.confined));
    if let Some(sockets) = &r.sockets {
        out.push_str(&format!("sockets:  {sockets}\n"));
    }
    for b in broken {
        out.push_str(&format!("broken  {}  {}\n", b.line.at, b.line.describe()));
        out.push_str(&format!("        observed: {}\n", b.observed));
        if let Some(why) = &b.because {
            out.push_str(&format!("        because: {why}\n"));
        }
    }
    for u in unchecked {
        out.push_str(&format!("not checked  {}  {}\n", u.line.at, u.line.describe()));
        out.push_str(&format!("        why: {}\n", u.observed));
    }
    out
}

/// The report as a JSON object: every line with `held`, `observed` and `because`.
pub fn render_json(r: &VerifyReport) -> serde_json::Value {
    serde_json::json!({
        "config": r.config,
        "server_version": r.version,
        "backend": r.backend,
        "holds": r.holds(),
        "broken": r.broken().count(),
        "not_checked": r.unchecked().count(),
        "ready_ms": r.ready_ms,
        "duration_ms": r.duration_ms,
        "confined": r.confined,
        "sockets": r.sockets,
        "lines": r.lines.iter().map(|l| serde_json::json!({
            "at": l.line.at,
            "identity": l.line.identity,
            "must": if l.line.must_work { "can" } else { "cannot" },
            "line": l.line.text,
            "held": l.held,
            "outcome": l.outcome.as_str(),
            "observed": l.observed,
            "because": l.because,
        })).collect::<Vec<_>>(),
    })
}
