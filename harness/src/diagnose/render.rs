//! The diagnosis as text for a person, or as one JSON object.

use std::fmt::Write;

use super::model::{Diagnosis, Verdict};

/// Human-readable report.
pub fn human(d: &Diagnosis) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "verdict: {}", d.verdict.name());
    if let Verdict::ConfigRefused { cause, reason, at } = &d.verdict {
        if let Some(c) = cause {
            let _ = writeln!(s, "cause:   {c}");
        }
        let _ = writeln!(s, "refused: {reason}{}", at.as_deref().map(|a| format!(" (at {a})")).unwrap_or_default());
    }
    let _ = writeln!(s, "detail:  {}", d.detail);
    let _ = writeln!(s, "what:    {}", d.summary);
    let e = &d.evidence;
    if e.client_error.is_some() || !e.server_errs.is_empty() || e.reason.is_some() || !e.log.is_empty() {
        let _ = writeln!(s, "evidence:");
        if let Some(c) = &e.client_error {
            let _ = writeln!(s, "  client error: {c}");
        }
        for x in &e.server_errs {
            let _ = writeln!(s, "  server sent:  -ERR '{x}'");
        }
        if let Some(r) = &e.reason {
            let _ = writeln!(s, "  reason:       {r}");
        }
        for l in &e.log {
            let _ = writeln!(s, "  log:          {l}");
        }
    }
    if let Some(f) = &d.fix {
        let _ = writeln!(s, "fix:     {f}");
    }
    if !d.decoded.is_empty() {
        let _ = writeln!(s, "decoded before running:");
        for n in &d.decoded {
            let _ = writeln!(s, "  {n}");
        }
    }
    if !d.rewrites.is_empty() {
        let _ = writeln!(s, "changed to run here:");
        for n in &d.rewrites {
            let _ = writeln!(s, "  {n}");
        }
    }
    if let Some(l) = &d.library {
        let _ = writeln!(s, "client:   {l}");
    }
    if let Some(c) = &d.confinement {
        let _ = writeln!(s, "confined: {c}");
    }
    if let Some(sockets) = &d.sockets {
        let _ = writeln!(s, "sockets:  {sockets}");
    }
    s
}

/// One JSON object.
pub fn json(d: &Diagnosis) -> serde_json::Value {
    let (reason, at) = match &d.verdict {
        Verdict::ConfigRefused { reason, at, .. } => (Some(reason.clone()), at.clone()),
        _ => (None, None),
    };
    serde_json::json!({
        "verdict": d.verdict.name(),
        "cause": d.verdict.cause().map(|c| c.as_str()),
        "refused": reason,
        "at": at,
        "detail": d.detail,
        "summary": d.summary,
        "evidence": d.evidence,
        "fix": d.fix,
        "failed_operation": d.failed_operation.as_ref().map(|(verb, subject)| serde_json::json!({"op": verb, "subject": subject})),
        "decoded": d.decoded,
        "rewrites": d.rewrites,
        "confinement": d.confinement,
        "library": d.library,
        "sockets": d.sockets,
    })
}
