//! The `reason` expectation: the server's debug reason for refusing a client.

use std::time::{Duration, Instant};

use super::check::Marks;
use super::context::PhaseCtx;
use super::exec::Outcome;
use super::topology::log_of;
use crate::observe::{AuthFailure, ObservationKind, Timeline, auth_failures};
use crate::spec::{Expect, Step};

/// How long to look for the reason of a refused connect when no `reason` is expected: the
/// server logs it before it sends `-ERR`, so it is there at once unless the log pipe lags.
const AUTO_REASON_WAIT: Duration = Duration::from_secs(1);

/// The first authentication failure at log index `from` or later whose reason is `want` (any
/// failure when `want` is `None`; with `explained`, the first with a reason if one comes in
/// time), waiting up to `within`; also every failure seen.
async fn wait_failure(
    log: &Timeline<String>,
    from: usize,
    within: Duration,
    want: Option<&str>,
    explained: bool,
) -> (Option<AuthFailure>, Vec<AuthFailure>) {
    let deadline = Instant::now() + within;
    let pick = |seen: &[AuthFailure], last: bool| {
        let hit = seen.iter().find(|f| matches(f, want) && (!explained || last || f.reason.is_some()));
        hit.or_else(|| if last { seen.iter().find(|f| matches(f, want)) } else { None }).cloned()
    };
    loop {
        let lines = log.all();
        let seen = auth_failures(&lines, from);
        let left = deadline.saturating_duration_since(Instant::now());
        let hit = pick(&seen, left.is_zero());
        if hit.is_some() || left.is_zero() {
            return (hit, seen);
        }
        if log.wait_for(lines.len(), left, |_| true).await.is_none() {
            let seen = auth_failures(&log.all(), from);
            return (pick(&seen, true), seen);
        }
    }
}

/// Whether a failure has the wanted reason (`""`: none logged); any failure when `None`.
fn matches(f: &AuthFailure, want: Option<&str>) -> bool {
    match want {
        None => true,
        Some("") => f.reason.is_none(),
        Some(w) => f.reason.as_deref() == Some(w),
    }
}

fn show_reason(f: &AuthFailure) -> String {
    match &f.reason {
        Some(r) => format!("`{r}`"),
        None => format!("no reason (`{}`)", f.text()),
    }
}

/// Checks `expect.reason`, or, for a connect refused with `AuthorizationViolation`, records the
/// reason the server gave. Returns when the awaited line was logged.
pub async fn check_reason(
    ctx: &mut PhaseCtx<'_>,
    index: usize,
    step: &Step,
    expect: &Expect,
    outcome: &Outcome,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let action = step.action.get_ref().as_str();
    let client = step.client_name();
    let refused = matches!(outcome, Outcome::Client(f) if f.kind == "AuthorizationViolation");
    // The server the client connected to, unless the expectation names another.
    let server = expect
        .server
        .as_ref()
        .map(|s| s.get_ref().clone())
        .or_else(|| client.and_then(|c| ctx.clients.get(c)).and_then(|c| c.spec.server.clone()));
    let log = log_of(ctx, server.as_deref(), marks.log, marks.started);
    let want = expect
        .reason
        .as_ref()
        .map(|w| crate::render::render(w.get_ref(), &[&*ctx]).unwrap_or_else(|_| w.get_ref().clone()));
    match (&want, log) {
        (Some(want), Some((log, from))) => {
            let (hit, seen) = wait_failure(&log, from, within, Some(want), false).await;
            match hit {
                Some(f) => {
                    ctx.observe_at(
                        f.at,
                        Some(index),
                        client,
                        ObservationKind::AuthFailure { reason: f.reason, line: f.line },
                    );
                    return Some(f.at);
                }
                None => {
                    let observed = if seen.is_empty() {
                        format!("no authentication error logged within {}", show(within))
                    } else {
                        format!("reasons: {}", seen.iter().map(show_reason).collect::<Vec<_>>().join("; "))
                    };
                    let expected = if want.is_empty() {
                        "a failure the server logs no reason for".to_string()
                    } else {
                        format!("the server's reason `{want}`")
                    };
                    ctx.fail(Some(index), action, "reason", expected, observed);
                }
            }
        }
        (Some(want), None) => {
            ctx.fail(Some(index), action, "reason", format!("the server's reason `{want}`"), "no server log")
        }
        (None, Some((log, from))) if refused => {
            // A callout explains its refusal on a line logged just after the `[ERR]` line.
            let callout =
                ctx.endpoint.is_some() || ctx.identities.accounts.values().any(|a| a.get_ref().auth_callout.is_some());
            if let (Some(f), _) = wait_failure(&log, from, AUTO_REASON_WAIT, None, callout).await {
                ctx.observe_at(
                    f.at,
                    Some(index),
                    client,
                    ObservationKind::AuthFailure { reason: f.reason, line: f.line },
                );
            }
        }
        (None, _) => {}
    }
    None
}

fn show(d: Duration) -> String {
    let mut s = String::new();
    let _ = crate::spec::fmt_duration(d, &mut s);
    s
}
