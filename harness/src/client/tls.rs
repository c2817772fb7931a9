//! A client's TLS options, resolved from the scenario's PKI names to files on the host.

use std::path::PathBuf;

use async_nats::ConnectOptions;

/// What an async-nats client does about TLS.
#[derive(Clone, Debug, Default)]
pub struct ClientTls {
    /// The CA certificate it trusts.
    pub ca: Option<PathBuf>,
    /// Its certificate and key.
    pub cert: Option<(PathBuf, PathBuf)>,
    /// `require_tls`.
    pub required: bool,
    /// `tls_first`.
    pub first: bool,
    /// The websocket URL the client dials instead of its tap, when it connects over websocket.
    pub websocket_url: Option<String>,
    /// The `mqtt {}` listener an MQTT client dials.
    pub mqtt_addr: Option<std::net::SocketAddr>,
}

impl ClientTls {
    /// `opts` with these options.
    pub fn apply(&self, mut opts: ConnectOptions) -> ConnectOptions {
        if let Some(ca) = &self.ca {
            opts = opts.add_root_certificates(ca.clone());
        }
        if let Some((cert, key)) = &self.cert {
            opts = opts.add_client_certificate(cert.clone(), key.clone());
        }
        if self.required {
            opts = opts.require_tls(true);
        }
        if self.first {
            opts = opts.tls_first();
        }
        opts
    }
}
