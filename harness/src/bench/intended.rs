//! The waits a scenario intends: time a phase spends on purpose, which is not harness overhead.
//!
//! A step's intended wait is the largest of the rules below that apply to it in the phase played
//! (with the expectations of that phase: `expect-fixed` in the fixed phase), capped at the time
//! the step took:
//!
//! | rule | step | intended wait |
//! |---|---|---|
//! | `wait` | `do = "wait"` | its `duration` |
//! | `await` | `do = "await"` | all of it: it waits for an effect the scenario caused on purpose (a server's `authorization.timeout`, a client's ping interval or reconnect delay) |
//! | `timed-out` | expects `error = "TimedOut"` | the timeout it runs out: `connection-timeout` for `connect` (default 2s), `request-timeout` for `request` (1s), `within` for `expect-message` (2s), the API timeout for a JetStream step (`request-timeout`, else 250ms when it expects a refusal on the wire, else 1s), the larger of that and `within` for `js-fetch` (1.5x), `js-next` and `js-receive` |
//! | `elapsed-min` | has `elapsed = "MIN.."` | `MIN` |
//! | `slow-link` | its client is behind a delaying toxic (`latency`, `bandwidth`, `slicer`, `timeout`, `slow-close`) added earlier in the phase and not removed | all of it |
//!
//! Everything else is overhead: starting the server (the floor is part of it), opening the wire
//! taps, connecting clients, the barriers and round trips of ordinary steps, server actions
//! (`restart-server` starts a server a second time, `reload-server` waits for the log), and
//! stopping the server at the end.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::client::jetstream::api_timeout;
use crate::client::{DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
use crate::proxy::ToxicKind;
use crate::report::StepReport;
use crate::spec::{Action, Expect, Phase, Scenario, Version};

/// The runner's default `within` (how long an `expect-message` waits).
const DEFAULT_WITHIN: Duration = Duration::from_secs(2);
/// The error kind whose step waits out a timeout.
const TIMED_OUT: &str = "TimedOut";

/// Which rule made a step's wait intended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// None: the whole step is overhead.
    None,
    /// A `wait` step's `duration`.
    Wait,
    /// An `await` step.
    Await,
    /// A step that expects `TimedOut`.
    TimedOut,
    /// The lower bound of `elapsed`.
    ElapsedMin,
    /// A client behind a delaying toxic.
    SlowLink,
}

/// The intended part of one step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Wait {
    /// Milliseconds of the step that were intended (at most the step's duration).
    pub ms: f64,
    /// The rule that gave the most.
    pub rule: Rule,
}

/// The intended wait of each step in `steps` (as one phase of `scenario` reported them on
/// server `version`), in the same order.
///
/// ```
/// use natsfault::bench::{Rule, intended_wait};
/// use natsfault::report::{Status, StepReport};
/// use natsfault::spec::{Phase, load_str};
/// let text = r#"
/// name = "paused"
/// cause = "server-unreachable"
/// summary = "a paused server"
/// [server]
/// config = ""
/// [clients.app]
/// connection-timeout = "500ms"
/// [[steps]]
/// do = "pause-server"
/// [[steps]]
/// do = "connect"
/// client = "app"
/// expect = { error = "TimedOut", elapsed = "450ms..3s" }
/// "#;
/// let s = load_str("paused.toml".as_ref(), text).unwrap();
/// let step = |index, action: &str, ms| StepReport {
///     index, action: action.into(), client: None, identity: action.into(), status: Status::Passed,
///     duration_ms: ms,
/// };
/// let waits = intended_wait(&s, Phase::Broken, "2.15.1".parse().unwrap(),
///                           &[step(1, "pause-server", 1), step(2, "connect", 504)]);
/// assert_eq!((waits[0].ms, waits[0].rule), (0.0, Rule::None));
/// assert_eq!((waits[1].ms, waits[1].rule), (500.0, Rule::TimedOut));
/// ```
pub fn intended_wait(scenario: &Scenario, phase: Phase, version: Version, steps: &[StepReport]) -> Vec<Wait> {
    let clients = scenario.clients_for(phase);
    // Delaying toxics in force: toxic name -> client.
    let mut slow: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(steps.len());
    for report in steps {
        let took = report.duration_ms as f64;
        let Some(step) = report.index.checked_sub(1).and_then(|i| scenario.steps.get(i)) else {
            out.push(Wait { ms: 0.0, rule: Rule::None });
            continue;
        };
        let action = *step.action.get_ref();
        let client = step.client_name().unwrap_or_default().to_string();
        let expect = step.expect_for(phase);
        let expect =
            if expect.versions.as_ref().is_none_or(|r| r.matches(version)) { expect } else { Expect::default() };

        let mut candidates: Vec<(f64, Rule)> = Vec::new();
        match action {
            Action::Wait => candidates.push((millis(step.duration.map(|d| d.get()).unwrap_or_default()), Rule::Wait)),
            Action::Await => candidates.push((took, Rule::Await)),
            _ => {}
        }
        if expect.error.as_ref().is_some_and(|e| e.get_ref() == TIMED_OUT) {
            let spec = clients.get(&client);
            let timeout = match action {
                Action::Connect => {
                    spec.and_then(|c| c.connection_timeout).map_or(DEFAULT_CONNECTION_TIMEOUT, |d| d.get())
                }
                Action::Request => spec.and_then(|c| c.request_timeout).map_or(DEFAULT_REQUEST_TIMEOUT, |d| d.get()),
                Action::ExpectMessage => expect.within.map_or(DEFAULT_WITHIN, |d| d.get()),
                // A consumer waits `within` for a message (a fetch half as long again), and its
                // API requests their timeout.
                Action::JsFetch | Action::JsNext | Action::JsReceive => {
                    let within = expect.within.map_or(DEFAULT_WITHIN, |d| d.get());
                    let within = if action == Action::JsFetch { within + within / 2 } else { within };
                    within.max(api_timeout(spec.and_then(|c| c.request_timeout).map(|d| d.get()), &expect))
                }
                a if crate::spec::is_js_action(a) => {
                    api_timeout(spec.and_then(|c| c.request_timeout).map(|d| d.get()), &expect)
                }
                _ => Duration::ZERO,
            };
            candidates.push((millis(timeout), Rule::TimedOut));
        }
        if let Some(min) = expect.elapsed.and_then(|r| r.min) {
            candidates.push((millis(min), Rule::ElapsedMin));
        }
        if !client.is_empty() && slow.values().any(|c| *c == client) {
            candidates.push((took, Rule::SlowLink));
        }
        let (ms, rule) = candidates.into_iter().fold((0.0, Rule::None), |best, c| if c.0 > best.0 { c } else { best });
        out.push(Wait { ms: ms.min(took), rule });

        // Toxics act on the steps after the one that installs them.
        match action {
            Action::AddToxic => {
                if let Some(t) = step.toxic.as_ref().filter(|t| delays(&t.kind)) {
                    slow.insert(t.name.clone(), client);
                }
            }
            Action::RemoveToxic => {
                slow.remove(step.toxic_name_str().unwrap_or_default());
            }
            _ => {}
        }
    }
    out
}

