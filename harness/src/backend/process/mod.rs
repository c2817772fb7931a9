//! The process backend: each server a local nats-server process in its own temp dir.

mod backend;
mod server;

pub use backend::ProcessBackend;
pub use server::ProcessServer;
