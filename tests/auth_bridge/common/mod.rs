//! Shared test fixtures: a real nats-server, server configs with the
//! matching bridge specs, the HTTP endpoint, and a client under test.

#![allow(dead_code)]

pub mod client;
pub mod endpoint;
pub mod raw;
pub mod server;
pub mod setup;

/// The nats-server version most tests run unless
/// `NATSFAULT_NATS_SERVER_VERSION` names another (installed with
/// `scripts/fetch-nats-server.sh VERSION`).
pub fn version() -> String {
    std::env::var("NATSFAULT_NATS_SERVER_VERSION").unwrap_or_else(|_| "2.15.1".into())
}
