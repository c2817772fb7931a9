//! The shape of a certificate the customer has: what its stand-in must copy (subject, SANs,
//! validity, usage, issuer), read with x509-parser. Only `CERTIFICATE` blocks are decoded: a
//! private key in the same file is skipped unread.

use std::path::Path;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;
use x509_parser::x509::X509Name;

use crate::diagnose::DiagnoseError;
use crate::input_file::{SMALL_FILE_LIMIT, read_text};

/// What a certificate looks like, without its key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertShape {
    /// The subject as x509-parser prints it (RFC 4514), for the report.
    pub subject: String,
    /// Subject common name.
    pub cn: Option<String>,
    /// Subject organization.
    pub org: Option<String>,
    /// Subject organizational unit.
    pub ou: Option<String>,
    /// Subject country.
    pub country: Option<String>,
    /// Subject state or province.
    pub state: Option<String>,
    /// Subject locality.
    pub locality: Option<String>,
    /// Subject attributes a stand-in does not copy (e.g. `DC`, `serialNumber`), by name.
    pub other_attributes: Vec<String>,
    /// E-mail subject alternative names.
    pub emails: Vec<String>,
    /// DNS subject alternative names.
    pub dns: Vec<String>,
    /// IP subject alternative names, printed.
    pub ips: Vec<String>,
    /// Valid from (Unix seconds).
    pub not_before: i64,
    /// Valid until (Unix seconds).
    pub not_after: i64,
    /// Usable for client authentication: no extended key usage, or one with `clientAuth`/`any`.
    pub client_auth: bool,
    /// A CA certificate.
    pub is_ca: bool,
    /// The issuer as printed, for the report.
    pub issuer: String,
    /// The issuer's common name.
    pub issuer_cn: Option<String>,
    /// Subject and issuer in DER, to tell which certificate issued which.
    pub subject_der: Vec<u8>,
    /// The issuer in DER.
    pub issuer_der: Vec<u8>,
}

impl CertShape {
    /// Whether `ca` issued this certificate (its issuer is `ca`'s subject).
    pub fn issued_by(&self, ca: &CertShape) -> bool {
        self.issuer_der == ca.subject_der
    }

    /// Whether it is valid at `now` (Unix seconds).
    pub fn valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// The `-----BEGIN CERTIFICATE-----` blocks of a PEM text, each with its markers; other blocks
/// (private keys above all) are not looked into.
fn certificate_blocks(text: &str) -> Vec<&str> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = text;
    // Each pass consumes one block, so the loop ends with the text.
    while let Some(start) = rest.find(BEGIN) {
        let Some(len) = rest[start..].find(END) else { break };
        let end = start + len + END.len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

fn first(it: impl Iterator<Item = String>) -> Option<String> {
    it.into_iter().next()
}

fn attr<'a>(it: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>) -> Option<String> {
    first(it.filter_map(|a| a.as_str().ok().map(str::to_string)))
}

fn other_attributes(name: &X509Name<'_>) -> Vec<String> {
    use x509_parser::oid_registry::{
        OID_X509_COMMON_NAME, OID_X509_COUNTRY_NAME, OID_X509_LOCALITY_NAME, OID_X509_ORGANIZATION_NAME,
        OID_X509_ORGANIZATIONAL_UNIT, OID_X509_STATE_OR_PROVINCE_NAME,
    };
    let copied = [
        OID_X509_COMMON_NAME,
        OID_X509_COUNTRY_NAME,
        OID_X509_LOCALITY_NAME,
        OID_X509_ORGANIZATIONAL_UNIT,
        OID_X509_ORGANIZATION_NAME,
        OID_X509_STATE_OR_PROVINCE_NAME,
    ];
    let registry = x509_parser::oid_registry::OidRegistry::default().with_x509();
    name.iter_attributes()
        .filter(|a| !copied.contains(a.attr_type()))
        .map(|a| registry.get(a.attr_type()).map_or_else(|| a.attr_type().to_id_string(), |e| e.sn().to_string()))
        .collect()
}

fn shape(cert: &X509Certificate<'_>) -> CertShape {
    let subject = cert.subject();
    let mut s = CertShape {
        subject: subject.to_string(),
        cn: attr(subject.iter_common_name()),
        org: attr(subject.iter_organization()),
        ou: attr(subject.iter_organizational_unit()),
        country: attr(subject.iter_country()),
        state: attr(subject.iter_state_or_province()),
        locality: attr(subject.iter_locality()),
        other_attributes: other_attributes(subject),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        client_auth: true,
        is_ca: cert.is_ca(),
        issuer: cert.issuer().to_string(),
        issuer_cn: attr(cert.issuer().iter_common_name()),
        subject_der: subject.as_raw().to_vec(),
        issuer_der: cert.issuer().as_raw().to_vec(),
        ..CertShape::default()
    };
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::RFC822Name(e) => s.emails.push((*e).to_string()),
                GeneralName::DNSName(d) => s.dns.push((*d).to_string()),
                GeneralName::IPAddress(ip) => s.ips.push(print_ip(ip)),
                _ => {}
            }
        }
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        s.client_auth = eku.value.client_auth || eku.value.any;
    }
    s
}

