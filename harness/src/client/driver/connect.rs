//! Connecting a client with the library it is played with.

use std::net::SocketAddr;

use super::api::{ClientDriver, DriverError, DriverResult};
use super::line::LineDriver;
use crate::client::{ClientAuth, ClientTls, NatsConn, configure};
use crate::observe::Timeline;
use crate::spec::{ClientSpec, Library};

/// Everything a library needs to connect one scenario client.
pub struct ConnectTarget<'a> {
    /// The client's key in the scenario (its connection name by default).
    pub name: &'a str,
    /// Its spec, placeholders filled.
    pub spec: &'a ClientSpec,
    /// Its credentials.
    pub auth: &'a ClientAuth,
    /// Its TLS and websocket options.
    pub tls: &'a ClientTls,
    /// Where it dials: its wire tap (or the server, for a `direct` client).
    pub addr: SocketAddr,
    /// Where the library's events go.
    pub events: &'a Timeline<String>,
}

impl ConnectTarget<'_> {
    /// The server URL the client is given: the websocket listener, or `nats://` to `addr`, with
    /// the user and password in it when the spec has `credentials-in-url`.
    pub fn url(&self) -> String {
        if let Some(ws) = &self.tls.websocket_url {
            return ws.clone();
        }
        match (&self.spec.user, self.spec.credentials_in_url == Some(true)) {
            (Some(u), true) => {
                let p = self.spec.password.as_deref().unwrap_or_default();
                format!("nats://{}:{}@{}", encode(u), encode(p), self.addr)
            }
            _ => format!("nats://{}", self.addr),
        }
    }
}

/// Percent-encodes what a URL's user info cannot carry as is.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Connects `target` with `library`: async-nats in-process, any other library through its driver
/// program (a crash or a hang of which is a [`DriverError::Harness`] within a bound).
pub async fn connect(library: Library, target: ConnectTarget<'_>) -> DriverResult<Box<dyn ClientDriver>> {
    match library {
        Library::AsyncNats => {
            let t = &target;
            let opts = t.auth.apply(t.tls.apply(configure(t.auth.base(), t.name, t.spec, t.events))).await?;
            let conn = if t.tls.websocket_url.is_some() || t.spec.credentials_in_url == Some(true) {
                NatsConn::connect_url(&t.url(), opts).await?
            } else {
                NatsConn::connect(t.addr, opts).await?
            };
            Ok(Box::new(conn))
        }
        Library::NatsPy | Library::NatsGo | Library::NatsC => {
            let program = super::installed::program_for(library).map_err(DriverError::Harness)?;
            Ok(Box::new(LineDriver::connect(&program, &target).await?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_url_are_percent_encoded() {
        let spec = ClientSpec {
            user: Some("bar".into()),
            password: Some("p@ss:w/rd".into()),
            credentials_in_url: Some(true),
            ..ClientSpec::default()
        };
        let (auth, tls, events) = (ClientAuth::None, ClientTls::default(), Timeline::new());
        let addr = "127.0.0.1:4222".parse().unwrap();
        let t = ConnectTarget { name: "bar", spec: &spec, auth: &auth, tls: &tls, addr, events: &events };
        assert_eq!(t.url(), "nats://bar:p%40ss%3Aw%2Frd@127.0.0.1:4222");
        let plain = ClientSpec { credentials_in_url: None, ..spec.clone() };
        let t = ConnectTarget { spec: &plain, ..t };
        assert_eq!(t.url(), "nats://127.0.0.1:4222");
    }
}