/// Whether a toxic makes bytes late (rather than cutting or resetting connections).
fn delays(kind: &ToxicKind) -> bool {
    match kind {
        ToxicKind::Latency(_)
        | ToxicKind::Bandwidth(_)
        | ToxicKind::Slicer(_)
        | ToxicKind::Timeout(_)
        | ToxicKind::SlowClose(_) => true,
        ToxicKind::ResetPeer(_) | ToxicKind::LimitData(_) | ToxicKind::Down => false,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use crate::spec::load_str;

    fn step(index: usize, ms: u64) -> StepReport {
        StepReport {
            index,
            action: String::new(),
            client: None,
            identity: String::new(),
            status: Status::Passed,
            duration_ms: ms,
        }
    }

    const LATENCY: &str = r#"
name = "latency"
cause = "server-unreachable"
summary = "slow link"
[server]
config = ""
[clients.app]
connection-timeout = "300ms"
[[steps]]
do = "add-toxic"
client = "app"
toxic = { name = "slow", type = "latency", stream = "downstream", attributes = { latency = "1s" } }
[[steps]]
do = "connect"
client = "app"
expect = { error = "TimedOut", elapsed = "250ms..2s" }
[[steps]]
do = "await"
client = "app"
expect = { log = 'Client connection' }
[[steps]]
do = "wait"
duration = "50ms"
[fix]
summary = "longer timeout"
clients.app = { connection-timeout = "3s" }
"#;

    #[test]
    fn timeouts_toxics_awaits_and_waits() {
        let s = load_str("latency.toml".as_ref(), LATENCY).unwrap();
        let v: Version = "2.15.1".parse().unwrap();
        let steps = [step(1, 0), step(2, 305), step(3, 20), step(4, 51)];
        let broken = intended_wait(&s, Phase::Broken, v, &steps);
        assert_eq!(broken[0], Wait { ms: 0.0, rule: Rule::None });
        // The slow link covers the whole step; the timeout alone would give 300ms.
        assert_eq!(broken[1], Wait { ms: 305.0, rule: Rule::SlowLink });
        assert_eq!(broken[2], Wait { ms: 20.0, rule: Rule::Await });
        assert_eq!(broken[3], Wait { ms: 50.0, rule: Rule::Wait });
        // In the fixed phase the connect expects success, and the link is still slow.
        let fixed = intended_wait(&s, Phase::Fixed, v, &[step(1, 0), step(2, 2007)]);
        assert_eq!(fixed[1], Wait { ms: 2007.0, rule: Rule::SlowLink });
    }

    const JS_REFUSED: &str = r#"
name = "refused"
cause = "permissions"
summary = "a stream create refused on the wire"
[server]
config = "jetstream {}"
[clients.app]
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "js-add-stream"
client = "app"
js = { stream = "ORDERS", subjects = ["orders.>"] }
expect = { error = "TimedOut", server-err = 'Permissions Violation for Publish to "$JS.API.STREAM.CREATE.ORDERS"' }
[fix]
summary = "grant it"
clients.app = { user = "x" }
"#;

    #[test]
    fn a_refused_jetstream_call_intends_its_api_timeout() {
        let s = load_str("refused.toml".as_ref(), JS_REFUSED).unwrap();
        let v: Version = "2.15.1".parse().unwrap();
        let w = intended_wait(&s, Phase::Broken, v, &[step(1, 3), step(2, 255)]);
        assert_eq!(w[1], Wait { ms: 250.0, rule: Rule::TimedOut });
    }

    #[test]
    fn never_more_than_the_step_took() {
        let s = load_str("latency.toml".as_ref(), LATENCY).unwrap();
        let v: Version = "2.15.1".parse().unwrap();
        let w = intended_wait(&s, Phase::Broken, v, &[step(4, 30)]);
        assert_eq!(w[0], Wait { ms: 30.0, rule: Rule::Wait });
    }
}
