//! Carrying out a JetStream, key-value or object store step on its client's connection.

use super::client_state::ClientState;
use super::context::PhaseCtx;
use super::exec::{DEFAULT_WITHIN, Outcome};
use crate::client::driver::DriverError;
use crate::client::driver::line::JsCall;
use crate::client::jetstream::{JsRequest, api_timeout};
use crate::spec::{JsArgs, Step};

/// Runs `step`'s JetStream operation, then a PING/PONG round trip through the client's tap, so
/// every `-ERR` the operation caused has arrived when the step's expectations are checked.
pub async fn js_step(ctx: &mut PhaseCtx<'_>, step: &Step) -> Outcome {
    let action = *step.action.get_ref();
    let Some(name) = step.client_name() else {
        return Outcome::Harness(format!("`{}` needs a client", action.as_str()));
    };
    let Some(c) = ctx.clients.get_mut(name) else {
        return Outcome::Harness(format!("undefined client `{name}`"));
    };
    let empty = JsArgs::default();
    let within = step.expect.within.map_or(DEFAULT_WITHIN, |d| d.get());
    let request = JsRequest {
        op: action,
        args: step.js.as_ref().map_or(&empty, |j| j.get_ref()),
        subject: step.subject_str().unwrap_or_default(),
        payload: step.payload.as_deref().unwrap_or(""),
        within,
        timeout: api_timeout(c.spec.request_timeout.map(|d| d.get()), &step.expect_for(ctx.phase)),
    };
    if c.library.is_external() {
        return driver_js_step(c, action.as_str(), &request, within).await;
    }
    let Some(n) = c.nats() else {
        return Outcome::Harness(format!("client `{}` is not connected", c.name));
    };
    let client = n.client().clone();
    let res = request.run(&client, &mut c.js).await;
    // A client whose connection is gone cannot flush; the barrier is bounded either way.
    let _ = tokio::time::timeout(within, client.flush()).await;
    c.tap.barrier(within).await;
    match res {
        Ok(r) => Outcome::Ok(r),
        Err(f) => Outcome::Client(f),
    }
}

/// The step played by a driver program through its library's JetStream API, then a flush and
/// the same barrier.
async fn driver_js_step(
    c: &mut ClientState,
    op: &'static str,
    request: &JsRequest<'_>,
    within: std::time::Duration,
) -> Outcome {
    let call = JsCall::new(request);
    let Some(d) = c.driver() else {
        return Outcome::Harness(format!("client `{}` is not connected", c.name));
    };
    let res = d.jetstream(op, call).await;
    if let Some(d) = c.driver() {
        let _ = tokio::time::timeout(within, d.flush()).await;
    }
    c.tap.barrier(within).await;
    match res {
        Ok(r) => Outcome::Ok(r),
        Err(DriverError::Client(f)) => Outcome::Client(f),
        Err(DriverError::Harness(h)) => Outcome::Harness(h),
    }
}
