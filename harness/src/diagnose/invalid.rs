//! The parts of the input that are invalid even when a diagnosis could be made: a creds file that
//! does not parse, a config nats-server refuses to start with. `natsfault diagnose` prints the
//! diagnosis and exits 2 for them, as for any other bad input.

use std::fmt;
use std::path::PathBuf;

use super::input::{Credentials, CredsRead, Prepared};
use super::model::{Diagnosis, Verdict};
use super::redact;
use crate::credentials::CredsError;

/// One invalid input file, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidInput {
    /// The creds file does not have the format nsc writes.
    Creds {
        /// The creds file.
        path: PathBuf,
        /// The line and what was expected there (never the file's values).
        error: CredsError,
    },
    /// nats-server refuses to start with the config.
    Refused {
        /// `file:line:col` in the customer's files, or in the rewritten config when marked so.
        at: Option<String>,
        /// The server's message (redacted).
        reason: String,
    },
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidInput::Creds { path, error } => write!(f, "{}:{}: {}", path.display(), error.line, error.kind),
            InvalidInput::Refused { at: Some(at), reason } => match at.split_once(" (") {
                Some((pos, note)) => write!(f, "{pos}: nats-server refuses the config: {reason} ({note}"),
                None => write!(f, "{at}: nats-server refuses the config: {reason}"),
            },
            InvalidInput::Refused { at: None, reason } => write!(f, "nats-server refuses the config: {reason}"),
        }
    }
}

/// Every invalid input behind a diagnosis. A config refused only because the sandbox keeps the
/// server from its URL account resolver is not one: the config may be right (see the verdict).
pub fn invalid_inputs(p: &Prepared, d: &Diagnosis) -> Vec<InvalidInput> {
    let mut out = Vec::new();
    if let (Credentials::CredsFile(path), Some(CredsRead::Damaged(error))) = (&p.input.credentials, &p.creds) {
        let secrets = redact::collect(p);
        let mut error = error.clone();
        if let crate::credentials::CredsErrorKind::BadBeginMarker { found, .. }
        | crate::credentials::CredsErrorKind::BadEndMarker { found, .. } = &mut error.kind
        {
            *found = secrets.redact(found);
        }
        out.push(InvalidInput::Creds { path: path.clone(), error });
    }
    if let Verdict::ConfigRefused { reason, at, .. } = &d.verdict
        && d.detail != "url-resolver-not-contacted"
    {
        out.push(InvalidInput::Refused { at: at.clone(), reason: reason.clone() });
    }
    out
}
