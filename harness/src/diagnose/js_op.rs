//! The JetStream operations `diagnose` can do: create a stream, create a consumer, publish with
//! ack, read a key. Each runs through async-nats' `jetstream` module, as the application would.

use std::time::Duration;

use toml::Spanned;

use crate::client::ClientFailure;
use crate::client::jetstream::{JsRequest, JsState};
use crate::spec::{Action, JsArgs};

/// One JetStream operation from the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsOperation {
    /// `--js-stream STREAM`: create the stream (its subject is its name).
    Stream(String),
    /// `--js-consumer STREAM.NAME[.FILTER]`: create durable consumer NAME on STREAM, with the
    /// filter subject FILTER when given (async-nats appends it to the create subject).
    Consumer {
        /// The stream.
        stream: String,
        /// The durable name.
        name: String,
        /// The filter subject.
        filter: Option<String>,
    },
    /// `--js-publish SUBJECT`: publish and wait for the stream's ack.
    Publish(String),
    /// `--kv-get BUCKET.KEY`: open the bucket and read the key.
    KvGet {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
}

/// Why a `--js-consumer` or `--kv-get` argument is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected `{what}`, found `{found}`")]
pub struct JsArgError {
    /// The form expected.
    pub what: &'static str,
    /// The argument.
    pub found: String,
}

impl JsOperation {
    /// Reads `--js-consumer STREAM.NAME[.FILTER]`.
    pub fn consumer(arg: &str) -> Result<JsOperation, JsArgError> {
        let err = || JsArgError { what: "STREAM.NAME[.FILTER]", found: arg.to_string() };
        let mut parts = arg.splitn(3, '.');
        let stream = parts.next().filter(|s| !s.is_empty()).ok_or_else(err)?;
        let name = parts.next().filter(|s| !s.is_empty()).ok_or_else(err)?;
        let filter = parts.next().map(str::to_string);
        if filter.as_deref().is_some_and(|f| crate::spec::check_subject(f, true).is_err()) {
            return Err(err());
        }
        Ok(JsOperation::Consumer { stream: stream.into(), name: name.into(), filter })
    }

    /// Reads `--kv-get BUCKET.KEY`.
    pub fn kv_get(arg: &str) -> Result<JsOperation, JsArgError> {
        let err = || JsArgError { what: "BUCKET.KEY", found: arg.to_string() };
        let (bucket, key) = arg.split_once('.').ok_or_else(err)?;
        if bucket.is_empty() || key.is_empty() {
            return Err(err());
        }
        Ok(JsOperation::KvGet { bucket: bucket.into(), key: key.into() })
    }

    /// The flag's name without dashes.
    pub fn verb(&self) -> &'static str {
        match self {
            JsOperation::Stream(_) => "js-stream",
            JsOperation::Consumer { .. } => "js-consumer",
            JsOperation::Publish(_) => "js-publish",
            JsOperation::KvGet { .. } => "kv-get",
        }
    }

    /// The argument as given.
    pub fn argument(&self) -> String {
        match self {
            JsOperation::Stream(s) | JsOperation::Publish(s) => s.clone(),
            JsOperation::Consumer { stream, name, filter } => match filter {
                Some(f) => format!("{stream}.{name}.{f}"),
                None => format!("{stream}.{name}"),
            },
            JsOperation::KvGet { bucket, key } => format!("{bucket}.{key}"),
        }
    }

    /// Runs the operation on `client`.
    pub async fn run(&self, client: &async_nats::Client, state: &mut JsState) -> Result<(), ClientFailure> {
        let text = |s: &str| Some(Spanned::new(0..0, s.to_string()));
        let mut args = JsArgs::default();
        let mut subject = String::new();
        let action = match self {
            JsOperation::Stream(s) => {
                args.stream = text(s);
                Action::JsAddStream
            }
            JsOperation::Consumer { stream, name, filter } => {
                args.stream = text(stream);
                args.consumer = text(name);
                args.filter = filter.as_deref().and_then(text);
                Action::JsAddConsumer
            }
            JsOperation::Publish(s) => {
                subject = s.clone();
                Action::JsPublish
            }
            JsOperation::KvGet { bucket, key } => {
                args.bucket = text(bucket);
                args.key = text(key);
                Action::KvGet
            }
        };
        let request = JsRequest {
            op: action,
            args: &args,
            subject: &subject,
            payload: "natsfault diagnose",
            within: Duration::from_secs(1),
            timeout: Duration::from_secs(2),
        };
        request.run(client, state).await.map(|_| ())
    }
}

/// Whether a JetStream failure says only that what the operation needs does not exist in the
/// sandbox (a fresh store: no stream, no bucket, no key): the server allowed the request.
pub fn missing_here(f: &ClientFailure) -> bool {
    f.api.as_ref().is_some_and(|a| a.code == 404)
        || matches!(f.kind.as_str(), "NotFound" | "StreamNotFound" | "GetBucket")
}

/// A JetStream-aware addition to the fix for a refused `$JS.API...` subject: the grant that
/// covers the family of requests the application will make next, not just this one.
///
/// ```
/// use natsfault::diagnose::js_op::api_grant_hint;
/// let h = api_grant_hint("$JS.API.CONSUMER.CREATE.ORDERS.worker.orders.new").unwrap();
/// assert!(h.contains("`$JS.API.CONSUMER.CREATE.ORDERS.>`"));
/// ```
pub fn api_grant_hint(subject: &str) -> Option<String> {
    let rest = subject.strip_prefix("$JS.API.")?;
    let tokens: Vec<&str> = rest.split('.').collect();
    Some(match tokens.as_slice() {
        ["STREAM", "CREATE", stream] => format!(
            "a JetStream API subject has four or more tokens, so `*` never matches one; to create stream `{stream}` and manage it later, grant `$JS.API.STREAM.*.{stream}`, or `$JS.API.STREAM.>` for every stream"
        ),
        ["CONSUMER", "CREATE", stream, ..] => format!(
            "async-nats creates every consumer with `$JS.API.CONSUMER.CREATE.<stream>.<name>[.<filter>]` and appends the filter subject, so `*.*` is not enough for a filtered consumer and `$JS.API.CONSUMER.DURABLE.CREATE.*.*` (the older form) is never used; grant `$JS.API.CONSUMER.CREATE.{stream}.>` for every consumer of stream `{stream}`"
        ),
        ["DIRECT", "GET", stream, ..] => format!(
            "this grants one key's direct get; `$JS.API.DIRECT.GET.{stream}.>` would open every key of the bucket (nats-server#5203)"
        ),
        _ => format!(
            "`{subject}` is a JetStream API request; `$JS.API.>` allows every one, for an account's administrator only"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert_eq!(
            JsOperation::consumer("ORDERS.worker.orders.new").unwrap(),
            JsOperation::Consumer { stream: "ORDERS".into(), name: "worker".into(), filter: Some("orders.new".into()) }
        );
        assert!(JsOperation::consumer("ORDERS").is_err());
        assert_eq!(
            JsOperation::kv_get("fleet.dev.001").unwrap(),
            JsOperation::KvGet { bucket: "fleet".into(), key: "dev.001".into() }
        );
        assert!(JsOperation::kv_get("fleet").is_err());
    }
}
