//! Errors from starting and controlling servers.

use std::path::PathBuf;

/// Why a server could not be started or controlled.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The server exited before it was ready: it refused its config (an observation, not a crash).
    #[error("nats-server refused to start (exit {exit}): {message}")]
    Refused {
        /// Exit status, as text.
        exit: String,
        /// Its error, with the sandbox path removed: `nats.conf:1:0: unknown field "auth_url"`.
        message: String,
    },
    /// A running server refused a reload (SIGHUP): it keeps its old config.
    #[error("nats-server refused the reload and keeps its old config: {message}")]
    ReloadRefused {
        /// Its `Failed to reload` line, with the sandbox path removed.
        message: String,
    },
    /// The binary for a version is not installed.
    #[error("nats-server {version} is not installed at `{path}`; run `{hint}`")]
    BinaryMissing {
        /// The version asked for.
        version: String,
        /// Where it was looked for.
        path: PathBuf,
        /// The command that installs it.
        hint: String,
    },
    /// The container engine could not be reached or refused a request.
    #[error("container engine: {0}")]
    Engine(String),
    /// The server did not become ready in time.
    #[error("nats-server was not ready after {waited_ms}ms: {detail}")]
    NotReady {
        /// How long it was given.
        waited_ms: u64,
        /// What was seen.
        detail: String,
    },
    /// An action that needs a running server found none.
    #[error("expected a running server for `{action}`, but it is {state}")]
    WrongState {
        /// The action.
        action: &'static str,
        /// Its current state.
        state: &'static str,
    },
    /// The backend cannot carry out the action (a process has no network of its own to leave).
    #[error("`{action}` needs a server with a network of its own (the container backend)")]
    Unsupported {
        /// The action.
        action: &'static str,
    },
    /// Confinement was required (`NATSFAULT_CONFINE=require`) but is not possible here.
    #[error("cannot confine nats-server: {0}; set NATSFAULT_CONFINE=auto to run it with the config rewrite alone")]
    Unconfinable(String),
    /// What was asked for is behind a cargo feature this build of natsfault does not have.
    #[error(
        "{what} needs natsfault's `{feature}` feature; add `features = [\"{feature}\"]` to the natsfault dependency"
    )]
    FeatureMissing {
        /// The feature.
        feature: &'static str,
        /// What needs it.
        what: String,
    },
    /// An operating system error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

impl ServerError {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ServerError {
        let context = context.into();
        move |source| ServerError::Io { context, source }
    }

    /// `what` needs the cargo feature `feature`, which this build was compiled without.
    pub fn feature_missing(feature: &'static str, what: impl Into<String>) -> ServerError {
        ServerError::FeatureMissing { feature, what: what.into() }
    }

    /// The same error with every secret of `secrets` replaced in its texts.
    pub fn redacted(self, secrets: &crate::redact::Secrets) -> ServerError {
        let r = |s: String| secrets.redact(&s);
        match self {
            ServerError::Refused { exit, message } => ServerError::Refused { exit, message: r(message) },
            ServerError::ReloadRefused { message } => ServerError::ReloadRefused { message: r(message) },
            ServerError::Engine(m) => ServerError::Engine(r(m)),
            ServerError::NotReady { waited_ms, detail } => ServerError::NotReady { waited_ms, detail: r(detail) },
            ServerError::Io { context, source } => ServerError::Io { context: r(context), source },
            other => other,
        }
    }

    /// Whether the environment is missing something (exit code 3), rather than a scenario failing.
    pub fn is_environment(&self) -> bool {
        matches!(self, ServerError::BinaryMissing { .. } | ServerError::Engine(_) | ServerError::Unconfinable(_))
    }
}
