//! Checking a step's expectations against what was observed.

use std::time::{Duration, Instant};

use regex::Regex;

use super::check_auth::check_reason;
use super::context::PhaseCtx;
use super::exec::{DEFAULT_WITHIN, Outcome};
use super::wire::{errs_since, wait_err};
use crate::client::event_matches;
use crate::observe::ObservationKind;
use crate::render::{Provider, find_placeholders};
use crate::spec::{Expect, Step};

/// Positions in the phase's records at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    started: Instant,
    log: usize,
    events: std::collections::BTreeMap<String, usize>,
    received: std::collections::BTreeMap<String, usize>,
    endpoint: usize,
}

impl Snapshot {
    /// Takes a snapshot of every record now.
    pub fn take(ctx: &PhaseCtx<'_>) -> Snapshot {
        Snapshot {
            started: Instant::now(),
            log: ctx.log_mark(),
            events: ctx.clients.iter().map(|(n, c)| (n.clone(), c.events.len())).collect(),
            received: ctx.clients.iter().map(|(n, c)| (n.clone(), c.received.len())).collect(),
            endpoint: ctx.endpoint.as_ref().map_or(0, |e| e.count()),
        }
    }

    /// The marks for `step`'s client.
    pub fn marks(&self, step: &Step) -> Marks {
        let name = step.client_name().unwrap_or_default();
        Marks {
            started: self.started,
            log: self.log,
            events: self.events.get(name).copied().unwrap_or(0),
            received: self.received.get(name).copied().unwrap_or(0),
            endpoint: self.endpoint,
        }
    }
}

/// Positions in the phase's records from which a step's expectations look: when the step began,
/// or, for `await`, when the step before it began (so it sees what that action caused).
#[derive(Clone, Copy, Debug)]
pub struct Marks {
    /// When the observed window began.
    pub started: Instant,
    /// Server log length.
    pub log: usize,
    /// The step client's event count.
    pub events: usize,
    /// The step client's received-line count.
    pub received: usize,
    /// How many requests the auth endpoint had received.
    pub endpoint: usize,
}

