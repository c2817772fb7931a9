//! The client side: async-nats clients and raw TCP clients that record what they observe.

mod event;
mod failure;
mod nats;
mod raw;

pub use event::{event_matches, render_event};
pub use failure::ClientFailure;
pub use nats::{DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, NatsConn, Received, connect_options};
pub use raw::RawConn;