fn print_ip(raw: &[u8]) -> String {
    match raw.len() {
        4 => std::net::Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]).to_string(),
        16 => <[u8; 16]>::try_from(raw).map(|b| std::net::Ipv6Addr::from(b).to_string()).unwrap_or_default(),
        _ => format!("{raw:?}"),
    }
}

/// Every certificate of a PEM text; `what` and `origin` name it in errors.
pub fn parse(text: &str, what: &str, origin: &str) -> Result<Vec<CertShape>, DiagnoseError> {
    let blocks = certificate_blocks(text);
    if blocks.is_empty() {
        return Err(DiagnoseError::Input(format!(
            "{what} `{origin}`: expected a PEM `-----BEGIN CERTIFICATE-----` block, found none"
        )));
    }
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let bad = |why: String| DiagnoseError::Input(format!("{what} `{origin}`: certificate {}: {why}", i + 1));
        let pem = Pem::iter_from_buffer(block.as_bytes())
            .next()
            .ok_or_else(|| bad("no PEM block".into()))?
            .map_err(|e| bad(format!("not PEM: {e}")))?;
        let cert = pem.parse_x509().map_err(|e| bad(format!("not an X.509 certificate: {e}")))?;
        out.push(shape(&cert));
    }
    Ok(out)
}

/// Every certificate of a PEM file (a regular file, read without blocking, bounded).
pub fn read(path: &Path, what: &str) -> Result<Vec<CertShape>, DiagnoseError> {
    let text =
        read_text(path, "certificate file", SMALL_FILE_LIMIT).map_err(|e| DiagnoseError::Input(e.to_string()))?;
    parse(&text, what, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::issue;
    use crate::spec::TlsSpec;

    #[test]
    fn reads_subject_sans_usage_and_issuer_and_skips_keys() {
        let spec: TlsSpec = toml::from_str(
            "[ca.main]\ncn = \"Acme CA\"\n[client.app]\ncn = \"app\"\norg = \"Acme\"\ncountry = \"US\"\nemail = \"app@acme.example\"\ndefect = \"no-client-auth\"",
        )
        .unwrap();
        let pki = issue(&spec).unwrap();
        let text = format!("{}{}", pki.clients["app"].key_pem, pki.clients["app"].cert_pem);
        let shapes = parse(&text, "client certificate", "app.pem").unwrap();
        assert_eq!(shapes.len(), 1);
        let s = &shapes[0];
        assert_eq!((s.cn.as_deref(), s.org.as_deref(), s.country.as_deref()), (Some("app"), Some("Acme"), Some("US")));
        assert_eq!(s.emails, vec!["app@acme.example".to_string()]);
        assert!(!s.client_auth && !s.is_ca);
        let ca = &parse(&pki.cas["main"].cert_pem, "CA", "ca.pem").unwrap()[0];
        assert!(s.issued_by(ca) && ca.is_ca);
        assert_eq!(s.issuer_cn.as_deref(), Some("Acme CA"));
    }

    #[test]
    fn a_file_without_a_certificate_is_refused_with_its_name() {
        let err =
            parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "client certificate", "k.pem")
                .unwrap_err()
                .to_string();
        assert!(err.contains("`k.pem`") && err.contains("expected a PEM"), "{err}");
        assert!(!err.contains("AAAA"), "{err}");
    }
}
