//! What a scenario run showed, as comparable lines: client error kinds, `-ERR` texts, events,
//! server log lines (normalized), refusals, step timing classes.

use std::collections::BTreeSet;

use super::normalize::{normalize, timing_class};
use crate::observe::ObservationKind;
use crate::report::ScenarioReport;

/// The comparable lines of one run, sorted and without duplicates.
pub fn fingerprint(r: &ScenarioReport) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &r.phases {
        let phase = p.phase.as_str();
        out.insert(format!("{phase}: {}", p.status.label()));
        // The `-ERR`s each client got: a library's `server-error` event for one says nothing more.
        let errs: Vec<(Option<&str>, &str)> = p
            .observations
            .iter()
            .filter_map(|o| match &o.kind {
                ObservationKind::ServerErr { text } => Some((o.client.as_deref(), text.as_str())),
                _ => None,
            })
            .collect();
        for o in &p.observations {
            if let ObservationKind::Event { event } = &o.kind
                && let Some(text) = event.strip_prefix("server-error: ")
                && errs.iter().any(|(c, t)| *c == o.client.as_deref() && t.trim_matches('\'') == text)
            {
                continue;
            }
            // Async events and `-ERR`s land in whichever step's window was open when they came
            // (or after the steps): their step says nothing.
            let at = match (&o.kind, o.step) {
                (
                    ObservationKind::Event { .. } | ObservationKind::ServerErr { .. } | ObservationKind::Shaped { .. },
                    _,
                ) => "any step".to_string(),
                // A step by its identity, not its number: steps gated to other versions move
                // the numbers, not the identities.
                (_, Some(s)) => match p.steps.iter().find(|st| st.index == s) {
                    Some(st) => format!("step `{}`", st.identity),
                    None => format!("step {s}"),
                },
                (_, None) => "start".to_string(),
            };
            let who = o.client.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            let what = match &o.kind {
                ObservationKind::ClientError { op, error_kind, .. } => format!("{op} error {error_kind}"),
                ObservationKind::ServerErr { text } => format!("-ERR '{}'", normalize(text)),
                // When `connected` is delivered relative to the steps is the client's business.
                ObservationKind::Event { event } if event == "connected" => continue,
                ObservationKind::Event { event } => format!("event {}", normalize(event)),
                ObservationKind::ServerRefused { message } => format!("refused: {}", normalize(message)),
                ObservationKind::LogLine { line } => format!("log {}", normalize(line)),
                ObservationKind::Shaped { rule, action, frame, .. } => {
                    format!("shaped {rule} {action} {}", normalize(frame))
                }
                ObservationKind::CalloutRequest { fields } => format!("callout request {}", normalize(fields)),
                ObservationKind::AuthFailure { reason, .. } => {
                    format!("auth failure reason {}", reason.as_deref().map_or_else(|| "none".into(), normalize))
                }
                ObservationKind::ClientOk { .. }
                | ObservationKind::ClientLibrary { .. }
                | ObservationKind::ServerReady { .. }
                | ObservationKind::ServerAction { .. }
                | ObservationKind::Message { .. }
                | ObservationKind::Received { .. } => continue,
            };
            out.insert(format!("{phase} {at}{who}: {what}"));
        }
        for s in &p.steps {
            out.insert(format!("{phase} step `{}`: took {}", s.identity, timing_class(s.duration_ms)));
        }
        for l in &p.log_excerpt {
            out.insert(format!("{phase} server log: {}", normalize(l)));
        }
    }
    out
}
