//! Issuing a scenario's PKI with rcgen: self-signed CAs, then server and client certificates
//! signed by them, with the defects the scenario asks for.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

use crate::spec::{CertDefect, CertSpec, TlsSpec};

/// Why the PKI could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// A certificate names a CA that is not declared, or names none while there are several.
    #[error("certificate `{cert}` names no known CA (`{ca}`); expected one of the `[tls.ca.NAME]` tables")]
    UnknownCa {
        /// The certificate.
        cert: String,
        /// What it named.
        ca: String,
    },
    /// rcgen refused a value.
    #[error("certificate `{cert}` could not be made: {source}")]
    Rcgen {
        /// The certificate.
        cert: String,
        /// Why.
        source: rcgen::Error,
    },
}

/// One issued certificate with its key, in PEM.
#[derive(Clone)]
pub struct Issued {
    /// The certificate (PEM).
    pub cert_pem: String,
    /// The certificate (DER), to recognise it on the wire.
    pub cert_der: Vec<u8>,
    /// The private key (PEM): a secret.
    pub key_pem: String,
    /// The subject as nats-server prints it for `verify_and_map` (RFC 2253 order).
    pub subject: String,
    /// Whether the wire tap may use its key.
    pub known: bool,
}

impl std::fmt::Debug for Issued {
    /// The subject only: the key is a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Issued({})", self.subject)
    }
}

/// Every CA, server and client certificate of a scenario.
#[derive(Clone, Debug, Default)]
pub struct IssuedPki {
    /// CAs by name.
    pub cas: BTreeMap<String, Issued>,
    /// Server certificates by name.
    pub servers: BTreeMap<String, Issued>,
    /// Client certificates by name.
    pub clients: BTreeMap<String, Issued>,
}

fn rc(cert: &str) -> impl FnOnce(rcgen::Error) -> PkiError + '_ {
    move |source| PkiError::Rcgen { cert: cert.to_string(), source }
}

/// Issues every certificate `spec` declares.
pub fn issue(spec: &TlsSpec) -> Result<IssuedPki, PkiError> {
    let now = OffsetDateTime::now_utc();
    let mut out = IssuedPki::default();
    let mut issuers = BTreeMap::new();
    for (name, ca) in &spec.ca {
        let key = KeyPair::generate().map_err(rc(name))?;
        let mut params = CertificateParams::default();
        let cn = ca.cn.clone().unwrap_or_else(|| format!("natsfault CA {name}"));
        params.distinguished_name = dn(&[(DnType::CommonName, &cn)]);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        params.not_before = now - Duration::days(30);
        params.not_after = now + Duration::days(30);
        let cert = params.self_signed(&key).map_err(rc(name))?;
        out.cas.insert(
            name.clone(),
            Issued {
                cert_pem: cert.pem(),
                cert_der: cert.der().to_vec(),
                key_pem: key.serialize_pem(),
                subject: format!("CN={cn}"),
                known: true,
            },
        );
        issuers.insert(name.clone(), Issuer::new(params, key));
    }
    for (kinds, server) in [(&spec.server, true), (&spec.client, false)] {
        for (name, c) in kinds {
            let ca = spec.ca_of(c).ok_or_else(|| PkiError::UnknownCa {
                cert: name.clone(),
                ca: c.ca.clone().unwrap_or_else(|| "(none named)".into()),
            })?;
            let issuer = issuers.get(ca).ok_or_else(|| PkiError::UnknownCa { cert: name.clone(), ca: ca.into() })?;
            let issued = leaf(name, c, server, issuer, now)?;
            if server {
                out.servers.insert(name.clone(), issued);
            } else {
                out.clients.insert(name.clone(), issued);
            }
        }
    }
    Ok(out)
}

/// A distinguished name from `(type, value)` pairs, in the order given.
fn dn(parts: &[(DnType, &str)]) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    for (t, v) in parts {
        d.push(t.clone(), *v);
    }
    d
}

