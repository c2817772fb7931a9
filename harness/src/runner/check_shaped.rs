//! Shaping rules' firings: `shaped` (and `shaped-count`) awaited, and every firing recorded as an
//! observation of the step it happened in.

use std::time::{Duration, Instant};

use futures::future::select_all;

use super::check::{At, Marks};
use super::context::PhaseCtx;
use crate::observe::ObservationKind;
use crate::proxy::{Proxy, ShapedFrame, Stream};
use crate::spec::{CountRange, Expect};

/// Every proxy of the phase with the client (or link) it stands for.
fn proxies<'c>(ctx: &'c PhaseCtx<'_>) -> Vec<(String, &'c Proxy)> {
    let clients = ctx.clients.iter().map(|(n, c)| (n.clone(), c.tap.as_ref()));
    let links = ctx.topology.iter().flat_map(|t| t.link_proxies.all());
    let callout = ctx.endpoint.iter().map(|e| ("auth-callout".to_string(), e.tap()));
    clients.chain(links).chain(callout).collect()
}

/// Firings of `rule` at or after `since` on the proxies `on` selects.
fn firings(ctx: &PhaseCtx<'_>, on: Option<&str>, rule: &str, since: Instant) -> Vec<ShapedFrame> {
    proxies(ctx)
        .into_iter()
        .filter(|(who, _)| on.is_none_or(|c| c == who))
        .flat_map(|(_, p)| p.wire().shaped().map(|(_, s)| s.clone()).collect::<Vec<_>>())
        .filter(|s| s.rule == rule && s.at >= since)
        .collect()
}

/// Awaits `shaped` until `shaped-count`'s lower bound (default 1) is met, then checks its upper
/// bound; returns when the last awaited firing came.
pub async fn await_shaped(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let rule = expect.shaped.as_ref()?.get_ref().clone();
    let range = expect.shaped_count.unwrap_or(CountRange { min: Some(1), max: None });
    let want = range.min.unwrap_or(0) as usize;
    let deadline = Instant::now() + within;
    let mut events: Vec<_> = proxies(ctx)
        .into_iter()
        .filter(|(who, _)| at.client.is_none_or(|c| c == who))
        .map(|(_, p)| p.events())
        .collect();
    let mut seen = firings(ctx, at.client, &rule, marks.started);
    while seen.len() < want && !events.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let any = select_all(events.iter_mut().map(|rx| Box::pin(rx.recv())));
        if tokio::time::timeout(left, any).await.is_err() {
            break;
        }
        seen = firings(ctx, at.client, &rule, marks.started);
    }
    let n = seen.len() as u64;
    if !range.contains(n) {
        let on = at.client.map_or_else(|| "any tap or link".to_string(), |c| format!("`{c}`'s tap"));
        // A connection the tap could not read explains a rule that never fired.
        let blind: Vec<String> = proxies(ctx)
            .into_iter()
            .filter(|(who, _)| at.client.is_none_or(|c| c == who))
            .flat_map(|(who, p)| {
                p.wire().connections.into_iter().filter_map(move |c| c.blind.map(|b| format!("`{who}`: {b}")))
            })
            .collect();
        let observed = match blind.first() {
            Some(b) => format!("{n} firings; a connection was unreadable ({b})"),
            None => format!("{n} firings"),
        };
        at.fail(ctx, "shaped", format!("rule `{rule}` firing {range} times on {on}"), observed);
        return None;
    }
    seen.iter().take(want).map(|s| s.at).max()
}

/// Records the firings of every proxy at or after `since` as observations of `step` (`None`
/// for those after the steps), skipping those already recorded.
pub fn record_shaped(ctx: &mut PhaseCtx<'_>, step: Option<usize>, since: Instant) {
    let mut found: Vec<(String, u64, ShapedFrame)> = proxies(ctx)
        .into_iter()
        .flat_map(|(who, p)| p.wire().shaped().map(|(id, s)| (who.clone(), id, s.clone())).collect::<Vec<_>>())
        .filter(|(_, _, s)| s.at >= since)
        .collect();
    found.sort_by_key(|(_, _, s)| s.at);
    for (who, connection, s) in found {
        let at_ms = s.at.saturating_duration_since(ctx.started).as_millis() as u64;
        let kind = ObservationKind::Shaped {
            rule: s.rule,
            action: s.action.to_string(),
            frame: s.frame,
            to: if s.stream == Stream::Upstream { "server" } else { "client" }.to_string(),
            connection,
        };
        let kind = kind.redacted(&ctx.secrets);
        let known = ctx.observations.iter().any(|o| o.at_ms == at_ms && o.kind == kind);
        if !known {
            ctx.observe_at(s.at, step, Some(&who), kind);
        }
    }
}
