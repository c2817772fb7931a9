//! What the support engineer was given: a config, credentials, the operations that fail.

use std::path::{Path, PathBuf};

use crate::credentials::{CredsError, parse_creds};
use crate::input_file::{SMALL_FILE_LIMIT, read_text};
use crate::natsconf::Config;
use crate::spec::Version;

/// The credentials the client uses, as given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The client sends none.
    None,
    /// A `.creds` file (user JWT and seed).
    CredsFile(PathBuf),
    /// User and password.
    UserPassword {
        /// The user.
        user: String,
        /// The password (a secret: never shown).
        password: String,
    },
    /// A token (a secret: never shown).
    Token(String),
    /// A file holding an nkey seed (`SU...`).
    NkeySeedFile(PathBuf),
}

/// One operation the client does after connecting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Publish to a subject.
    Publish(String),
    /// Subscribe to a subject.
    Subscribe(String),
    /// Send a request to a subject (a responder on the same connection answers when allowed).
    Request(String),
    /// A JetStream operation through async-nats' `jetstream` module.
    Js(super::js_op::JsOperation),
}

impl Operation {
    /// The verb, as in the command line.
    pub fn verb(&self) -> &'static str {
        match self {
            Operation::Publish(_) => "publish",
            Operation::Subscribe(_) => "subscribe",
            Operation::Request(_) => "request",
            Operation::Js(j) => j.verb(),
        }
    }

    /// The subject (for a JetStream operation: its argument).
    pub fn subject(&self) -> String {
        match self {
            Operation::Publish(s) | Operation::Subscribe(s) | Operation::Request(s) => s.clone(),
            Operation::Js(j) => j.argument(),
        }
    }
}

/// The state the customer reports their server in; the local server is put in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServerState {
    /// Running.
    #[default]
    Up,
    /// Stopped (SIGTERM) before the client connects.
    Stopped,
    /// Paused (SIGSTOP), e.g. a stalled VM or a long GC pause.
    Paused,
}

/// Everything `natsfault diagnose` needs.
#[derive(Clone, Debug)]
pub struct DiagnoseInput {
    /// The customer's nats.conf.
    pub config: PathBuf,
    /// The client's credentials.
    pub credentials: Credentials,
    /// Operations after connecting, in order.
    pub operations: Vec<Operation>,
    /// The nats-server version to play.
    pub version: Version,
    /// The server state to reproduce.
    pub server_state: ServerState,
    /// What the client does about TLS.
    pub tls: super::tls::ClientTlsInput,
    /// The client library that plays the customer's client (`--library`).
    pub library: crate::spec::Library,
    /// What the user passed explicitly: variables (`--env`) and folders outside the config's
    /// own it may read (`--allow-read`).
    pub door: crate::door::DoorOptions,
}

/// Why a diagnosis could not run.
#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    /// Bad input: an unreadable or unparsable file (the message has `file:line:col`).
    #[error("{0}")]
    Input(String),
    /// The environment lacks something (a nats-server binary, a temp dir).
    #[error("{0}")]
    Environment(String),
}

/// The creds file as read here.
#[derive(Clone, Debug)]
pub enum CredsRead {
    /// Both blocks found.
    Parsed {
        /// The user JWT.
        jwt: String,
        /// The user seed.
        seed: String,
    },
    /// The file does not parse (the line and what was expected there); the client library is
    /// given it anyway.
    Damaged(CredsError),
}

/// The input with its files read.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The command-line input.
    pub input: DiagnoseInput,
    /// The parsed config.
    pub config: Config,
    /// The creds file, when one is given.
    pub creds: Option<CredsRead>,
    /// The nkey seed, when a seed file is given.
    pub seed: Option<String>,
    /// Stand-in certificates of the customer's shape, when the config has a `tls` block.
    pub tls: Option<super::tls::TlsPlan>,
}

/// A small file's text: regular files only, read without blocking and at most
/// [`SMALL_FILE_LIMIT`] bytes.
fn read(path: &Path, what: &'static str) -> Result<String, DiagnoseError> {
    read_text(path, what, SMALL_FILE_LIMIT).map_err(|e| DiagnoseError::Input(e.to_string()))
}

/// Reads and parses every file the input names.
pub fn prepare(input: &DiagnoseInput) -> Result<Prepared, DiagnoseError> {
    if !input.config.is_file() {
        return Err(DiagnoseError::Input(format!("cannot read config `{}`: no such file", input.config.display())));
    }
    let config = Config::parse_file(&input.config, &input.door.parse_options())
        .map_err(|e| DiagnoseError::Input(e.to_string()))?;
    let mut creds = None;
    let mut seed = None;
    match &input.credentials {
        Credentials::CredsFile(path) => {
            let text = read(path, "creds file")?;
            creds = Some(match parse_creds(&text) {
                Ok((jwt, seed)) => CredsRead::Parsed { jwt, seed },
                Err(e) => CredsRead::Damaged(e),
            });
        }
        Credentials::NkeySeedFile(path) => seed = Some(read(path, "nkey seed file")?.trim().to_string()),
        _ => {}
    }
    let tls = super::tls::plan(&config, &input.config, &input.tls, &input.door.roots)?;
    Ok(Prepared { input: input.clone(), config, creds, seed, tls })
}
