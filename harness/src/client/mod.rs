//! The client side: async-nats clients and raw TCP clients that record what they observe.

mod auth;
mod event;
mod failure;
pub mod jetstream;
mod mqtt;
mod nats;
mod raw;
mod tls;

pub use auth::ClientAuth;
pub use event::{event_matches, render_event};
pub use failure::ClientFailure;
pub use mqtt::MqttConn;
pub use nats::{DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, NatsConn, Received, configure, connect_options};
pub use raw::RawConn;
pub use tls::ClientTls;
