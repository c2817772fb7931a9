//! Backends: where nats-server runs. [`ServerSpec`] describes a server, a [`Backend`] starts it,
//! and the [`RunningServer`] it returns is stopped, paused, restarted and cleaned up.

mod binary;
mod confine;
mod container;
mod container_boot;
mod container_cleanup;
mod container_create;
mod container_delivery;
mod container_engine;
mod container_files;
mod container_image;
mod container_logs;
mod container_mount;
mod container_network;
mod container_owner;
mod container_port;
mod container_server;
mod error;
mod leftovers;
mod process;
mod process_server;
mod ready;
mod sandbox;
mod signal;
mod spec;
mod traits;
mod versions;

pub use binary::{DEFAULT_VERSION, cache_dir, nats_server_binary};
pub use confine::{AuditedSocket, CONFINE_VAR, ConfinePolicy, Confinement, SocketAudit, SocketState, audit_process};
pub use container::ContainerBackend;
pub use container_create::{CLIENT_PORT, HOST_GATEWAY_NAME, server_args};
pub use container_delivery::{FILES_VAR, FileDelivery};
pub use container_files::CONTAINER_DIR;
pub use container_image::{IMAGE_REPOSITORY, IMAGE_VAR, image_for};
pub use container_owner::LABEL;
pub use container_server::ContainerServer;
pub use error::ServerError;
pub use leftovers::{OWNER_FILE, owned_temp_dir, sweep_temp_dirs};
pub use process::ProcessBackend;
pub use ready::{START_TIMEOUT, probe_info};
pub use sandbox::{SANDBOX_PREFIX, Sandbox, keep_requested};
pub use spec::{CONFIG_FILE, ServerFile, ServerSpec};
pub use traits::{Backend, RunningServer};
pub use versions::{DEBIAN_VERSION, debian_binary, pinned_versions, provision, resolve_version};