fn leaf(
    name: &str,
    c: &CertSpec,
    server: bool,
    issuer: &Issuer<'_, KeyPair>,
    now: OffsetDateTime,
) -> Result<Issued, PkiError> {
    let key = KeyPair::generate().map_err(rc(name))?;
    let mut params = CertificateParams::default();
    let cn = c.cn.clone().unwrap_or_else(|| name.to_string());
    // Written in the order of the certificate (C, ST, L, O, OU, CN); Go prints them reversed
    // (RFC 2253).
    let mut parts: Vec<(DnType, &str)> = Vec::new();
    for (t, v) in [
        (DnType::CountryName, &c.country),
        (DnType::StateOrProvinceName, &c.state),
        (DnType::LocalityName, &c.locality),
    ] {
        if let Some(v) = v {
            parts.push((t, v));
        }
    }
    if let Some(o) = &c.org {
        parts.push((DnType::OrganizationName, o));
    }
    if let Some(ou) = &c.ou {
        parts.push((DnType::OrganizationalUnitName, ou));
    }
    parts.push((DnType::CommonName, &cn));
    params.distinguished_name = dn(&parts);
    let subject = parts
        .iter()
        .rev()
        .map(|(t, v)| {
            let k = match t {
                DnType::OrganizationName => "O",
                DnType::OrganizationalUnitName => "OU",
                DnType::CountryName => "C",
                DnType::StateOrProvinceName => "ST",
                DnType::LocalityName => "L",
                _ => "CN",
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join(",");
    let mut sans = Vec::new();
    if server && c.defect != Some(CertDefect::WrongSan) {
        sans.push(SanType::DnsName("localhost".try_into().map_err(rc(name))?));
        sans.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        sans.push(SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    }
    if c.defect == Some(CertDefect::WrongSan) {
        sans.push(SanType::DnsName("wrong.invalid".try_into().map_err(rc(name))?));
    }
    for d in &c.dns {
        sans.push(SanType::DnsName(d.as_str().try_into().map_err(rc(name))?));
    }
    if let Some(e) = &c.email {
        sans.push(SanType::Rfc822Name(e.as_str().try_into().map_err(rc(name))?));
    }
    params.subject_alt_names = sans;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    params.extended_key_usages = match (server, c.defect) {
        (false, Some(CertDefect::NoClientAuth)) => vec![ExtendedKeyUsagePurpose::ServerAuth],
        (false, _) => vec![ExtendedKeyUsagePurpose::ClientAuth],
        (true, _) => vec![ExtendedKeyUsagePurpose::ServerAuth],
    };
    let hours = Duration::hours(i64::from(c.valid_hours.unwrap_or(24)));
    (params.not_before, params.not_after) = match c.defect {
        Some(CertDefect::Expired) => (now - Duration::days(30), now - Duration::days(1)),
        Some(CertDefect::NotYetValid) => (now + Duration::days(1), now + Duration::days(30)),
        _ => (now - Duration::hours(1), now + hours),
    };
    let cert = params.signed_by(&key, issuer).map_err(rc(name))?;
    Ok(Issued {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        key_pem: key.serialize_pem(),
        subject,
        known: !c.unknown_to_natsfault,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> TlsSpec {
        toml::from_str(text).expect("a [tls] table")
    }

    #[test]
    fn the_subject_is_printed_most_specific_first_as_nats_server_matches_it() {
        let pki = issue(&spec("[ca.main]\n[client.alice]\ncn = \"alice\"\norg = \"Acme\"\nou = \"Ops\"")).unwrap();
        assert_eq!(pki.clients["alice"].subject, "CN=alice,OU=Ops,O=Acme");
        let full = issue(&spec(
            "[ca.main]\n[client.bob]\ncountry = \"US\"\nstate = \"CA\"\nlocality = \"SF\"\norg = \"Acme\"",
        ))
        .unwrap();
        assert_eq!(full.clients["bob"].subject, "CN=bob,O=Acme,L=SF,ST=CA,C=US");
        assert!(pki.clients["alice"].key_pem.contains("PRIVATE KEY"));
        assert!(pki.clients["alice"].cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn every_defect_issues_a_certificate() {
        for d in ["expired", "not-yet-valid", "no-client-auth", "wrong-san"] {
            let text = format!("[ca.main]\n[server.s]\ndefect = \"{d}\"\n[client.c]\ndefect = \"{d}\"");
            let pki = issue(&spec(&text)).unwrap_or_else(|e| panic!("{d}: {e}"));
            assert_ne!(pki.servers["s"].cert_der, pki.clients["c"].cert_der);
        }
    }

    #[test]
    fn a_certificate_without_a_known_ca_is_refused_with_its_name() {
        let two = issue(&spec("[ca.a]\n[ca.b]\n[client.c]")).unwrap_err().to_string();
        assert!(two.contains("`c`") && two.contains("(none named)"), "{two}");
        let unknown = issue(&spec("[ca.a]\n[client.c]\nca = \"z\"")).unwrap_err().to_string();
        assert!(unknown.contains("`z`"), "{unknown}");
    }

    #[test]
    fn the_debug_form_shows_no_key() {
        let pki = issue(&spec("[ca.main]\n[client.c]")).unwrap();
        assert!(!format!("{pki:?}").contains("PRIVATE"));
    }
}
