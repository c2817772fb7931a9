//! Client drivers: one trait for what a client library does and reports, async-nats in-process
//! and every other library as a driver program speaking JSON lines.

mod api;
mod async_nats;
mod connect;
mod hello;
mod installed;
pub mod line;

pub use api::{ClientDriver, DriverError, DriverResult};
pub use connect::{ConnectTarget, connect};
pub use hello::{known as known_version, remember as remember_version};
pub use installed::{DriverProgram, installed, program_for};
