//! A scenario client while a phase runs: its tap, its records, its connection.

use std::net::SocketAddr;

use crate::client::driver::ClientDriver;
use crate::client::{ClientAuth, ClientTls, MqttConn, NatsConn, RawConn};
use crate::observe::Timeline;
use crate::proxy::Proxy;
use crate::spec::ClientSpec;

/// The open connection, if any.
pub enum Conn {
    /// Not connected (never, failed, or closed).
    None,
    /// A client library's connection (async-nats, or a driver program).
    Client(Box<dyn ClientDriver>),
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
    /// The library it is played with.
    pub library: crate::spec::Library,
    /// Its JetStream consumers, buckets and unacked messages.
    pub js: crate::client::jetstream::JsState,
    /// The connections its application opened at disconnects (`on-disconnect = "new-connection"`).
    pub storm: Option<super::storm::Storm>,
}

impl ClientState {
    /// The address the client dials: its tap, or the server itself for a `direct` client.
    pub fn dial_addr(&self) -> SocketAddr {
        if self.spec.is_direct() { self.tap.upstream() } else { self.tap.listen_addr() }
    }

    /// The client library's connection, if connected.
    pub fn driver(&mut self) -> Option<&mut (dyn ClientDriver + 'static)> {
        match &mut self.conn {
            Conn::Client(d) => Some(d.as_mut()),
            _ => None,
        }
    }

    /// The async-nats connection, if connected with async-nats (JetStream steps need it).
    pub fn nats(&mut self) -> Option<&mut NatsConn> {
        self.driver().and_then(|d| d.async_nats())
    }
}
