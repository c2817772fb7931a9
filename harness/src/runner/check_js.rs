//! The expectations of JetStream steps: the API error async-nats reported, and an `-ERR` that
//! names a subject the client generated (matched by a regular expression).

use std::time::{Duration, Instant};

use regex::Regex;
use tokio::sync::broadcast::error::RecvError;

use super::check::Marks;
use super::context::PhaseCtx;
use super::exec::Outcome;
use super::wire::errs_since;
use crate::spec::{Expect, Step};

/// Checks `api-error` and `server-err-matches`; returns when the matching `-ERR` arrived.
pub async fn check_js(
    ctx: &mut PhaseCtx<'_>,
    index: usize,
    step: &Step,
    expect: &Expect,
    outcome: &Outcome,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let action = step.action.get_ref().as_str();
    if let Some(want) = &expect.api_error {
        let got = match outcome {
            Outcome::Client(f) => f.api.clone(),
            _ => None,
        };
        match got {
            None => ctx.fail(Some(index), action, "api-error", want.describe(), "no JetStream API error"),
            Some(a) => {
                let ok = want.code.is_none_or(|c| c == a.code)
                    && want.err_code.is_none_or(|c| c == a.err_code)
                    && want.description.as_ref().is_none_or(|d| *d == a.description);
                if !ok {
                    ctx.fail(Some(index), action, "api-error", want.describe(), a.to_string());
                }
            }
        }
    }
    let pattern = expect.server_err_matches.as_ref()?;
    let tap = ctx.clients.get(step.client_name()?)?.tap.clone();
    let Ok(re) = Regex::new(pattern.get_ref()) else {
        ctx.fail(Some(index), action, "server-err-matches", "a valid regular expression", pattern.get_ref().clone());
        return None;
    };
    let deadline = Instant::now() + within;
    let mut rx = tap.events();
    loop {
        if let Some(e) = errs_since(&tap, marks.started).into_iter().find(|e| re.is_match(&e.text)) {
            return Some(e.at);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => {}
            Ok(Err(RecvError::Closed)) | Err(_) => {
                if let Some(e) = errs_since(&tap, marks.started).into_iter().find(|e| re.is_match(&e.text)) {
                    return Some(e.at);
                }
                break;
            }
        }
    }
    let seen: Vec<String> = errs_since(&tap, marks.started).into_iter().map(|e| format!("-ERR '{}'", e.text)).collect();
    let observed = if seen.is_empty() { "no -ERR".to_string() } else { seen.join(", ") };
    ctx.fail(Some(index), action, "server-err-matches", format!("an -ERR matching `{}`", pattern.get_ref()), observed);
    None
}
