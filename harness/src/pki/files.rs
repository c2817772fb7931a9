//! A run's PKI on disk and in configs: the files beside the server's config (named relative
//! to its working folder, the same on both backends), the same files in a host folder for the
//! clients and the wire tap, and the `{{tls.*}}` placeholders that name them.

use std::path::{Path, PathBuf};

use super::issue::{Issued, IssuedPki};
use crate::backend::ServerFile;
use crate::redact::Secrets;
use crate::render::Provider;

/// A run's issued PKI and where its files are.
#[derive(Clone, Debug)]
pub struct Pki {
    /// The certificates and keys.
    pub issued: IssuedPki,
    /// The host folder holding a copy of every file (keys owner-only).
    pub host_dir: PathBuf,
}

/// The file name of a CA certificate.
fn ca_file(name: &str) -> String {
    format!("tls-ca-{name}.pem")
}

/// The file names of a server or client certificate and its key.
fn leaf_files(kind: &str, name: &str) -> (String, String) {
    (format!("tls-{kind}-{name}-cert.pem"), format!("tls-{kind}-{name}-key.pem"))
}

impl Pki {
    /// Writes every file into `host_dir` (owner-only) and records every private key as a secret.
    pub fn write(issued: IssuedPki, host_dir: &Path, secrets: &Secrets) -> std::io::Result<Pki> {
        let pki = Pki { issued, host_dir: host_dir.to_path_buf() };
        for f in pki.server_files() {
            crate::owner_only::write(&host_dir.join(&f.name), &f.contents)?;
        }
        for i in pki.all() {
            secrets.add(&i.key_pem);
        }
        Ok(pki)
    }

    fn all(&self) -> impl Iterator<Item = &Issued> {
        self.issued.cas.values().chain(self.issued.servers.values()).chain(self.issued.clients.values())
    }

    /// The files the server may read: every certificate, and the keys of server certificates
    /// and clients (a config may name any of them).
    pub fn server_files(&self) -> Vec<ServerFile> {
        let mut out = Vec::new();
        for (name, ca) in &self.issued.cas {
            out.push(ServerFile { name: ca_file(name), contents: ca.cert_pem.clone().into_bytes() });
        }
        for (kind, map) in [("server", &self.issued.servers), ("client", &self.issued.clients)] {
            for (name, i) in map {
                let (cert, key) = leaf_files(kind, name);
                out.push(ServerFile { name: cert, contents: i.cert_pem.clone().into_bytes() });
                out.push(ServerFile { name: key, contents: i.key_pem.clone().into_bytes() });
            }
        }
        out
    }

    /// The host path of a CA's certificate.
    pub fn ca_path(&self, name: &str) -> Option<PathBuf> {
        self.issued.cas.contains_key(name).then(|| self.host_dir.join(ca_file(name)))
    }

    /// The host paths of a client certificate and its key.
    pub fn client_paths(&self, name: &str) -> Option<(PathBuf, PathBuf)> {
        let (c, k) = leaf_files("client", name);
        self.issued.clients.contains_key(name).then(|| (self.host_dir.join(c), self.host_dir.join(k)))
    }

    /// The server certificate whose DER is `der`.
    pub fn server_by_der(&self, der: &[u8]) -> Option<&Issued> {
        self.issued.servers.values().find(|i| i.cert_der == der)
    }
}

/// `{{tls.ca.NAME}}`, `{{tls.server.NAME.cert|key}}`, `{{tls.client.NAME.cert|key|subject}}`:
/// the file names the server reads (relative to its working folder), and the subject a
/// `verify_and_map` user is named by.
impl Provider for Pki {
    fn value(&self, key: &str) -> Option<String> {
        let rest = key.strip_prefix("tls.")?;
        if let Some(name) = rest.strip_prefix("ca.") {
            return self.issued.cas.contains_key(name).then(|| ca_file(name));
        }
        let (kind, rest) = rest.split_once('.')?;
        let (name, part) = rest.rsplit_once('.')?;
        let issued = match kind {
            "server" => self.issued.servers.get(name)?,
            "client" => self.issued.clients.get(name)?,
            _ => return None,
        };
        let (cert, key) = leaf_files(kind, name);
        match part {
            "cert" => Some(cert),
            "key" => Some(key),
            "subject" => Some(issued.subject.clone()),
            _ => None,
        }
    }

    fn describe(&self) -> &'static str {
        "tls.ca.NAME`, `tls.server.NAME.cert|key`, `tls.client.NAME.cert|key|subject"
    }
}
