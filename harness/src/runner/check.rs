//! Checking a step's expectations against what was observed.

use std::time::{Duration, Instant};

use super::check_auth::check_reason;
use super::check_callout::check_callout;
use super::check_endpoint::check_endpoint;
use super::check_log::{check_log, check_log_absent, check_log_count};
use super::check_wire::{await_server_errs, check_no_server_errs, record_server_errs};
use super::context::PhaseCtx;
use super::exec::{DEFAULT_WITHIN, Outcome};
use crate::client::event_matches;
use crate::observe::ObservationKind;
use crate::spec::{Expect, Step};

/// Positions in the phase's records at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    started: Instant,
    log: usize,
    events: std::collections::BTreeMap<String, usize>,
    received: std::collections::BTreeMap<String, usize>,
    endpoint: usize,
    callout: usize,
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
            callout: ctx.endpoint.as_ref().map_or(0, |e| e.callout_count()),
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
            callout: self.callout,
        }
    }
}

/// Positions in the phase's records from which a step's expectations look: when the step began,
/// or, for `await`, when the last step that was not an `await` began (so it sees what that
/// action caused); with `since = "phase"`, the start of the phase.
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
    /// How many authorization requests the auth callout service had handled.
    pub callout: usize,
}

impl Marks {
    /// The start of the phase: every record from its first entry.
    pub fn phase_start(ctx: &PhaseCtx<'_>) -> Marks {
        Marks { started: ctx.started, log: 0, events: 0, received: 0, endpoint: 0, callout: 0 }
    }
}

/// The step a check reports on.
#[derive(Clone, Copy)]
pub struct At<'a> {
    /// The step's 1-based index.
    pub index: usize,
    /// The action's name.
    pub action: &'a str,
    /// The step's client, if any.
    pub client: Option<&'a str>,
}

impl At<'_> {
    /// Records a failure of this step.
    pub fn fail(
        &self,
        ctx: &mut PhaseCtx<'_>,
        expectation: &str,
        expected: impl Into<String>,
        observed: impl Into<String>,
    ) {
        ctx.fail(Some(self.index), self.action, expectation, expected, observed);
    }
}

/// Checks `expect` for step `index`; records observations and failures in `ctx`. Returns whether
/// every expectation held. What a step awaits is awaited first; then what must not have happened
/// is checked over the whole window up to that moment, so an `-ERR` that came before an awaited
/// PONG, event or log line fails the step.
pub async fn check(
    ctx: &mut PhaseCtx<'_>,
    index: usize,
    step: &Step,
    expect: &Expect,
    outcome: Outcome,
    marks: Marks,
) -> bool {
    let before = ctx.failures.len();
    // The step's own window, for the implicit "no -ERR while a step that expects no failure ran".
    let own = marks;
    let marks = if expect.since_phase() { Marks::phase_start(ctx) } else { marks };
    let at = At { index, action: step.action.get_ref().as_str(), client: step.client_name() };
    let within = expect.within.map_or(DEFAULT_WITHIN, |d| d.get());
    let mut finished = Instant::now();
    check_outcome(ctx, at, expect, &outcome);

    // Evidence awaited, each up to `within`.
    let awaited = [
        await_server_errs(ctx, at, expect, marks, within).await,
        check_event(ctx, at, expect, marks, within).await,
        check_log(ctx, at, expect, marks, within).await,
        check_reason(ctx, index, step, expect, &outcome, marks, within).await,
        check_received(ctx, at, expect, &outcome, marks, within).await,
        check_endpoint(ctx, index, at.action, expect, marks, within).await,
        check_callout(ctx, at, expect, marks, within).await,
        super::topology::check_link_up(ctx, at, expect).await,
        super::check_shaped::await_shaped(ctx, at, expect, marks, within).await,
    ];
    super::check_js::check_api_error(ctx, at, expect, &outcome);
    finished = awaited.into_iter().flatten().fold(finished, Instant::max);

    // What must not have happened, over the window up to now.
    check_no_server_errs(ctx, at, expect, own, marks);
    check_log_absent(ctx, at, expect, marks);
    check_log_count(ctx, at, expect, marks, within).await;
    super::topology::check_link_down(ctx, at, expect).await;
    check_not_received(ctx, at, expect);
    check_connections(ctx, at, expect, marks);

    record_server_errs(ctx, at, marks);
    if let Some(c) = at.client.and_then(|n| ctx.clients.get(n)) {
        for e in c.events.since(marks.events) {
            ctx.observe_at(e.at, Some(index), at.client, ObservationKind::Event { event: e.value });
        }
    }

    // Timing.
    if let Some(range) = &expect.elapsed {
        let took = finished.saturating_duration_since(marks.started);
        if !range.contains(took) {
            at.fail(ctx, "elapsed", range.to_string(), show(took));
        }
    }
    ctx.failures.len() == before
}

