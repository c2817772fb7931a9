//! Confinement of a server process: its own network namespace with only loopback, and a private
//! mount view in which only its sandbox is writable; what was in force, and an audit of its sockets.

mod audit;
mod bridge;
mod dialer;
mod mounts;
mod netns;
mod status;

pub use audit::{AuditedSocket, SocketAudit, SocketState, audit_process};
pub(crate) use bridge::Bridge;
pub(crate) use dialer::Dialer;
pub(crate) use mounts::confine_child;
pub(crate) use netns::NetNs;
pub use status::{CONFINE_VAR, ConfinePolicy, Confinement};
