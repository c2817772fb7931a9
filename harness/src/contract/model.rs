//! A loaded contract: identities with their credentials, and the lines each must keep.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::line::Verb;

/// A contract file, read and checked.
#[derive(Clone, Debug)]
pub struct Contract {
    /// Where it was read from.
    pub path: PathBuf,
    /// The config it is about, resolved against the contract's folder (`config = "..."`).
    pub config: Option<PathBuf>,
    /// The identities, by name.
    pub identities: BTreeMap<String, ContractIdentity>,
    /// Every line, in file order.
    pub lines: Vec<ContractLine>,
}

/// Who connects: the credentials of one service, from the team's own files.
#[derive(Clone, Debug, Default)]
pub struct ContractIdentity {
    /// The name in the contract.
    pub name: String,
    /// `user`, with `password-file`.
    pub user: Option<String>,
    /// The password read from `password-file` (a secret).
    pub password: Option<String>,
    /// The token read from `token-file` (a secret).
    pub token: Option<String>,
    /// `creds-file`, resolved.
    pub creds_file: Option<PathBuf>,
    /// The seed read from `nkey-seed-file` (a secret).
    pub nkey_seed: Option<String>,
}

/// One line: an identity, an operation, and whether it must work or must be refused.
#[derive(Clone, Debug)]
pub struct ContractLine {
    /// The identity that acts.
    pub identity: String,
    /// `true` for `can`, `false` for `cannot`.
    pub must_work: bool,
    /// The operation.
    pub verb: Verb,
    /// Its subject (empty for `connect`).
    pub subject: String,
    /// The identity that must receive the message or answer the request (`-> NAME`).
    pub to: Option<String>,
    /// The line as written.
    pub text: String,
    /// `file:line:col` of the line in the contract.
    pub at: String,
}

impl ContractLine {
    /// `can publish x -> b` / `cannot subscribe y`, for reports.
    pub fn describe(&self) -> String {
        format!("{} {} {}", self.identity, if self.must_work { "can" } else { "cannot" }, self.text)
    }
}