/// The action's own result.
fn check_outcome(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, outcome: &Outcome) {
    let (index, cl) = (Some(at.index), at.client);
    match (outcome, &expect.error) {
        (Outcome::Ok(got), None) => {
            ctx.observe(index, cl, ObservationKind::ClientOk { op: at.action.into() });
            if let Some(r) = got {
                ctx.observe(
                    index,
                    cl,
                    ObservationKind::Message { subject: r.subject.clone(), payload: r.payload.clone() },
                );
            }
        }
        (Outcome::Ok(_), Some(kind)) => at.fail(ctx, "error", format!("client error `{}`", kind.get_ref()), "success"),
        (Outcome::Client(f), want) => {
            let kind = ObservationKind::ClientError {
                op: f.op.into(),
                error_kind: f.kind.clone(),
                message: f.message.clone(),
            };
            ctx.observe(index, cl, kind);
            let observed = format!("client error `{}`: {}", f.kind, f.message);
            match want {
                // A library the scenario does not assert: its error is recorded where async-nats
                // fails too; where async-nats succeeds it is a difference (the run `differs`),
                // not a failure of the file.
                None if expect.unasserted && expect.unasserted_failure => {}
                None if expect.unasserted => {
                    at.fail(ctx, "success", "success, as async-nats (not asserted for this library)", observed)
                }
                None => at.fail(ctx, "success", "success", observed),
                Some(k) if k.get_ref() != &f.kind => {
                    at.fail(ctx, "error", format!("client error `{}`", k.get_ref()), observed)
                }
                Some(_) => {
                    if let Some(text) = &expect.error_contains
                        && !f.message.contains(text.as_str())
                    {
                        at.fail(ctx, "error-contains", format!("an error message containing `{text}`"), observed);
                    }
                }
            }
        }
        (Outcome::Harness(msg), _) => at.fail(ctx, "action", "the action to run", msg.clone()),
    }
}

/// An async-nats event; returns when it came.
async fn check_event(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let want = expect.event.as_ref()?.get_ref().clone();
    if expect.unasserted {
        return None;
    }
    let Some(events) = at.client.and_then(|n| ctx.clients.get(n)).map(|c| c.events.clone()) else {
        at.fail(ctx, "event", format!("event `{want}`"), "no client to observe events on");
        return None;
    };
    match events.wait_for(marks.events, within, |e| event_matches(&want, e)).await {
        Some(e) => Some(e.at),
        None => {
            let seen: Vec<String> = events.since(marks.events).into_iter().map(|e| e.value).collect();
            let observed = if seen.is_empty() {
                format!("no event within {}", show(within))
            } else {
                format!("events: {}", seen.join("; "))
            };
            at.fail(ctx, "event", format!("event `{want}`"), observed);
            None
        }
    }
}

/// What arrived: a raw client's lines, or a message's payload; returns when it came.
async fn check_received(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    outcome: &Outcome,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let text = expect.received.as_ref()?;
    let got_payload = match outcome {
        Outcome::Ok(Some(r)) => Some(r.payload.clone()),
        _ => None,
    };
    match (got_payload, at.client.and_then(|n| ctx.clients.get(n)).map(|c| c.received.clone())) {
        (Some(p), _) => {
            if !p.contains(text.as_str()) {
                at.fail(ctx, "received", format!("a payload containing `{text}`"), format!("`{p}`"));
            }
            None
        }
        (None, Some(rx)) => match rx.wait_for(marks.received, within, |l| l.contains(text.as_str())).await {
            Some(l) => {
                ctx.observe_at(l.at, Some(at.index), at.client, ObservationKind::Received { text: l.value });
                Some(l.at)
            }
            None => {
                let seen: Vec<String> = rx.since(marks.received).into_iter().map(|l| l.value).collect();
                let observed = if seen.is_empty() { "nothing".into() } else { seen.join(" | ") };
                at.fail(ctx, "received", format!("`{text}`"), observed);
                None
            }
        },
        (None, None) => {
            at.fail(ctx, "received", format!("`{text}`"), "nothing");
            None
        }
    }
}

/// What must not have arrived, in the whole phase so far.
fn check_not_received(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect) {
    let (Some(text), Some(c)) = (&expect.not_received, at.client.and_then(|n| ctx.clients.get(n))) else { return };
    let bad: Vec<String> =
        c.received.all().into_iter().map(|l| l.value).filter(|l| l.contains(text.as_str())).collect();
    if !bad.is_empty() {
        at.fail(ctx, "not-received", format!("nothing containing `{text}`"), bad.join(" | "));
    }
}

/// Connection attempts through the tap in the window.
fn check_connections(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, marks: Marks) {
    let Some(range) = &expect.connections else { return };
    match at.client.and_then(|n| ctx.clients.get(n)) {
        Some(c) => {
            let n = c.tap.wire().connections.iter().filter(|r| r.opened_at >= marks.started).count() as u64;
            if !range.contains(n) {
                at.fail(ctx, "connections", format!("{range} connection attempts"), format!("{n}"));
            }
        }
        None => at.fail(ctx, "connections", range.to_string(), "no client"),
    }
}

/// A duration as scenario files write it.
pub fn show(d: Duration) -> String {
    let mut s = String::new();
    let _ = crate::spec::fmt_duration(d, &mut s);
    s
}
