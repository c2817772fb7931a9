//! Backends: where nats-server runs. [`ServerSpec`] describes a server, a [`Backend`] starts it,
//! and the [`RunningServer`] it returns is stopped, paused, restarted and cleaned up.

mod binary;
mod confine;
#[cfg(feature = "container")]
mod container;
mod error;
mod leftovers;
mod owner;
mod port_claims;
mod process;
mod ready;
mod refusal;
mod sandbox;
mod selection;
mod signal;
mod spec;
mod traits;
mod versions;

pub use binary::{DEFAULT_VERSION, cache_dir, nats_server_binary};
pub use confine::{AuditedSocket, CONFINE_VAR, ConfinePolicy, Confinement, SocketAudit, SocketState, audit_process};
#[cfg(feature = "container")]
pub use container::{
    CONTAINER_DIR, ContainerBackend, ContainerServer, DATA_DIR, FILES_VAR, FileDelivery, HOST_GATEWAY_NAME,
    IMAGE_REPOSITORY, IMAGE_VAR, image_for, server_args,
};
pub use error::ServerError;
pub use leftovers::{OWNER_FILE, owned_temp_dir, sweep_temp_dirs};
pub use owner::LABEL;
pub(crate) use port_claims::claim as claim_port;
pub use process::{ProcessBackend, ProcessServer};
pub use ready::{START_TIMEOUT, probe_info};
pub use sandbox::{SANDBOX_PREFIX, Sandbox, keep_requested};
pub use selection::select_versions;
pub use spec::{CLIENT_PORT, CONFIG_FILE, ServerFile, ServerSpec};
pub use traits::{Backend, RunningServer};
pub use versions::{DEBIAN_VERSION, debian_binary, pinned_versions, provision, resolve_version};
