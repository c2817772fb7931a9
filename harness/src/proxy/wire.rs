//! What the wire tap saw: per-connection records and live events.

use std::time::Instant;

/// Who ended a connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClosedBy {
    /// The client closed (EOF or error on its side, or writing to it failed).
    Client,
    /// The server closed (EOF or error on its side, or writing to it failed).
    Server,
    /// The toxic with this name closed or reset it (`down`, `timeout`, ...).
    Toxic(String),
    /// The proxy: [`Proxy::reset_all`](super::Proxy::reset_all) or its drop.
    Proxy,
    /// The upstream could not be reached; the client was closed at once.
    UpstreamUnreachable,
    /// The tap could not stand in for TLS (a certificate natsfault does not know); the reason.
    TlsStandIn(String),
    /// The shaping rule with this name disconnected it (`disconnect`).
    Rule(String),
}

/// A frame a shaping rule fired on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapedFrame {
    /// The rule's name.
    pub rule: String,
    /// What it did: `drop`, `delay`, `duplicate`, `corrupt`, `disconnect`, `inject`.
    pub action: &'static str,
    /// The frame, as `PUB orders.new`, `PONG` or `-ERR 'text'` (never a payload or a
    /// `CONNECT`'s JSON).
    pub frame: String,
    /// Which way it was travelling (`Upstream` to the server).
    pub stream: super::Stream,
    /// When the rule fired (when the frame arrived at the tap).
    pub at: Instant,
}

/// One `-ERR` line the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerErr {
    /// The text between the quotes, e.g. `Authorization Violation`.
    pub text: String,
    /// When the tap saw it, just before it was forwarded to the client.
    pub at: Instant,
}

/// PING and PONG counts of one direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PingPong {
    /// `PING` lines.
    pub pings: u64,
    /// `PONG` lines.
    pub pongs: u64,
}

/// Everything recorded about one accepted connection. The tap sees bytes
/// just before they are written to the peer, so a record describes what was
/// delivered, not what a toxic held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnRecord {
    /// Connection id, from 1 in accept order.
    pub id: u64,
    /// When the proxy accepted it.
    pub opened_at: Instant,
    /// When the proxy decided to close it.
    pub closed_at: Option<Instant>,
    /// Who closed it.
    pub closed_by: Option<ClosedBy>,
    /// Whether the client sent `CONNECT`.
    pub connect_seen: bool,
    /// The `name` in the client's `CONNECT` JSON, if any.
    pub client_name: Option<String>,
    /// How many `INFO` lines the server sent.
    pub infos: u64,
    /// Every `-ERR` the server sent, in order.
    pub server_errors: Vec<ServerErr>,
    /// PING/PONG sent by the client.
    pub from_client: PingPong,
    /// PING/PONG sent by the server.
    pub from_server: PingPong,
    /// Why the tap could not read inside this connection's TLS (its bytes passed as they
    /// were), if it could not.
    pub blind: Option<String>,
    /// Every frame a shaping rule fired on, in order.
    pub shaped: Vec<ShapedFrame>,
    /// The compression each side offered in its `INFO` (a link between servers), client's
    /// side first.
    pub(crate) compression: [Option<String>; 2],
}

impl ConnRecord {
    pub(crate) fn new(id: u64, opened_at: Instant) -> Self {
        ConnRecord {
            id,
            opened_at,
            closed_at: None,
            closed_by: None,
            connect_seen: false,
            client_name: None,
            infos: 0,
            server_errors: Vec::new(),
            from_client: PingPong::default(),
            from_server: PingPong::default(),
            blind: None,
            shaped: Vec::new(),
            compression: [None, None],
        }
    }

    /// Whether the server sent an `-ERR` whose text contains `needle`.
    pub fn has_error(&self, needle: &str) -> bool {
        self.server_errors.iter().any(|e| e.text.contains(needle))
    }
}

/// A snapshot of every connection the proxy accepted, in accept order.
///
/// ```
/// use natsfault::proxy::WireLog;
///
/// let log = WireLog::default();
/// assert_eq!(log.attempts(), 0);
/// assert!(log.named("c1").next().is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireLog {
    /// The records, one per accepted connection (refused ones included).
    pub connections: Vec<ConnRecord>,
}

impl WireLog {
    /// Connection attempts: every accepted socket, including those a `down`
    /// toxic closed at once. Reconnects = attempts - 1 for a single client.
    pub fn attempts(&self) -> usize {
        self.connections.len()
    }

    /// The record of connection `id`.
    pub fn connection(&self, id: u64) -> Option<&ConnRecord> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// The connections whose `CONNECT` carried `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ConnRecord> + 'a {
        self.connections.iter().filter(move |c| c.client_name.as_deref() == Some(name))
    }

    /// Every frame a rule fired on, with its connection id, in order of connection then time.
    pub fn shaped(&self) -> impl Iterator<Item = (u64, &ShapedFrame)> + '_ {
        self.connections.iter().flat_map(|c| c.shaped.iter().map(move |s| (c.id, s)))
    }

    /// Every `-ERR` of every connection, with its connection id, in order of
    /// connection then time.
    pub fn server_errors(&self) -> impl Iterator<Item = (u64, &ServerErr)> + '_ {
        self.connections.iter().flat_map(|c| c.server_errors.iter().map(move |e| (c.id, e)))
    }
}

/// A live event of the wire tap, from [`Proxy::events`](super::Proxy::events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireEvent {
    /// A connection was accepted.
    ConnectionOpened {
        /// Its id.
        id: u64,
    },
    /// The client's `CONNECT` went through.
    ConnectSeen {
        /// Connection id.
        id: u64,
        /// The `name` in the `CONNECT` JSON.
        name: Option<String>,
    },
    /// The server sent `-ERR`; emitted before the line is forwarded.
    ServerErr {
        /// Connection id.
        id: u64,
        /// The text between the quotes.
        text: String,
    },
    /// A shaping rule fired on a frame (emitted before the frame goes on, or does not).
    Shaped {
        /// Connection id.
        id: u64,
        /// The rule's name.
        rule: String,
    },
    /// The connection was closed (emitted before its sockets are closed).
    ConnectionClosed {
        /// Connection id.
        id: u64,
        /// Who closed it.
        by: ClosedBy,
    },
}
