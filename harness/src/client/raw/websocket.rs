//! The websocket side of a raw client: the HTTP upgrade with the scenario's headers and cookies
//! (tokio-websockets), then NATS in binary frames.

use std::time::Duration;

use http::{HeaderName, HeaderValue};
use tokio::net::TcpStream;
use tokio_websockets::{ClientBuilder, MaybeTlsStream, WebSocketStream};

use crate::client::ClientFailure;

/// A websocket connection as the raw client holds it.
pub(super) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The upgrade request a raw websocket client sends: where, and the headers and cookies it
/// carries besides those of the handshake itself.
#[derive(Clone, Copy, Debug)]
pub struct Upgrade<'a> {
    /// `ws://127.0.0.1:PORT`, the server's websocket listener.
    pub url: &'a str,
    /// Extra headers, by name.
    pub headers: Option<&'a std::collections::BTreeMap<String, String>>,
    /// Cookies, sent together in one `Cookie` header as a browser does.
    pub cookies: Option<&'a std::collections::BTreeMap<String, String>>,
}

impl Upgrade<'_> {
    /// The `Cookie` header's value (`a=1; b=2`), if there are cookies.
    fn cookie_header(&self) -> Option<String> {
        let cookies = self.cookies.filter(|c| !c.is_empty())?;
        Some(cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    /// Opens the connection within `timeout`: TCP, then the upgrade.
    pub(super) async fn open(&self, timeout: Duration) -> Result<Ws, ClientFailure> {
        let invalid =
            |what: String| ClientFailure { op: "connect", kind: "InvalidData".into(), message: what, api: None };
        let mut builder =
            ClientBuilder::new().uri(self.url).map_err(|e| invalid(format!("websocket url `{}`: {e}", self.url)))?;
        let cookie = self.cookie_header().map(|c| ("cookie".to_string(), c));
        for (name, value) in self.headers.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())).chain(cookie) {
            let n = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(format!("header `{name}`: {e}")))?;
            // The value may hold a secret: only the header's name is named.
            let v = HeaderValue::from_str(&value).map_err(|_| invalid(format!("header `{name}`: invalid value")))?;
            builder = builder.add_header(n, v).map_err(|e| invalid(format!("header `{name}`: {e}")))?;
        }
        match tokio::time::timeout(timeout, builder.connect()).await {
            Ok(Ok((ws, _response))) => Ok(ws),
            Ok(Err(e)) => Err(failure(&e)),
            Err(_) => Err(ClientFailure::timed_out("connect", format!("no websocket upgrade within {timeout:?}"))),
        }
    }
}

/// A failed upgrade, as async-nats reports one: `Io` (the server answered without switching
/// protocols, or the connection failed), `TimedOut`.
fn failure(e: &tokio_websockets::Error) -> ClientFailure {
    let kind = match e {
        tokio_websockets::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => "TimedOut",
        _ => "Io",
    };
    ClientFailure { op: "connect", kind: kind.into(), message: e.to_string(), api: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_go_in_one_header_as_a_browser_sends_them() {
        let cookies = [("jwt".to_string(), "a.b.c".to_string()), ("theme".to_string(), "dark".to_string())].into();
        let up = Upgrade { url: "ws://127.0.0.1:1", headers: None, cookies: Some(&cookies) };
        assert_eq!(up.cookie_header().as_deref(), Some("jwt=a.b.c; theme=dark"));
        assert_eq!(Upgrade { cookies: None, ..up }.cookie_header(), None);
    }
}
