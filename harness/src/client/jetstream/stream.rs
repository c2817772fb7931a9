//! Streams, consumers, publish with ack, fetch and receive, ack.

use async_nats::jetstream::consumer::{self, PullConsumer, PushConsumer};
use async_nats::jetstream::stream::{Config, StorageType};
use async_nats::jetstream::{Context, Message};
use futures::StreamExt;

use super::api_error::{boxed_failure, js_failure};
use super::op::{JsRequest, received};
use super::state::{JsState, consumer_key};
use crate::client::{ClientFailure, Received};
use crate::spec::{Action, StorageKind};

type Res = Result<Option<Received>, ClientFailure>;

/// `js-add-stream`, `js-update-stream`, `js-delete-stream`.
pub async fn stream_op(r: &JsRequest<'_>, ctx: &Context) -> Res {
    let name = r.args.stream().unwrap_or_default().to_string();
    let storage = match r.args.storage.unwrap_or_default() {
        StorageKind::Memory => StorageType::Memory,
        StorageKind::File => StorageType::File,
    };
    let config = Config { name: name.clone(), subjects: r.args.subjects(), storage, ..Default::default() };
    match r.op {
        Action::JsAddStream => {
            ctx.create_stream(config).await.map_err(|e| js_failure("js-add-stream", &e))?;
        }
        Action::JsUpdateStream => {
            ctx.update_stream(config).await.map_err(|e| js_failure("js-update-stream", &e))?;
        }
        _ => {
            ctx.delete_stream(&name).await.map_err(|e| js_failure("js-delete-stream", &e))?;
        }
    }
    Ok(None)
}

/// `js-add-consumer`: pull, or push with `deliver-subject`; durable, named ephemeral or unnamed.
pub async fn add_consumer(r: &JsRequest<'_>, ctx: &Context, state: &mut JsState) -> Res {
    let stream = r.args.stream().unwrap_or_default();
    let name = r.args.consumer().map(str::to_string);
    let ephemeral = r.args.ephemeral == Some(true);
    let (durable_name, plain_name) = if ephemeral { (None, name.clone()) } else { (name.clone(), None) };
    let filter_subject = r.args.filter().unwrap_or_default().to_string();
    let key = consumer_key(stream, name.as_deref().unwrap_or(""));
    match r.args.deliver_subject() {
        None => {
            let config =
                consumer::pull::Config { durable_name, name: plain_name, filter_subject, ..Default::default() };
            let c: PullConsumer =
                ctx.create_consumer_on_stream(config, stream).await.map_err(|e| js_failure("js-add-consumer", &e))?;
            state.pull.insert(key, c);
        }
        Some(deliver) => {
            let config = consumer::push::Config {
                deliver_subject: deliver.to_string(),
                durable_name,
                name: plain_name,
                filter_subject,
                ..Default::default()
            };
            let c: PushConsumer =
                ctx.create_consumer_on_stream(config, stream).await.map_err(|e| js_failure("js-add-consumer", &e))?;
            state.push.insert(key, c);
        }
    }
    Ok(None)
}

/// `js-publish`: publish and wait for the stream's ack.
pub async fn publish(r: &JsRequest<'_>, ctx: &Context) -> Res {
    let ack = ctx
        .publish(r.subject.to_string(), r.payload.to_string().into())
        .await
        .map_err(|e| js_failure("js-publish", &e))?;
    ack.await.map_err(|e| js_failure("js-publish", &e))?;
    Ok(None)
}

/// `js-fetch`, `js-next` (pull) and `js-receive` (push): the first message within `within`.
pub async fn receive(r: &JsRequest<'_>, ctx: &Context, state: &mut JsState) -> Res {
    let stream = r.args.stream().unwrap_or_default();
    let name = r.args.consumer().unwrap_or_default();
    let key = consumer_key(stream, name);
    let op = r.op.as_str();
    let msg = match r.op {
        Action::JsReceive => {
            if !state.push_messages.contains_key(&key) {
                let c = match state.push.get(&key) {
                    Some(c) => c.clone(),
                    None => {
                        ctx.get_consumer_from_stream(name, stream).await.map_err(|e| js_failure("js-receive", &e))?
                    }
                };
                let m = c.messages().await.map_err(|e| js_failure("js-receive", &e))?;
                state.push_messages.insert(key.clone(), m);
            }
            let Some(messages) = state.push_messages.get_mut(&key) else { return Ok(None) };
            let next = tokio::time::timeout(r.within, messages.next()).await;
            first(op, next.map(|m| m.map(|m| m.map_err(|e| js_failure("js-receive", &e)))), r)?
        }
        _ => {
            let c = match state.pull.get(&key) {
                Some(c) => c.clone(),
                None => {
                    let c: PullConsumer =
                        ctx.get_consumer_from_stream(name, stream).await.map_err(|e| js_failure(static_op(r), &e))?;
                    state.pull.insert(key.clone(), c.clone());
                    c
                }
            };
            if r.op == Action::JsFetch {
                let batch = r.args.batch.unwrap_or(1) as usize;
                let mut msgs = c
                    .fetch()
                    .max_messages(batch)
                    .expires(r.within)
                    .messages()
                    .await
                    .map_err(|e| js_failure("js-fetch", &e))?;
                let mut got: Vec<Message> = Vec::new();
                let deadline = tokio::time::Instant::now() + r.within + r.within / 2;
                while got.len() < batch {
                    match tokio::time::timeout_at(deadline, msgs.next()).await {
                        Ok(Some(Ok(m))) => got.push(m),
                        Ok(Some(Err(e))) => return Err(boxed_failure("js-fetch", e.as_ref())),
                        Ok(None) | Err(_) => break,
                    }
                }
                let Some(last) = got.last() else {
                    return Err(ClientFailure::timed_out("js-fetch", format!("no message within {:?}", r.within)));
                };
                let out = received(last.subject.as_str(), &last.payload);
                state.unacked.extend(got);
                return Ok(Some(out));
            }
            let mut messages = c.messages().await.map_err(|e| js_failure("js-next", &e))?;
            let next = tokio::time::timeout(r.within, messages.next()).await;
            first(op, next.map(|m| m.map(|m| m.map_err(|e| js_failure("js-next", &e)))), r)?
        }
    };
    let out = received(msg.subject.as_str(), &msg.payload);
    state.unacked.push(msg);
    Ok(Some(out))
}

fn static_op(r: &JsRequest<'_>) -> &'static str {
    match r.op {
        Action::JsFetch => "js-fetch",
        Action::JsReceive => "js-receive",
        _ => "js-next",
    }
}

/// The first message of a consumer's stream, or why there is none.
fn first(
    op: &str,
    next: Result<Option<Result<Message, ClientFailure>>, tokio::time::error::Elapsed>,
    r: &JsRequest<'_>,
) -> Result<Message, ClientFailure> {
    match next {
        Ok(Some(Ok(m))) => Ok(m),
        Ok(Some(Err(f))) => Err(f),
        Ok(None) => Err(ClientFailure::timed_out(static_op(r), format!("`{op}`: the consumer's messages ended"))),
        Err(_) => Err(ClientFailure::timed_out(static_op(r), format!("no message within {:?}", r.within))),
    }
}

/// `js-ack`: acks every message received and not acked yet.
pub async fn ack(state: &mut JsState) -> Res {
    for m in state.unacked.drain(..) {
        m.ack().await.map_err(|e| ClientFailure {
            op: "js-ack",
            kind: "Ack".into(),
            message: e.to_string(),
            api: None,
        })?;
    }
    Ok(None)
}
