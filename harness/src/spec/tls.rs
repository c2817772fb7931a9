//! The `[tls]` table: a PKI the harness generates for each run (certificate authorities,
//! server and client certificates, and their defects on purpose).

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[tls]`: certificates made per run, never stored.
///
/// ```toml
/// [tls.ca.main]
/// [tls.ca.rogue]
/// [tls.server.main]
/// ca = "main"
/// [tls.client.alice]
/// ca = "main"
/// cn = "alice"
/// org = "Acme"
/// email = "alice@acme.example"
/// defect = "expired"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TlsSpec {
    /// Certificate authorities by name.
    #[serde(default)]
    pub ca: BTreeMap<String, CaSpec>,
    /// Server certificates by name.
    #[serde(default)]
    pub server: BTreeMap<String, CertSpec>,
    /// Client certificates by name.
    #[serde(default)]
    pub client: BTreeMap<String, CertSpec>,
}

/// A certificate authority (self-signed).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CaSpec {
    /// Its common name (default: `natsfault CA NAME`).
    pub cn: Option<String>,
}

/// A server or client certificate.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CertSpec {
    /// The CA that signs it (default: the only CA).
    pub ca: Option<String>,
    /// Subject common name (default: the certificate's name).
    pub cn: Option<String>,
    /// Subject organization.
    pub org: Option<String>,
    /// Subject organizational unit.
    pub ou: Option<String>,
    /// Subject country (`C`).
    pub country: Option<String>,
    /// Subject state or province (`ST`).
    pub state: Option<String>,
    /// Subject locality (`L`).
    pub locality: Option<String>,
    /// An e-mail subject alternative name (`rfc822Name`).
    pub email: Option<String>,
    /// DNS subject alternative names (a server certificate has `localhost`, `127.0.0.1` and
    /// `::1` unless `defect = "wrong-san"`).
    #[serde(default)]
    pub dns: Vec<String>,
    /// Hours of validity from now (valid from an hour ago; default 24).
    pub valid_hours: Option<u32>,
    /// A defect made on purpose.
    pub defect: Option<CertDefect>,
    /// The wire tap does not know this certificate's key: a tap in front of a client that
    /// presents it cannot stand in for it (the report says so).
    #[serde(default)]
    pub unknown_to_natsfault: bool,
}

/// What is wrong with a certificate, on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertDefect {
    /// Valid until yesterday.
    Expired,
    /// Valid from tomorrow.
    NotYetValid,
    /// A server certificate whose only SAN is `wrong.invalid`.
    WrongSan,
    /// A client certificate without the client-auth extended key usage (server-auth only).
    NoClientAuth,
}

impl TlsSpec {
    /// The CA a certificate names, or the only CA.
    pub fn ca_of<'a>(&'a self, cert: &'a CertSpec) -> Option<&'a str> {
        match &cert.ca {
            Some(name) => Some(name.as_str()),
            None if self.ca.len() == 1 => self.ca.keys().next().map(String::as_str),
            None => None,
        }
    }
}
