//! Object store buckets: create, put, get.

use async_nats::jetstream::Context;
use async_nats::jetstream::object_store::{Config, ObjectStore};
use tokio::io::AsyncReadExt;

use super::api_error::js_failure;
use super::op::{JsRequest, received};
use super::state::JsState;
use crate::client::{ClientFailure, Received};
use crate::spec::Action;

type Res = Result<Option<Received>, ClientFailure>;

async fn store(
    op: &'static str,
    bucket: &str,
    ctx: &Context,
    state: &mut JsState,
) -> Result<ObjectStore, ClientFailure> {
    if let Some(s) = state.objects.get(bucket) {
        return Ok(s.clone());
    }
    let s = ctx.get_object_store(bucket).await.map_err(|e| js_failure(op, &e))?;
    state.objects.insert(bucket.to_string(), s.clone());
    Ok(s)
}

/// `obj-create`, `obj-put`, `obj-get`.
pub async fn obj_op(r: &JsRequest<'_>, ctx: &Context, state: &mut JsState) -> Res {
    let bucket = r.args.bucket().unwrap_or_default();
    let key = r.args.key().unwrap_or_default();
    match r.op {
        Action::ObjCreate => {
            let config = Config {
                bucket: bucket.to_string(),
                storage: match r.args.storage.unwrap_or_default() {
                    crate::spec::StorageKind::Memory => async_nats::jetstream::stream::StorageType::Memory,
                    crate::spec::StorageKind::File => async_nats::jetstream::stream::StorageType::File,
                },
                ..Default::default()
            };
            let s = ctx.create_object_store(config).await.map_err(|e| js_failure("obj-create", &e))?;
            state.objects.insert(bucket.to_string(), s);
            Ok(None)
        }
        Action::ObjPut => {
            let s = store("obj-put", bucket, ctx, state).await?;
            let mut data = r.payload.as_bytes();
            s.put(key, &mut data).await.map_err(|e| js_failure("obj-put", &e))?;
            Ok(None)
        }
        _ => {
            let s = store("obj-get", bucket, ctx, state).await?;
            let mut obj = s.get(key).await.map_err(|e| js_failure("obj-get", &e))?;
            let mut buf = Vec::new();
            let read = tokio::time::timeout(r.within, obj.read_to_end(&mut buf)).await;
            match read {
                Ok(Ok(_)) => Ok(Some(received(key, &buf))),
                Ok(Err(e)) => Err(ClientFailure::io("obj-get", &e)),
                Err(_) => {
                    Err(ClientFailure::timed_out("obj-get", format!("object `{key}` not read within {:?}", r.within)))
                }
            }
        }
    }
}
