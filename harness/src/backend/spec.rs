//! What to run: the description a backend turns into a running server.

use super::confine::ConfinePolicy;
use crate::spec::Version;

/// A file placed beside the server's config (credentials, JWTs).
/// The client port a server listens on inside its container (nats-server's default).
pub const CLIENT_PORT: u16 = 4222;

#[derive(Clone, Debug)]
pub struct ServerFile {
    /// File name, relative to the config's directory.
    pub name: String,
    /// Contents.
    pub contents: Vec<u8>,
}

/// A nats-server to start: its version, its config, and files beside it.
///
/// ```
/// use natsfault::backend::ServerSpec;
/// let spec = ServerSpec::new("2.15.1".parse().unwrap(), "authorization { token: s3cret }");
/// assert_eq!(spec.version.to_string(), "2.15.1");
/// ```
#[derive(Clone, Debug)]
pub struct ServerSpec {
    /// The release to run.
    pub version: Version,
    /// nats.conf text with placeholders already filled.
    pub config: String,
    /// Files the config refers to.
    pub files: Vec<ServerFile>,
    /// A label for the sandbox (the scenario's file stem), to find kept sandboxes.
    pub label: String,
    /// Whether to confine the process (own network namespace, read-only file system but the
    /// sandbox); `diagnose` asks for it, scenarios run unconfined.
    pub confine: ConfinePolicy,
    /// Folders outside the sandbox a confined server may write (a diagnosed config's stores).
    pub writable: Vec<std::path::PathBuf>,
    /// Whether the backend passes `--store_dir` with a folder inside the sandbox, so that a
    /// JetStream store never lands where the config says (default). `diagnose` turns it off: its
    /// sandbox rewrite writes the sandbox's store path into the config, and nats-server refuses a
    /// `store_dir` given both ways (`Duplicate 'store_dir' configuration`).
    pub store_dir_flag: bool,
    /// Extra listeners (websocket, MQTT) a container publishes: (port inside, port on
    /// 127.0.0.1). A process binds its listeners on 127.0.0.1 itself and needs none.
    pub published: Vec<(u16, u16)>,
    /// The client port on 127.0.0.1 a process listens on (default: one the server chooses).
    /// A topology chooses it first, so that its servers can name each other.
    pub client_port: Option<u16>,
    /// Variables the config names (`$NAME`) that the user passed explicitly: the server's whole
    /// environment. nats-server's own fallback to the environment it inherits is never used:
    /// a process starts with only these.
    pub env: Vec<(String, String)>,
    /// The host name other containers reach this one by on the backend's network (a network
    /// alias); a process is reached on 127.0.0.1 and ignores it.
    pub hostname: Option<String>,
}

impl ServerSpec {
    /// A spec with no extra files.
    pub fn new(version: Version, config: impl Into<String>) -> ServerSpec {
        ServerSpec {
            version,
            config: config.into(),
            files: Vec::new(),
            label: "server".into(),
            confine: ConfinePolicy::Off,
            writable: Vec::new(),
            store_dir_flag: true,
            published: Vec::new(),
            client_port: None,
            hostname: None,
            env: Vec::new(),
        }
    }

    /// With a confinement policy.
    pub fn confine(mut self, policy: ConfinePolicy) -> ServerSpec {
        self.confine = policy;
        self
    }

    /// With a label.
    pub fn label(mut self, label: impl Into<String>) -> ServerSpec {
        self.label = label.into();
        self
    }
}

/// The folder, inside the sandbox (process) or the data folder (container), where JetStream
/// stores when [`ServerSpec::store_dir_flag`] is set.
pub const STORE_DIR: &str = "jetstream";

/// The name of the config file inside the sandbox.
pub const CONFIG_FILE: &str = "nats.conf";
