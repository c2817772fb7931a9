//! `js-account-info`: the account's JetStream information (`$JS.API.INFO`, what `nats account
//! info` shows).

use async_nats::jetstream::Context;

use super::api_error::js_failure;
use super::op::{JsRequest, received};
use crate::client::{ClientFailure, Received};

/// `query_account`; the answer as JSON text with the server's names for the fields a scenario
/// checks (`domain`, `streams`, `consumers`, `memory`, `storage`), so `received = '"domain":"hub"'`
/// tells which domain answered.
pub async fn account_info(r: &JsRequest<'_>, ctx: &Context) -> Result<Option<Received>, ClientFailure> {
    let a = ctx.query_account().await.map_err(|e| js_failure("js-account-info", &e))?;
    let text = serde_json::json!({
        "domain": a.domain,
        "streams": a.streams,
        "consumers": a.consumers,
        "memory": a.memory,
        "storage": a.storage,
    })
    .to_string();
    Ok(Some(received(&format!("{}.INFO", r.api_prefix()), text.as_bytes())))
}
