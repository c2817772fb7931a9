//! What an application does when its connection reports `disconnected`: leave the reconnect to
//! the library, or open another connection without closing the old one (a reconnect storm of
//! its own making).

use serde::Deserialize;

/// A client's `on-disconnect`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnDisconnect {
    /// The library reconnects its one connection (the default).
    #[default]
    Reconnect,
    /// At every `disconnected` the application opens another connection of the same client
    /// and keeps the old one, which the library goes on reconnecting, up to `max-connections`.
    NewConnection,
}

/// `max-connections` when not given: the first connection and four more.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 5;

/// The largest `max-connections` a scenario may ask for.
pub const MAX_CONNECTIONS_LIMIT: u32 = 50;
