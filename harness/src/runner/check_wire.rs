//! The `-ERR` lines of a step's window: those awaited (`server-err`, `server-err-matches`), those
//! that must not be there (none when no failure is expected or `server-err = ""`,
//! `server-err-absent`), and the record of every one in the report.

use std::time::{Duration, Instant};

use regex::Regex;

use super::check::{At, Marks, show};
use super::context::PhaseCtx;
use super::wire::{errs_since, wait_err};
use crate::observe::ObservationKind;
use crate::spec::Expect;

fn quoted(tap: &crate::proxy::Proxy, since: Instant) -> Vec<String> {
    errs_since(tap, since).into_iter().map(|e| format!("-ERR '{}'", e.text)).collect()
}

/// Why the tap could not read a connection of the window, if one was opened blind.
fn blind_since(tap: &crate::proxy::Proxy, since: Instant) -> Option<String> {
    tap.wire().connections.into_iter().filter(|c| c.closed_at.is_none_or(|t| t >= since)).find_map(|c| c.blind)
}

/// Awaits `server-err` (exact text) and `server-err-matches` (a regular expression); returns
/// when the last of them came.
pub async fn await_server_errs(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let tap = at.client.and_then(|n| ctx.clients.get(n))?.tap.clone();
    let mut came = None;
    let wanted = expect.server_err.as_deref().is_some_and(|t| !t.is_empty()) || expect.server_err_matches.is_some();
    if wanted && let Some(why) = blind_since(&tap, marks.started) {
        at.fail(
            ctx,
            "server-err",
            "an -ERR read by the wire tap",
            format!("cannot be observed: the tap passed this client's TLS unread ({why})"),
        );
        return None;
    }
    if let Some(text) = expect.server_err.as_deref().filter(|t| !t.is_empty()) {
        match wait_err(&tap, marks.started, within, |e| e == text).await {
            Some(e) => came = came.max(Some(e.at)),
            None => {
                let seen = quoted(&tap, marks.started);
                let observed =
                    if seen.is_empty() { format!("no -ERR within {}", show(within)) } else { seen.join(", ") };
                at.fail(ctx, "server-err", format!("-ERR '{text}'"), observed);
            }
        }
    }
    if let Some(pattern) = &expect.server_err_matches {
        let Ok(re) = Regex::new(pattern.get_ref()) else {
            at.fail(ctx, "server-err-matches", format!("a regular expression, `{}`", pattern.get_ref()), "invalid");
            return came;
        };
        match wait_err(&tap, marks.started, within, |e| re.is_match(e)).await {
            Some(e) => came = came.max(Some(e.at)),
            None => {
                let seen = quoted(&tap, marks.started);
                let observed =
                    if seen.is_empty() { format!("no -ERR within {}", show(within)) } else { seen.join(", ") };
                at.fail(ctx, "server-err-matches", format!("an -ERR matching `{}`", pattern.get_ref()), observed);
            }
        }
    }
    came
}

/// After everything awaited: no `-ERR` at all while the step ran (`own`) when it expects no
/// failure, none in the window (`marks`, the phase with `since = "phase"`) with `server-err = ""`,
/// and none matching `server-err-absent` in the window.
pub fn check_no_server_errs(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, own: Marks, marks: Marks) {
    let Some(tap) = at.client.and_then(|n| ctx.clients.get(n)).map(|c| c.tap.clone()) else { return };
    let explicit = expect.server_err.as_deref() == Some("");
    let from = if explicit { marks.started } else { own.started };
    if explicit || !expect.expects_failure() {
        let seen = errs_since(&tap, from);
        if !seen.is_empty() {
            let observed: Vec<String> = seen.iter().map(|e| format!("-ERR '{}'", e.text)).collect();
            at.fail(ctx, "no-server-err", "no -ERR from the server", observed.join(", "));
        }
    }
    let seen = errs_since(&tap, marks.started);
    if let Some(pattern) = &expect.server_err_absent
        && let Ok(re) = Regex::new(pattern.get_ref())
    {
        let bad: Vec<String> =
            seen.iter().filter(|e| re.is_match(&e.text)).map(|e| format!("-ERR '{}'", e.text)).collect();
        if !bad.is_empty() {
            at.fail(ctx, "server-err-absent", format!("no -ERR matching `{}`", pattern.get_ref()), bad.join(", "));
        }
    }
}

/// Records every `-ERR` of the window as an observation of the step.
pub fn record_server_errs(ctx: &mut PhaseCtx<'_>, at: At<'_>, marks: Marks) {
    let Some(tap) = at.client.and_then(|n| ctx.clients.get(n)).map(|c| c.tap.clone()) else { return };
    for e in errs_since(&tap, marks.started) {
        ctx.observe_at(e.at, Some(at.index), at.client, ObservationKind::ServerErr { text: e.text });
    }
}
