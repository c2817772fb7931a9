//! The server log of a step's window: `log` patterns (each must match a line) and `log-absent`
//! patterns (none may).

use std::time::{Duration, Instant};

use regex::Regex;

use super::check::{At, Marks, show};
use super::context::PhaseCtx;
use super::topology::log_of;
use crate::observe::ObservationKind;
use crate::render::{Provider, find_placeholders};
use crate::spec::Expect;

/// Awaits a line for each `log` pattern; returns when the last of them was logged.
pub async fn check_log(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let patterns = expect.log.as_ref()?.get_ref().clone();
    let mut came = None;
    for pattern in patterns.iter() {
        let expected = format!("a server log line matching `{pattern}`");
        let server = expect.server.as_ref().map(|s| s.get_ref().as_str());
        let (Some(re), Some((log, from))) = (log_regex(ctx, pattern), log_of(ctx, server, marks.log, marks.started))
        else {
            at.fail(ctx, "log", expected, "no server log");
            continue;
        };
        match log.wait_for(from, within, |l| re.is_match(l)).await {
            Some(line) => {
                came = came.max(Some(line.at));
                ctx.observe_at(line.at, Some(at.index), None, ObservationKind::LogLine { line: line.value });
            }
            None => at.fail(ctx, "log", expected, format!("no such line within {}", show(within))),
        }
    }
    came
}

/// After everything awaited: no line of the window matches a `log-absent` pattern.
pub fn check_log_absent(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, marks: Marks) {
    let Some(patterns) = expect.log_absent.as_ref().map(|p| p.get_ref().clone()) else { return };
    let server = expect.server.as_ref().map(|s| s.get_ref().as_str());
    let lines = log_of(ctx, server, marks.log, marks.started).map(|(log, from)| log.since(from)).unwrap_or_default();
    for pattern in patterns.iter() {
        let Some(re) = log_regex(ctx, pattern) else { continue };
        if let Some(line) = lines.iter().find(|l| re.is_match(&l.value)) {
            let observed = line.value.clone();
            at.fail(ctx, "log-absent", format!("no server log line matching `{pattern}`"), observed);
        }
    }
}

/// The pattern with its placeholders filled (values escaped, so a key or JWT matches literally).
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

/// `log-count`: the lines of the window matching the pattern; a lower bound is awaited up to
/// `within`, then the count must lie in the range.
pub async fn check_log_count(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, marks: Marks, within: Duration) {
    let Some(count) = expect.log_count.clone() else { return };
    let pattern = count.pattern.get_ref();
    let expected = format!("{} server log lines matching `{pattern}`", count.range);
    let server = expect.server.as_ref().map(|s| s.get_ref().as_str());
    let (Some(re), Some((log, from))) = (log_regex(ctx, pattern), log_of(ctx, server, marks.log, marks.started)) else {
        at.fail(ctx, "log-count", expected, "no server log");
        return;
    };
    let matching = |log: &crate::observe::Timeline<String>| {
        log.since(from).iter().filter(|l| re.is_match(&l.value)).count() as u64
    };
    if let Some(min) = count.range.min {
        let deadline = Instant::now() + within;
        // Bounded: each round waits for a new line, up to the deadline.
        while matching(&log) < min && Instant::now() < deadline {
            let seen = log.len();
            let left = deadline.saturating_duration_since(Instant::now());
            if log.wait_for(seen, left, |_| true).await.is_none() {
                break;
            }
        }
    }
    let n = matching(&log);
    if !count.range.contains(n) {
        at.fail(ctx, "log-count", expected, format!("{n} such lines"));
    }
}
