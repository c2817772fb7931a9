//! Raw clients: they send only what the scenario writes, over TCP or in websocket frames.

mod conn;
mod lines;
mod websocket;

pub use conn::RawConn;
pub use websocket::Upgrade;
