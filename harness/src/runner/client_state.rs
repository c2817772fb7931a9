//! A scenario client while a phase runs: its tap, its records, its connection.

use std::net::SocketAddr;

use crate::client::{ClientAuth, ClientTls, MqttConn, NatsConn, RawConn};
use crate::observe::Timeline;
use crate::proxy::Proxy;
use crate::spec::ClientSpec;

/// The open connection, if any.
pub enum Conn {
    /// Not connected (never, failed, or closed).
    None,
    /// An async-nats client.
    Nats(NatsConn),
    /// A raw TCP client.
    Raw(RawConn),
    /// An MQTT client.
    Mqtt(MqttConn),
}

/// One client of a running phase.
pub struct ClientState {
    /// Its key in the scenario.
    pub name: String,
    /// Its spec with placeholders filled.
    pub spec: ClientSpec,
    /// Its credentials, resolved from the spec's identity names.
    pub auth: ClientAuth,
    /// The wire tap between it and the server; every connection it makes goes through here.
    pub tap: std::sync::Arc<Proxy>,
    /// Its TLS options, resolved to the run's certificate files.
    pub tls: ClientTls,
    /// async-nats events, rendered.
    pub events: Timeline<String>,
    /// What a raw client received, line by line.
    pub received: Timeline<String>,
    /// Its connection.
    pub conn: Conn,
    /// Its JetStream consumers, buckets and unacked messages.
    pub js: crate::client::jetstream::JsState,
}

impl ClientState {
    /// The address the client dials: its tap, or the server itself for a `direct` client.
    pub fn dial_addr(&self) -> SocketAddr {
        if self.spec.is_direct() { self.tap.upstream() } else { self.tap.listen_addr() }
    }

    /// The async-nats connection, if connected.
    pub fn nats(&mut self) -> Option<&mut NatsConn> {
        match &mut self.conn {
            Conn::Nats(n) => Some(n),
            _ => None,
        }
    }
}
