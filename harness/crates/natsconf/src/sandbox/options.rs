//! What the caller decides about a sandbox.

use std::path::PathBuf;

/// The default replacement for account servers: nothing listens on port 1, so a fetch fails
/// at once with "connection refused" and nothing leaves the machine.
///
/// ```
/// use natsfault_natsconf::{DEFAULT_LOCAL_ACCOUNT_SERVER, SandboxOptions};
/// assert_eq!(SandboxOptions::new("/tmp/x").local_account_server, DEFAULT_LOCAL_ACCOUNT_SERVER);
/// ```
pub const DEFAULT_LOCAL_ACCOUNT_SERVER: &str = "http://127.0.0.1:1";

/// What to do with JetStream.
///
/// ```
/// use natsfault_natsconf::JetStreamPolicy;
/// assert_eq!(JetStreamPolicy::default(), JetStreamPolicy::StoreFlag);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JetStreamPolicy {
    /// Keep JetStream as configured (`jetstream {}`, `enabled`, limits, domain), without any
    /// `store_dir` of the config's: the server is started with `--store_dir` inside its sandbox
    /// (nats-server refuses a store given both ways: `Duplicate 'store_dir' configuration`).
    /// Every door of natsfault plays configs this way, on both backends.
    #[default]
    StoreFlag,
    /// Keep JetStream as configured, with its store written into the config as
    /// `<sandbox>/jetstream` (for a server started without `--store_dir`).
    MoveStore,
    /// Turn JetStream off.
    Disable,
}

/// Options for [`sandbox`](super::sandbox).
///
/// ```
/// use natsfault_natsconf::SandboxOptions;
/// let options = SandboxOptions::new("/tmp/sbx");
/// assert_eq!(options.local_account_server, "http://127.0.0.1:1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxOptions {
    /// The sandbox folder; everything the server reads or writes goes here.
    pub dir: PathBuf,
    /// The folder the customer's server ran in: nats-server reads relative file paths (TLS,
    /// operator JWT, resolver dir) from its working folder. Defaults to the main config's folder.
    pub base_dir: Option<PathBuf>,
    /// JetStream handling.
    pub jetstream: JetStreamPolicy,
    /// Scheme, host and port that replace every account server the config names (a
    /// `resolver: URL(...)`, or the operator JWT's `account_server_url`), whatever its host:
    /// the customer's account server is never contacted from here. nats-server fetches the URL resolver's base URL at startup and exits when nothing
    /// answers, so a config with a URL resolver only starts if the harness serves the
    /// customer's account JWTs here (any 200 answer for the base URL, the JWT for
    /// `<base>/<account public key>`).
    pub local_account_server: String,
    /// Files that stand in for the top-level `tls` block's `cert_file`, `key_file` and
    /// `ca_file`: certificates made for the run, so the customer's key is never read. `None`
    /// copies the config's own files into the sandbox.
    pub tls_files: Option<TlsFiles>,
    /// The largest file copied into the sandbox (TLS files, operator JWTs, creds), in bytes; a
    /// larger one is not read and the report says so.
    pub max_copy_bytes: u64,
    /// Where the files the config names may be read: `None` anywhere; `Some(folders)` only
    /// inside the base folder (the config's own folder tree) or one of `folders`, which the user
    /// passed explicitly. A file elsewhere is not opened; the report says where it is.
    pub read_roots: Option<Vec<PathBuf>>,
}

/// The default for [`SandboxOptions::max_copy_bytes`]: 4 MiB, more than any certificate
/// bundle, JWT or creds file.
///
/// ```
/// use natsfault_natsconf::{DEFAULT_MAX_COPY_BYTES, SandboxOptions};
/// assert_eq!(SandboxOptions::new("/tmp/x").max_copy_bytes, DEFAULT_MAX_COPY_BYTES);
/// ```
pub const DEFAULT_MAX_COPY_BYTES: u64 = 4 << 20;

/// Stand-ins for the client port's TLS files (see [`SandboxOptions::tls_files`]).
///
/// ```
/// use natsfault_natsconf::TlsFiles;
/// let files = TlsFiles { cert_file: "/s/cert.pem".into(), key_file: "/s/key.pem".into(), ca_file: None };
/// assert_eq!(files.path_for("KEY_FILE").unwrap().to_str(), Some("/s/key.pem"));
/// assert!(files.path_for("ca_file").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The server certificate.
    pub cert_file: PathBuf,
    /// Its key.
    pub key_file: PathBuf,
    /// The CAs client certificates must chain to; `None` keeps the config's own `ca_file`.
    pub ca_file: Option<PathBuf>,
}

impl TlsFiles {
    /// The stand-in for a `tls` key (matched as nats-server folds keys).
    pub fn path_for(&self, key: &str) -> Option<&PathBuf> {
        let folded = crate::key::fold(key);
        match folded.as_ref() {
            "cert_file" => Some(&self.cert_file),
            "key_file" => Some(&self.key_file),
            "ca_file" => self.ca_file.as_ref(),
            _ => None,
        }
    }
}

impl SandboxOptions {
    /// Options with defaults for the sandbox folder `dir`.
    ///
    /// ```
    /// use natsfault_natsconf::{JetStreamPolicy, SandboxOptions};
    /// assert_eq!(SandboxOptions::new("/tmp/x").jetstream, JetStreamPolicy::StoreFlag);
    /// ```
    pub fn new(dir: impl Into<PathBuf>) -> SandboxOptions {
        SandboxOptions {
            dir: dir.into(),
            base_dir: None,
            jetstream: JetStreamPolicy::StoreFlag,
            local_account_server: DEFAULT_LOCAL_ACCOUNT_SERVER.to_string(),
            tls_files: None,
            max_copy_bytes: DEFAULT_MAX_COPY_BYTES,
            read_roots: None,
        }
    }
}
