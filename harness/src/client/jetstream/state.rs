//! What a client's JetStream steps keep between steps: consumers, buckets, watches and the
//! messages not yet acked.

use std::collections::HashMap;

use async_nats::jetstream::consumer::{PullConsumer, PushConsumer};
use async_nats::jetstream::kv::{Store, Watch};
use async_nats::jetstream::object_store::ObjectStore;

/// A client's JetStream handles, by stream and consumer, bucket, or bucket and key.
#[derive(Default)]
pub struct JsState {
    /// Pull consumers by `STREAM.CONSUMER`.
    pub pull: HashMap<String, PullConsumer>,
    /// Push consumers by `STREAM.CONSUMER`, with their message stream once started.
    pub push: HashMap<String, PushConsumer>,
    /// Push consumers' message streams.
    pub push_messages: HashMap<String, async_nats::jetstream::consumer::push::Messages>,
    /// Key-value buckets by `BUCKET@TIMEOUT` (a handle keeps its API timeout).
    pub kv: HashMap<String, Store>,
    /// Watches by `BUCKET.KEY`.
    pub watches: HashMap<String, Watch>,
    /// Object store buckets.
    pub objects: HashMap<String, ObjectStore>,
    /// JetStream messages received and not yet acked.
    pub unacked: Vec<async_nats::jetstream::Message>,
}

/// The key of a consumer in [`JsState`].
pub fn consumer_key(stream: &str, consumer: &str) -> String {
    format!("{stream}.{consumer}")
}
