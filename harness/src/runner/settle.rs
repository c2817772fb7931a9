//! The end of a phase's steps: a round trip through every client's tap, so that the server has
//! answered (and logged) everything the clients sent, and every `-ERR` it sent back is recorded.
//! Without it a refusal that arrives after its step's check is an observation on some runs and
//! not on others, and the matrix and `bisect` see changes no release made.

use std::time::Duration;

use futures::future::join_all;

use super::context::PhaseCtx;
use super::wire::errs_since;
use crate::observe::ObservationKind;

/// How long the round trip of one tap may take.
const SETTLE: Duration = Duration::from_millis(500);

/// Waits for every client's round trip, then records the `-ERR`s no step recorded (without a
/// step: they came after the steps).
pub async fn settle(ctx: &mut PhaseCtx<'_>) {
    let taps: Vec<_> = ctx.clients.iter().map(|(name, c)| (name.clone(), c.tap.clone())).collect();
    join_all(taps.iter().map(|(_, t)| t.barrier(SETTLE))).await;
    for (name, tap) in taps {
        let recorded: Vec<(u64, String)> = ctx
            .observations
            .iter()
            .filter(|o| o.client.as_deref() == Some(name.as_str()))
            .filter_map(|o| match &o.kind {
                ObservationKind::ServerErr { text } => Some((o.at_ms, text.clone())),
                _ => None,
            })
            .collect();
        for e in errs_since(&tap, ctx.started) {
            let at_ms = e.at.saturating_duration_since(ctx.started).as_millis() as u64;
            let text = ctx.secrets.redact(&e.text);
            if !recorded.iter().any(|(ms, t)| *ms == at_ms && *t == text) {
                ctx.observe_at(e.at, None, Some(&name), ObservationKind::ServerErr { text: e.text });
            }
        }
    }
    let started = ctx.started;
    super::check_shaped::record_shaped(ctx, None, started);
}
