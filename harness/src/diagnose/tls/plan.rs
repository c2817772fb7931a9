//! Stand-in certificates of the customer's shape: a `[tls]` PKI made for the run that copies
//! what the customer's certificates look like and how they relate (who issued what, what has
//! expired, which usage is missing, which CA the client trusts), never their keys.

use std::path::{Path, PathBuf};

use super::shape::{CertShape, read};
use crate::diagnose::DiagnoseError;
use crate::natsconf::{Config, TlsBlock};
use crate::spec::{CaSpec, CertDefect, CertSpec, TlsSpec};

/// The CA that issues the stand-in server certificate.
pub const SERVER_CA: &str = "server";
/// The CA that client certificates must chain to, when the config's `ca_file` is another CA.
pub const CLIENTS_CA: &str = "clients";
/// The CA that issued the customer's client certificate, when the server does not trust it.
pub const OTHER_CA: &str = "other";
/// The CA the customer's client trusts, when it is not the server certificate's issuer.
pub const TRUSTED_CA: &str = "trusted";
/// The stand-in server certificate, and its repaired twin.
pub const SERVER: &str = "main";
/// The server certificate without its defect.
pub const SERVER_FIXED: &str = "fixed";
/// The stand-in client certificate, and its repaired twin.
pub const CLIENT: &str = "app";
/// The client certificate without its defects, issued by the CA the server trusts.
pub const CLIENT_FIXED: &str = "app-fixed";

/// What the client does about TLS, as the engineer was told.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientTlsInput {
    /// The certificate the customer's client presents (PEM; only certificates are read).
    pub cert: Option<PathBuf>,
    /// The CA certificate the customer's client trusts.
    pub ca: Option<PathBuf>,
    /// The client starts TLS before the server's INFO.
    pub first: bool,
}

/// The run's stand-in PKI and how the client uses it.
#[derive(Clone, Debug)]
pub struct TlsPlan {
    /// The `[tls]` tables of the stand-ins.
    pub spec: TlsSpec,
    /// The config's `tls` block.
    pub block: TlsBlock,
    /// The CA the client trusts.
    pub client_ca: &'static str,
    /// The CA client certificates must chain to (the server's `ca_file`).
    pub clients_ca: &'static str,
    /// The client certificate it presents, if any.
    pub client_cert: Option<&'static str>,
    /// The client starts TLS first.
    pub first: bool,
    /// The server certificate is expired or not yet valid.
    pub server_defect: Option<CertDefect>,
    /// What was read, for the report.
    pub notes: Vec<String>,
}

