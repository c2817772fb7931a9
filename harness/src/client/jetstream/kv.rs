//! Key-value buckets: create, put, get, delete, watch.

use async_nats::jetstream::Context;
use async_nats::jetstream::kv::{Config, Store};
use futures::StreamExt;

use super::api_error::js_failure;
use super::op::{JsRequest, received};
use super::state::JsState;
use crate::client::{ClientFailure, Received};
use crate::spec::Action;

type Res = Result<Option<Received>, ClientFailure>;

/// The bucket's handle: the one this client created or opened with the same API timeout, else
/// opened now (a `$JS.API.STREAM.INFO.KV_BUCKET` request). A handle keeps the timeout of the
/// context that opened it, so a step with another timeout (a refusal, compressed) opens its own.
async fn store(
    op: &'static str,
    r: &JsRequest<'_>,
    ctx: &Context,
    state: &mut JsState,
) -> Result<Store, ClientFailure> {
    let bucket = r.args.bucket().unwrap_or_default();
    let id = store_key(bucket, r);
    if let Some(s) = state.kv.get(&id) {
        return Ok(s.clone());
    }
    let s = ctx.get_key_value(bucket).await.map_err(|e| js_failure(op, &e))?;
    state.kv.insert(id, s.clone());
    Ok(s)
}

/// A bucket's handle in [`JsState::kv`]: by bucket and API timeout.
fn store_key(bucket: &str, r: &JsRequest<'_>) -> String {
    format!("{bucket}@{}ms", r.timeout.as_millis())
}

/// `kv-create`, `kv-put`, `kv-get`, `kv-delete`, `kv-watch`.
pub async fn kv_op(r: &JsRequest<'_>, ctx: &Context, state: &mut JsState) -> Res {
    let bucket = r.args.bucket().unwrap_or_default();
    let key = r.args.key().unwrap_or_default();
    match r.op {
        Action::KvCreate => {
            let config = Config {
                bucket: bucket.to_string(),
                storage: match r.args.storage.unwrap_or_default() {
                    crate::spec::StorageKind::Memory => async_nats::jetstream::stream::StorageType::Memory,
                    crate::spec::StorageKind::File => async_nats::jetstream::stream::StorageType::File,
                },
                ..Default::default()
            };
            let s = ctx.create_key_value(config).await.map_err(|e| js_failure("kv-create", &e))?;
            state.kv.insert(store_key(bucket, r), s);
            Ok(None)
        }
        Action::KvPut => {
            let s = store("kv-put", r, ctx, state).await?;
            s.put(key, r.payload.to_string().into()).await.map_err(|e| js_failure("kv-put", &e))?;
            Ok(None)
        }
        Action::KvGet => {
            let s = store("kv-get", r, ctx, state).await?;
            match s.get(key).await.map_err(|e| js_failure("kv-get", &e))? {
                Some(v) => Ok(Some(received(key, &v))),
                None => Err(ClientFailure {
                    op: "kv-get",
                    kind: "NotFound".into(),
                    message: format!("no value for key `{key}` in bucket `{bucket}`"),
                    api: None,
                }),
            }
        }
        Action::KvDelete => {
            let s = store("kv-delete", r, ctx, state).await?;
            s.delete(key).await.map_err(|e| js_failure("kv-delete", &e))?;
            Ok(None)
        }
        _ => {
            let s = store("kv-watch", r, ctx, state).await?;
            let id = format!("{bucket}.{key}");
            if !state.watches.contains_key(&id) {
                let w = s.watch_with_history(key).await.map_err(|e| js_failure("kv-watch", &e))?;
                state.watches.insert(id.clone(), w);
            }
            let Some(w) = state.watches.get_mut(&id) else { return Ok(None) };
            match tokio::time::timeout(r.within, w.next()).await {
                Ok(Some(Ok(entry))) => Ok(Some(received(&entry.key, &entry.value))),
                Ok(Some(Err(e))) => Err(js_failure("kv-watch", &e)),
                Ok(None) => Err(ClientFailure::timed_out("kv-watch", "the watch ended")),
                Err(_) => {
                    Err(ClientFailure::timed_out("kv-watch", format!("no update of `{key}` within {:?}", r.within)))
                }
            }
        }
    }
}