/// Checks `expect` for step `index`; records observations and failures in `ctx`. Returns whether
/// every expectation held.
pub async fn check(
    ctx: &mut PhaseCtx<'_>,
    index: usize,
    step: &Step,
    expect: &Expect,
    outcome: Outcome,
    marks: Marks,
) -> bool {
    let before = ctx.failures.len();
    let action = step.action.get_ref().as_str();
    let client = step.client_name().map(str::to_string);
    let cl = client.as_deref();
    let within = expect.within.map_or(DEFAULT_WITHIN, |d| d.get());
    let mut finished = Instant::now();

    // The action's own result.
    match (&outcome, &expect.error) {
        (Outcome::Ok(got), None) => {
            ctx.observe(Some(index), cl, ObservationKind::ClientOk { op: action.into() });
            if let Some(r) = got {
                ctx.observe(
                    Some(index),
                    cl,
                    ObservationKind::Message { subject: r.subject.clone(), payload: r.payload.clone() },
                );
            }
        }
        (Outcome::Ok(_), Some(kind)) => {
            ctx.fail(Some(index), action, "error", format!("client error `{}`", kind.get_ref()), "success");
        }
        (Outcome::Client(f), want) => {
            ctx.observe(
                Some(index),
                cl,
                ObservationKind::ClientError {
                    op: f.op.into(),
                    error_kind: f.kind.clone(),
                    message: f.message.clone(),
                },
            );
            let observed = format!("client error `{}`: {}", f.kind, f.message);
            match want {
                None => ctx.fail(Some(index), action, "success", "success", observed),
                Some(k) if k.get_ref() != &f.kind => {
                    ctx.fail(Some(index), action, "error", format!("client error `{}`", k.get_ref()), observed)
                }
                Some(_) => {
                    if let Some(text) = &expect.error_contains
                        && !f.message.contains(text.as_str())
                    {
                        ctx.fail(
                            Some(index),
                            action,
                            "error-contains",
                            format!("an error message containing `{text}`"),
                            observed,
                        );
                    }
                }
            }
        }
        (Outcome::Harness(msg), _) => {
            ctx.fail(Some(index), action, "action", "the action to run", msg.clone());
        }
    }

    // -ERR on the wire.
    if let Some(c) = cl.and_then(|n| ctx.clients.get(n)) {
        let tap = c.tap.clone();
        let none_expected = expect.server_err.as_deref() == Some("") || !expect.expects_failure();
        match &expect.server_err {
            Some(text) if !text.is_empty() => match wait_err(&tap, marks.started, within, text).await {
                Some(e) => {
                    finished = finished.max(e.at);
                }
                None => {
                    let seen: Vec<String> =
                        errs_since(&tap, marks.started).into_iter().map(|e| format!("-ERR '{}'", e.text)).collect();
                    let observed =
                        if seen.is_empty() { format!("no -ERR within {}", show(within)) } else { seen.join(", ") };
                    ctx.fail(Some(index), action, "server-err", format!("-ERR '{text}'"), observed);
                }
            },
            _ if none_expected => {
                let seen = errs_since(&tap, marks.started);
                if !seen.is_empty() {
                    let observed: Vec<String> = seen.iter().map(|e| format!("-ERR '{}'", e.text)).collect();
                    ctx.fail(Some(index), action, "no-server-err", "no -ERR from the server", observed.join(", "));
                }
            }
            _ => {}
        }
        for e in errs_since(&tap, marks.started) {
            ctx.observe_at(e.at, Some(index), cl, ObservationKind::ServerErr { text: e.text });
        }
    }

    // async-nats events.
    if let Some(want) = &expect.event {
        let want = want.get_ref().clone();
        match cl.and_then(|n| ctx.clients.get(n)).map(|c| c.events.clone()) {
            None => ctx.fail(Some(index), action, "event", format!("event `{want}`"), "no client to observe events on"),
            Some(events) => match events.wait_for(marks.events, within, |e| event_matches(&want, e)).await {
                Some(e) => finished = finished.max(e.at),
                None => {
                    let seen: Vec<String> = events.since(marks.events).into_iter().map(|e| e.value).collect();
                    let observed = if seen.is_empty() {
                        format!("no event within {}", show(within))
                    } else {
                        format!("events: {}", seen.join("; "))
                    };
                    ctx.fail(Some(index), action, "event", format!("event `{want}`"), observed);
                }
            },
        }
    }
    if let Some(c) = cl.and_then(|n| ctx.clients.get(n)) {
        for e in c.events.since(marks.events) {
            ctx.observe_at(e.at, Some(index), cl, ObservationKind::Event { event: e.value });
        }
    }

    // Server log.
    if let Some(pattern) = &expect.log {
        let re = log_regex(ctx, pattern.get_ref());
        let log = ctx.server.as_ref().map(|s| s.log());
        match (re, log) {
            (Some(re), Some(log)) => match log.wait_for(marks.log, within, |l| re.is_match(l)).await {
                Some(line) => {
                    finished = finished.max(line.at);
                    ctx.observe_at(line.at, Some(index), None, ObservationKind::LogLine { line: line.value });
                }
                None => ctx.fail(
                    Some(index),
                    action,
                    "log",
                    format!("a server log line matching `{}`", pattern.get_ref()),
                    format!("no such line within {}", show(within)),
                ),
            },
            _ => ctx.fail(
                Some(index),
                action,
                "log",
                format!("a server log line matching `{}`", pattern.get_ref()),
                "no server log",
            ),
        }
    }

    // The server's reason for refusing the client.
    if let Some(at) = check_reason(ctx, index, step, expect, &outcome, marks, within).await {
        finished = finished.max(at);
    }

    // JetStream: the API error, an -ERR about a generated subject.
    if let Some(at) = super::check_js::check_js(ctx, index, step, expect, &outcome, marks, within).await {
        finished = finished.max(at);
    }

    // What arrived: a raw client's lines, or a message's payload.
    if let Some(text) = &expect.received {
        let got_payload = match &outcome {
            Outcome::Ok(Some(r)) => Some(r.payload.clone()),
            _ => None,
        };
        match (got_payload, cl.and_then(|n| ctx.clients.get(n)).map(|c| c.received.clone())) {
            (Some(p), _) => {
                if !p.contains(text.as_str()) {
                    ctx.fail(
                        Some(index),
                        action,
                        "received",
                        format!("a payload containing `{text}`"),
                        format!("`{p}`"),
                    );
                }
            }
            (None, Some(rx)) => match rx.wait_for(marks.received, within, |l| l.contains(text.as_str())).await {
                Some(l) => {
                    finished = finished.max(l.at);
                    ctx.observe_at(l.at, Some(index), cl, ObservationKind::Received { text: l.value });
                }
                None => {
                    let seen: Vec<String> = rx.since(marks.received).into_iter().map(|l| l.value).collect();
                    ctx.fail(
                        Some(index),
                        action,
                        "received",
                        format!("`{text}`"),
                        if seen.is_empty() { "nothing".into() } else { seen.join(" | ") },
                    );
                }
            },
            (None, None) => ctx.fail(Some(index), action, "received", format!("`{text}`"), "nothing"),
        }
    }

    // What must not have arrived.
    if let Some(text) = &expect.not_received
        && let Some(c) = cl.and_then(|n| ctx.clients.get(n))
    {
        let bad: Vec<String> =
            c.received.all().into_iter().map(|l| l.value).filter(|l| l.contains(text.as_str())).collect();
        if !bad.is_empty() {
            ctx.fail(Some(index), action, "not-received", format!("nothing containing `{text}`"), bad.join(" | "));
        }
    }

    // Connection attempts through the tap.
    if let Some(range) = &expect.connections {
        match cl.and_then(|n| ctx.clients.get(n)) {
            Some(c) => {
                let n = c.tap.wire().connections.iter().filter(|r| r.opened_at >= marks.started).count() as u64;
                if !range.contains(n) {
                    ctx.fail(
                        Some(index),
                        action,
                        "connections",
                        format!("{range} connection attempts"),
                        format!("{n}"),
                    );
                }
            }
            None => ctx.fail(Some(index), action, "connections", range.to_string(), "no client"),
        }
    }

    // The auth endpoint.
    if let Some(at) = check_endpoint(ctx, index, action, expect, marks, within).await {
        finished = finished.max(at);
    }

    // Timing.
    if let Some(range) = &expect.elapsed {
        let took = finished.saturating_duration_since(marks.started);
        if !range.contains(took) {
            ctx.fail(Some(index), action, "elapsed", range.to_string(), show(took));
        }
    }
    ctx.failures.len() == before
}

/// `endpoint-received` and `endpoint-calls`, after the other expectations were awaited. A lower
/// bound on the calls is awaited (up to `within`); the upper bound is checked then. Returns when
/// the matching request arrived.
async fn check_endpoint(
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

/// The `log` pattern with its placeholders filled (values escaped, so a key or JWT matches
/// literally).
fn log_regex(ctx: &PhaseCtx<'_>, pattern: &str) -> Option<Regex> {
    let mut out = String::new();
    let mut at = 0;
    for found in find_placeholders(pattern) {
        out.push_str(&pattern[at..found.range.start]);
        let key = found.key?;
        out.push_str(&regex::escape(&ctx.value(key)?));
        at = found.range.end;
    }
    out.push_str(&pattern[at..]);
    Regex::new(&out).ok()
}

fn show(d: Duration) -> String {
    let mut s = String::new();
    let _ = crate::spec::fmt_duration(d, &mut s);
    s
}