impl TlsPlan {
    /// The client reaches the server without the wire tap: the tap cannot stand in for a server
    /// the client does not trust, nor for a client that starts TLS when the server does not.
    pub fn direct(&self) -> bool {
        self.client_ca != SERVER_CA || self.first != self.block.handshake_first || self.server_defect.is_some()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn validity_defect(s: &CertShape, now: i64) -> Option<CertDefect> {
    if s.not_after < now {
        Some(CertDefect::Expired)
    } else if s.not_before > now {
        Some(CertDefect::NotYetValid)
    } else {
        None
    }
}

fn ca(cn: Option<&String>) -> CaSpec {
    CaSpec { cn: cn.cloned() }
}

/// A certificate of `s`'s shape, issued by `ca`.
fn like(s: &CertShape, ca: &str, defect: Option<CertDefect>) -> CertSpec {
    CertSpec {
        ca: Some(ca.into()),
        cn: s.cn.clone(),
        org: s.org.clone(),
        ou: s.ou.clone(),
        country: s.country.clone(),
        state: s.state.clone(),
        locality: s.locality.clone(),
        email: s.emails.first().cloned(),
        dns: s.dns.iter().filter(|d| !matches!(d.as_str(), "localhost")).cloned().collect(),
        defect,
        ..CertSpec::default()
    }
}

fn describe(what: &str, s: &CertShape, now: i64) -> String {
    let mut parts = vec![format!("subject `{}`", s.subject), format!("issuer `{}`", s.issuer)];
    let sans: Vec<String> = s
        .dns
        .iter()
        .map(|d| format!("DNS:{d}"))
        .chain(s.ips.iter().map(|i| format!("IP:{i}")))
        .chain(s.emails.iter().map(|e| format!("email:{e}")))
        .collect();
    if !sans.is_empty() {
        parts.push(format!("SANs {}", sans.join(", ")));
    }
    match validity_defect(s, now) {
        Some(CertDefect::Expired) => parts.push("expired".into()),
        Some(CertDefect::NotYetValid) => parts.push("not yet valid".into()),
        _ => {}
    }
    if !s.client_auth && what.starts_with("client") {
        parts.push("no client-auth usage".into());
    }
    if !s.other_attributes.is_empty() {
        parts.push(format!("subject attributes the stand-in leaves out: {}", s.other_attributes.join(", ")));
    }
    format!("{what}: {}", parts.join("; "))
}

/// Where nats-server finds a file the config names: relative to the config's folder.
fn config_path(config: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() { p.to_path_buf() } else { config.parent().unwrap_or(Path::new(".")).join(p) }
}

/// A file the config names is read only from the config's own folder tree or a folder the user
/// passed (`--allow-read`).
fn inside_roots(config: &Path, path: &Path, roots: &[PathBuf], what: &str) -> Result<(), DiagnoseError> {
    let own = config.parent().map(Path::to_path_buf).unwrap_or_default();
    let all: Vec<PathBuf> = std::iter::once(own.clone()).chain(roots.iter().cloned()).collect();
    if crate::natsconf::within_roots(path, &all) {
        return Ok(());
    }
    Err(DiagnoseError::Input(format!(
        "{what}: `{}` is outside the config's folder `{}`; expected a file under it, or its folder passed with `--allow-read`",
        path.display(),
        own.display()
    )))
}

/// The stand-ins for a config with a top-level `tls` block, or `None` without one.
pub fn plan(
    config: &Config,
    config_path_: &Path,
    client: &ClientTlsInput,
    roots: &[PathBuf],
) -> Result<Option<TlsPlan>, DiagnoseError> {
    let Some(block) = config.tls() else {
        if client.cert.is_some() || client.ca.is_some() || client.first {
            return Err(DiagnoseError::Input(format!(
                "`--tls-cert`, `--tls-ca` and `--tls-first` need a `tls {{}}` block in `{}`; the config has none",
                config_path_.display()
            )));
        }
        return Ok(None);
    };
    let now = now();
    let mut notes = Vec::new();
    let read_config_file = |f: &crate::natsconf::Located<String>, what: &str| {
        let path = config_path(config_path_, &f.value);
        inside_roots(config_path_, &path, roots, &format!("{what} ({})", f.at))?;
        read(&path, &format!("{what} ({})", f.at))
    };
    let server = match &block.cert_file {
        Some(f) => {
            let s = read_config_file(f, "tls.cert_file")?.swap_remove(0);
            notes.push(describe(&format!("server certificate `{}`", f.value), &s, now));
            Some(s)
        }
        None => None,
    };
    let client_cas = match &block.ca_file {
        Some(f) => {
            let cas = read_config_file(f, "tls.ca_file")?;
            for c in &cas {
                notes.push(format!("client CA in `{}`: subject `{}`", f.value, c.subject));
            }
            cas
        }
        None => Vec::new(),
    };
    let mut spec = TlsSpec::default();
    spec.ca.insert(SERVER_CA.into(), ca(server.as_ref().and_then(|s| s.issuer_cn.as_ref())));
    // The CA client certificates chain to: the server's own issuer when `ca_file` holds it.
    let issuer_trusted = server.as_ref().is_some_and(|s| client_cas.iter().any(|c| s.issued_by(c)));
    let clients_ca = if client_cas.is_empty() || issuer_trusted {
        SERVER_CA
    } else {
        spec.ca.insert(CLIENTS_CA.into(), ca(client_cas[0].cn.as_ref()));
        CLIENTS_CA
    };
    let server_defect = server.as_ref().and_then(|s| validity_defect(s, now));
    let server_shape = server.clone().unwrap_or_default();
    spec.server.insert(SERVER.into(), like(&server_shape, SERVER_CA, server_defect));
    if server_defect.is_some() {
        spec.server.insert(SERVER_FIXED.into(), like(&server_shape, SERVER_CA, None));
    }

    let client_ca = match &client.ca {
        Some(path) => {
            let t = read(path, "`--tls-ca`")?.swap_remove(0);
            notes.push(format!("the client trusts `{}`: subject `{}`", path.display(), t.subject));
            if server.as_ref().is_none_or(|s| s.issued_by(&t)) {
                SERVER_CA
            } else {
                spec.ca.insert(TRUSTED_CA.into(), ca(t.cn.as_ref()));
                TRUSTED_CA
            }
        }
        None => {
            notes.push("the client trusts the CA that issued the server certificate (no `--tls-ca`)".into());
            SERVER_CA
        }
    };
    let client_cert = match &client.cert {
        Some(path) => {
            let c = read(path, "`--tls-cert`")?.swap_remove(0);
            notes.push(describe(&format!("client certificate `{}`", path.display()), &c, now));
            let trusted = client_cas.iter().any(|ca| c.issued_by(ca))
                || (client_cas.is_empty() && server.as_ref().is_some_and(|s| s.issuer_der == c.issuer_der));
            let issuer = if trusted {
                clients_ca
            } else {
                spec.ca.insert(OTHER_CA.into(), ca(c.issuer_cn.as_ref()));
                OTHER_CA
            };
            let defect = validity_defect(&c, now).or((!c.client_auth).then_some(CertDefect::NoClientAuth));
            spec.client.insert(CLIENT.into(), like(&c, issuer, defect));
            spec.client.insert(CLIENT_FIXED.into(), like(&c, clients_ca, None));
            Some(CLIENT)
        }
        None => None,
    };
    if block.verify || block.verify_and_map {
        notes.push(format!(
            "`tls` at {}: {} — clients must present a certificate{}",
            block.at,
            if block.verify_and_map { "verify_and_map" } else { "verify" },
            if block.verify_and_map { " whose subject or e-mail names a user" } else { "" }
        ));
    }
    notes.push(
        "TLS plays with certificates of the same shape made for this run: the customer's certificate and key files are not used"
            .into(),
    );
    Ok(Some(TlsPlan { spec, block, client_ca, clients_ca, client_cert, first: client.first, server_defect, notes }))
}
