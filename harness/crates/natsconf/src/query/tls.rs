//! The top-level `tls { ... }` block: the client port's certificates and how clients are checked.

use super::located::Located;
use crate::value::{Node, Value};

/// The client port's TLS settings, as nats-server reads them.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let text = r#"tls { cert_file: "./server.pem", key_file: "./server-key.pem", ca_file: "./ca.pem", verify_and_map: true, timeout: 0.5 }"#;
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let tls = config.tls().unwrap();
/// assert_eq!(tls.cert_file.unwrap().value, "./server.pem");
/// assert!(tls.verify_and_map && !tls.verify && !tls.handshake_first);
/// assert_eq!(tls.timeout, Some(0.5));
/// assert_eq!(tls.at.to_string(), "nats.conf:1:1");
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TlsBlock {
    /// `cert_file`: the server certificate (PEM); without one, the first certificate of a
    /// `certs` (or `certificates`) list, whose entries nats-server serves by SNI.
    pub cert_file: Option<Located<String>>,
    /// `key_file`: its private key. Only its place is read here, never the file.
    pub key_file: Option<Located<String>>,
    /// `ca_file`: the CAs that client certificates must chain to.
    pub ca_file: Option<Located<String>>,
    /// `verify`: clients must present a certificate the CA signed.
    pub verify: bool,
    /// `verify_and_map`: as `verify`, and the certificate names the user.
    pub verify_and_map: bool,
    /// `handshake_first` (or `first`, `immediate`): TLS starts before the server's INFO (`true`,
    /// or a fallback duration).
    pub handshake_first: bool,
    /// `timeout`: seconds the handshake may take.
    pub timeout: Option<f64>,
    /// Where the block is.
    pub at: crate::location::Location,
}

impl crate::config::Config {
    /// The top-level `tls` block, if any (a block that is not a map is ignored).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("port: 4222", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.tls().is_none());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn tls(&self) -> Option<TlsBlock> {
        let pair = self.root().get_ci("tls")?;
        let map = pair.value.as_map()?;
        let file = |key: &str| {
            let p = map.get_ci(key)?;
            Some(Located { value: p.value.as_str()?.to_string(), at: self.location(p.key_at) })
        };
        let flag = |keys: &[&str]| map.get_any(keys).and_then(|p| p.value.as_bool()).unwrap_or(false);
        // nats-server reads the keys of a `certs` entry with their exact case.
        let listed = || {
            let list = map.get_any(&["certs", "certificates"])?;
            let first = list.value.as_array()?.first()?.as_map()?;
            let p = first.get("cert_file")?;
            Some(Located { value: p.value.as_str()?.to_string(), at: self.location(p.key_at) })
        };
        Some(TlsBlock {
            cert_file: file("cert_file").or_else(listed),
            key_file: file("key_file"),
            ca_file: file("ca_file"),
            verify: flag(&["verify"]),
            verify_and_map: flag(&["verify_and_map"]),
            // `true`, or a duration after which the server falls back to INFO first.
            handshake_first: map
                .get_any(&["handshake_first", "first", "immediate"])
                .is_some_and(|p| p.value.as_bool().unwrap_or_else(|| p.value.as_str().is_some())),
            timeout: map.get_ci("timeout").and_then(|p| seconds(&p.value)),
            at: self.location(pair.key_at),
        })
    }
}

fn seconds(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Float { value, .. } => Some(*value),
        Value::Integer { value, .. } => Some(*value as f64),
        _ => None,
    }
}
