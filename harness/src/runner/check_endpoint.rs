//! `endpoint-received` and `endpoint-calls`: what the auth endpoint received in a step's window.

use std::time::{Duration, Instant};

use super::check::Marks;
use super::context::PhaseCtx;
use crate::spec::Expect;

/// `endpoint-received` and `endpoint-calls`, after the other expectations were awaited. A lower
/// bound on the calls is awaited (up to `within`); the upper bound is checked then. Returns when
/// the matching request arrived.
pub async fn check_endpoint(
    ctx: &mut PhaseCtx<'_>,
    index: usize,
    action: &str,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    if expect.endpoint_received.is_none() && expect.endpoint_calls.is_none() {
        return None;
    }
    let Some(endpoint) = ctx.endpoint.as_ref() else {
        ctx.fail(Some(index), action, "endpoint-calls", "an auth endpoint", "no auth endpoint is running");
        return None;
    };
    let mut arrived = None;
    let mut failures: Vec<(&str, String, String)> = Vec::new();
    if let Some(text) = &expect.endpoint_received {
        let text = crate::render::render(text.get_ref(), &[ctx]).unwrap_or_else(|_| text.get_ref().clone());
        arrived = endpoint.wait_call(marks.endpoint, within, |c| c.contains(&text)).await.map(|c| c.at);
        if arrived.is_none() {
            let seen: Vec<String> = endpoint.calls_since(marks.endpoint).iter().map(|c| c.describe()).collect();
            let observed = if seen.is_empty() { "no request".to_string() } else { seen.join(" | ") };
            failures.push(("endpoint-received", format!("a request containing `{text}`"), observed));
        }
    }
    if let Some(range) = &expect.endpoint_calls {
        let min = range.min.unwrap_or(0) as usize;
        let n = (endpoint.wait_count(marks.endpoint + min, within).await - marks.endpoint) as u64;
        if !range.contains(n) {
            failures.push(("endpoint-calls", format!("{range} requests to the auth endpoint"), n.to_string()));
        }
    }
    for (expectation, expected, observed) in failures {
        ctx.fail(Some(index), action, expectation, expected, observed);
    }
    arrived
}
