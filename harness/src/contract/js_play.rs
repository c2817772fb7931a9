//! JetStream lines: played after every other line, in file order across identities (a stream
//! one identity creates is there for the next line of another), each on its identity's
//! connection through the JetStream API of async-nats (`crate::client::jetstream`), with the
//! server's `-ERR` read from the identity's tap during that one operation.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;

use super::line::{JsLine, Verb};
use super::model::Contract;
use crate::client::ClientFailure;
use crate::client::jetstream::{JsRequest, JsState, js_failure};
use crate::spec::{Action, JsArgs};

/// How long a JetStream API call may take here: the server answers a permitted call in
/// milliseconds; a refused one is never answered, and its `-ERR` is the evidence.
const JS_TIMEOUT: Duration = Duration::from_millis(500);

/// What one JetStream line showed.
#[derive(Clone, Debug)]
pub(crate) struct JsOutcome {
    /// The API's answer, or async-nats' failure.
    pub result: Result<(), ClientFailure>,
    /// The `-ERR`s the server sent the identity during the operation.
    pub errs: Vec<String>,
}

/// Plays every JetStream line of the contract in file order; by line index.
pub(crate) async fn play_js(contract: &Contract, lives: &[super::play::LiveRef<'_>]) -> HashMap<usize, JsOutcome> {
    let mut out = HashMap::new();
    let mut states: HashMap<String, JsState> = HashMap::new();
    for (i, l) in contract.lines.iter().enumerate() {
        let Verb::Js(js) = &l.verb else { continue };
        let Some(live) = lives.iter().find(|x| x.name == l.identity) else { continue };
        let Some(client) = live.client.as_ref() else { continue };
        let before = live.errs().len();
        let state = states.entry(l.identity.clone()).or_default();
        // A refused call is never answered: its `-ERR` ends it, instead of the API timeout.
        let since = std::time::Instant::now();
        let refused =
            crate::runner::wire::wait_err(live.tap, since, JS_TIMEOUT, |t| t.starts_with("Permissions Violation"));
        let op = run(js, client, state);
        tokio::pin!(op);
        let result = tokio::select! {
            r = &mut op => r,
            Some(e) = refused => Err(ClientFailure { op: "js", kind: "PermissionsViolation".into(), message: e.text, api: None }),
        };
        live.tap.barrier(JS_TIMEOUT).await;
        let errs = live.errs().into_iter().skip(before).collect();
        out.insert(i, JsOutcome { result, errs });
    }
    out
}

fn spanned(s: &str) -> Option<Spanned<String>> {
    Some(Spanned::new(0..0, s.to_string()))
}

async fn run(js: &JsLine, client: &async_nats::Client, state: &mut JsState) -> Result<(), ClientFailure> {
    let mut args = JsArgs::default();
    let mut subject = String::new();
    let action = match js {
        JsLine::StreamCreate { stream, subjects } => {
            args.stream = spanned(stream);
            let subjects =
                if subjects.is_empty() { vec![format!("{}.>", stream.to_lowercase())] } else { subjects.clone() };
            args.subjects = subjects.iter().map(|s| Spanned::new(0..0, s.clone())).collect();
            // File storage, as a service's stream has (and as JetStream defaults to): an
            // account with `max_mem: 0` may still create it, one with `max_file: 0` may not.
            args.storage = Some(crate::spec::StorageKind::File);
            Action::JsAddStream
        }
        JsLine::StreamInfo { stream } => {
            let ctx = async_nats::jetstream::ContextBuilder::new().timeout(JS_TIMEOUT).build(client.clone());
            return ctx.get_stream(stream).await.map(|_| ()).map_err(|e| js_failure("stream-info", &e));
        }
        JsLine::ConsumerCreate { stream, consumer } => {
            args.stream = spanned(stream);
            args.consumer = spanned(consumer);
            Action::JsAddConsumer
        }
        JsLine::Publish { subject: s } => {
            subject = s.clone();
            Action::JsPublish
        }
        JsLine::Fetch { stream, consumer } => {
            args.stream = spanned(stream);
            args.consumer = spanned(consumer);
            args.batch = Some(1);
            Action::JsFetch
        }
        JsLine::Ack { stream, consumer } => return ack(stream, consumer, state).await,
        JsLine::KvGet { bucket, key } | JsLine::KvPut { bucket, key } => {
            args.bucket = spanned(bucket);
            args.key = spanned(key);
            if matches!(js, JsLine::KvGet { .. }) { Action::KvGet } else { Action::KvPut }
        }
        JsLine::KvCreate { bucket } | JsLine::ObjectCreate { bucket } => {
            args.bucket = spanned(bucket);
            args.storage = Some(crate::spec::StorageKind::File);
            if matches!(js, JsLine::KvCreate { .. }) { Action::KvCreate } else { Action::ObjCreate }
        }
        JsLine::KvWatch { bucket } => {
            args.bucket = spanned(bucket);
            Action::KvWatch
        }
        JsLine::ObjectGet { bucket, name } | JsLine::ObjectPut { bucket, name } => {
            args.bucket = spanned(bucket);
            args.key = spanned(name);
            if matches!(js, JsLine::ObjectGet { .. }) { Action::ObjGet } else { Action::ObjPut }
        }
    };
    let request = JsRequest {
        op: action,
        args: &args,
        subject: &subject,
        payload: "natsfault verify",
        within: JS_TIMEOUT,
        timeout: JS_TIMEOUT,
    };
    request.run(client, state).await.map(|_| ())
}

/// Acknowledges the messages this identity fetched from `stream`'s `consumer` and waits for the
/// server's confirmation; nothing fetched is nothing to check.
async fn ack(stream: &str, consumer: &str, state: &mut JsState) -> Result<(), ClientFailure> {
    let from =
        |m: &async_nats::jetstream::Message| m.info().is_ok_and(|i| i.stream == stream && i.consumer == consumer);
    let (mine, rest): (Vec<_>, Vec<_>) = state.unacked.drain(..).partition(from);
    state.unacked = rest;
    if mine.is_empty() {
        return Err(ClientFailure {
            op: "ack",
            kind: "NothingFetched".into(),
            message: format!("no message was fetched from `{stream}` `{consumer}` to acknowledge"),
            api: None,
        });
    }
    for m in mine {
        match tokio::time::timeout(JS_TIMEOUT, m.double_ack()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(ClientFailure { op: "ack", kind: "Ack".into(), message: e.to_string(), api: None });
            }
            Err(_) => return Err(ClientFailure::timed_out("ack", format!("no confirmation within {JS_TIMEOUT:?}"))),
        }
    }
    Ok(())
}
