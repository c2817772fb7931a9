//! One JetStream operation and its dispatch.

use std::time::Duration;

use async_nats::Client;
use async_nats::jetstream::{self, Context};

use super::state::JsState;
use crate::client::{ClientFailure, Received};
use crate::spec::{Action, JsArgs};

/// Which operation, as the step's action names it.
pub type JsOp = Action;

/// Everything one operation needs.
pub struct JsRequest<'a> {
    /// The action.
    pub op: JsOp,
    /// Its `js` table.
    pub args: &'a JsArgs,
    /// The subject of `js-publish`.
    pub subject: &'a str,
    /// The payload of a publish or put.
    pub payload: &'a str,
    /// How long to wait for messages (`within`).
    pub within: Duration,
    /// The JetStream API request timeout (the client's `request-timeout`).
    pub timeout: Duration,
}

impl JsRequest<'_> {
    /// Runs the operation on `client`; `state` keeps consumers, buckets and unacked messages.
    pub async fn run(&self, client: &Client, state: &mut JsState) -> Result<Option<Received>, ClientFailure> {
        let builder = jetstream::ContextBuilder::new().timeout(self.timeout);
        let ctx: Context = match self.args.domain() {
            Some(d) => builder.domain(d).build(client.clone()),
            None => builder.build(client.clone()),
        };
        match self.op {
            Action::JsAccountInfo => super::account::account_info(self, &ctx).await,
            Action::JsAddStream | Action::JsUpdateStream | Action::JsDeleteStream => {
                super::stream::stream_op(self, &ctx).await
            }
            Action::JsAddConsumer => super::stream::add_consumer(self, &ctx, state).await,
            Action::JsPublish => super::stream::publish(self, &ctx).await,
            Action::JsFetch | Action::JsNext | Action::JsReceive => super::stream::receive(self, &ctx, state).await,
            Action::JsAck => super::stream::ack(state).await,
            Action::KvCreate | Action::KvPut | Action::KvGet | Action::KvDelete | Action::KvWatch => {
                super::kv::kv_op(self, &ctx, state).await
            }
            Action::ObjCreate | Action::ObjPut | Action::ObjGet => super::object::obj_op(self, &ctx, state).await,
            other => {
                Err(ClientFailure::timed_out("jetstream", format!("`{}` is not a JetStream action", other.as_str())))
            }
        }
    }
}

impl JsRequest<'_> {
    /// The API prefix the requests go to: `$JS.API`, or `$JS.DOMAIN.API` with `js.domain`.
    pub fn api_prefix(&self) -> String {
        self.args.domain().map_or_else(|| "$JS.API".to_string(), |d| format!("$JS.{d}.API"))
    }
}

/// A received JetStream message, as text.
pub fn received(subject: &str, payload: &[u8]) -> Received {
    Received { subject: subject.to_string(), payload: String::from_utf8_lossy(payload).into() }
}
