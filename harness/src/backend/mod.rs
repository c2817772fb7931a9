//! Backends: where nats-server runs. [`ServerSpec`] describes a server, a [`Backend`] starts it,
//! and the [`RunningServer`] it returns is stopped, paused, restarted and cleaned up.

mod binary;
mod error;
mod process;
mod process_server;
mod ready;
mod sandbox;
mod signal;
mod spec;
mod traits;

pub use binary::{DEFAULT_VERSION, cache_dir, nats_server_binary};
pub use error::ServerError;
pub use process::ProcessBackend;
pub use ready::{START_TIMEOUT, probe_info};
pub use sandbox::{SANDBOX_PREFIX, Sandbox, keep_requested};
pub use spec::{CONFIG_FILE, ServerFile, ServerSpec};
pub use traits::{Backend, RunningServer};
