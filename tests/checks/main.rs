//! Checks that cannot lie: each test plays a small scenario on the process backend (or only
//! loads one) and asserts that a step passes or fails for the reason it should.
//!
//! - `raw_err`: an `-ERR` before the PONG a raw step awaits fails the step and is reported.
//! - `connected`: a `connect` step waits for its own `connected` event; `await` sees only later ones.
//! - `callout_reason`: the reason of a callout refusal is the callout's own log line.
//! - `callout_request`: what the callout service received, compared without showing a secret.
//! - `refusals`: `check` refuses steps that would prove nothing, and accepts an unwanted success.
//! - `identities`: operator and scoped signing keys, relative times, a fix that switches credentials.
//! - `shaped`: a shaping rule's firings are awaited, counted and recorded; none fails the step.
//! - `patterns`: `server-err-matches`, several `log` patterns, `log-absent`, `server-err-absent`.

#[path = "../support/mod.rs"]
mod support;

mod callout_reason;
mod callout_request;
mod common;
mod connected;
mod identities;
mod patterns;
mod raw_err;
mod refusals;
mod shaped;
