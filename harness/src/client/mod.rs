//! The client side: client libraries behind [`driver::ClientDriver`] (async-nats in-process,
//! others as driver programs), raw TCP and MQTT clients, each recording what it observes.

mod auth;
pub mod driver;
mod event;
mod failure;
pub mod jetstream;
mod mqtt;
mod nats;
mod raw;
mod tls;

pub use auth::{ClientAuth, JwtSource};
pub use event::{event_matches, render_event};
pub use failure::ClientFailure;
pub use mqtt::MqttConn;
pub use nats::{DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, NatsConn, Received, configure, connect_options};
pub use raw::{RawConn, Upgrade};
pub use tls::ClientTls;
