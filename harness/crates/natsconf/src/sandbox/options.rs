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
/// assert_eq!(JetStreamPolicy::default(), JetStreamPolicy::MoveStore);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JetStreamPolicy {
    /// Keep JetStream as configured, with its store in `<sandbox>/jetstream`.
    #[default]
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
}

impl SandboxOptions {
    /// Options with defaults for the sandbox folder `dir`.
    ///
    /// ```
    /// use natsfault_natsconf::{JetStreamPolicy, SandboxOptions};
    /// assert_eq!(SandboxOptions::new("/tmp/x").jetstream, JetStreamPolicy::MoveStore);
    /// ```
    pub fn new(dir: impl Into<PathBuf>) -> SandboxOptions {
        SandboxOptions {
            dir: dir.into(),
            base_dir: None,
            jetstream: JetStreamPolicy::MoveStore,
            local_account_server: DEFAULT_LOCAL_ACCOUNT_SERVER.to_string(),
        }
    }
}
