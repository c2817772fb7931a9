//! JetStream, key-value and object store operations through async-nats' `jetstream` module, the
//! path applications take, with what each reports when it fails.

mod account;
mod api_error;
mod kv;
mod object;
mod op;
mod state;
mod stream;
mod timeout;

pub use api_error::{ApiError, js_failure};
pub use op::{JsOp, JsRequest};
pub use state::JsState;
pub use timeout::{REFUSED_API_TIMEOUT, api_timeout};
