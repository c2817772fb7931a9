//! What a diagnosis found: the verdict, the evidence behind it, and the fix.

use serde::Serialize;

use crate::spec::Cause;

/// The outcome of a diagnosis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// The client fails for one of the seven causes.
    Cause {
        /// The cause.
        cause: Cause,
    },
    /// The server would not start with this config.
    ConfigRefused {
        /// The cause the refusal belongs to, when it is one of the seven.
        cause: Option<Cause>,
        /// The server's message.
        reason: String,
        /// `file:line:col` in the customer's files, when known.
        at: Option<String>,
    },
    /// Every operation succeeded.
    Works,
}

impl Verdict {
    /// A short name: the cause, `config-refused` or `works`.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Cause { cause } => cause.as_str(),
            Verdict::ConfigRefused { .. } => "config-refused",
            Verdict::Works => "works",
        }
    }

    /// The cause, for a failure or a refusal that belongs to one.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Verdict::Cause { cause } => Some(*cause),
            Verdict::ConfigRefused { cause, .. } => *cause,
            Verdict::Works => None,
        }
    }
}

/// What was observed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The client's error: `op: Kind: message`.
    pub client_error: Option<String>,
    /// Every `-ERR` the server sent the client.
    pub server_errs: Vec<String>,
    /// The server's debug reason for a refused connection.
    pub reason: Option<String>,
    /// Server log lines that explain it.
    pub log: Vec<String>,
}

/// A finished diagnosis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// The verdict.
    pub verdict: Verdict,
    /// A narrower label of what went wrong, e.g. `expired`, `wrong-password`, `publish-denied`.
    pub detail: String,
    /// One sentence on what happens.
    pub summary: String,
    /// What was observed.
    pub evidence: Evidence,
    /// The suggested fix, naming this config's values.
    pub fix: Option<String>,
    /// What was read before running: the creds JWT, the user entries, nkeys, findings.
    pub decoded: Vec<String>,
    /// What the sandbox changed to run the config here.
    pub rewrites: Vec<String>,
    /// The operation that failed, when one did after connecting.
    pub failed_operation: Option<(String, String)>,
    /// The confinement the server ran under, when it started.
    pub confinement: Option<String>,
    /// The client library and its version (`nats-py 2.16.0`).
    pub library: Option<String>,
    /// What the server listened on and was connected to, read from the operating system.
    pub sockets: Option<String>,
}
