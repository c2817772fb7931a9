//! A contract file that could not be loaded, as a miette diagnostic with every problem.

use std::path::Path;

use miette::{Diagnostic, NamedSource};

use crate::spec::Problem;

/// Every problem of a contract file, with its text so each shows in context.
///
/// ```
/// let e = natsfault::contract::load_contract_str("c.toml".as_ref(), "[identities.a]\ncan = [\"fly x\"]\n").unwrap_err();
/// assert!(e.plain().starts_with("c.toml:2:9: unknown operation `fly`"));
/// ```
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid contract file `{path}`: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
pub struct ContractError {
    /// The file.
    pub path: String,
    /// Its text.
    #[source_code]
    pub source_code: NamedSource<String>,
    /// Every problem found, in file order.
    #[related]
    pub problems: Vec<Problem>,
}

impl ContractError {
    /// Builds the error from problems, sorted by position.
    pub fn new(path: &Path, source: &str, mut problems: Vec<Problem>) -> ContractError {
        problems.sort_by_key(|p| (p.line, p.column));
        let name = path.display().to_string();
        ContractError {
            source_code: NamedSource::new(&name, source.to_string()).with_language("toml"),
            path: name,
            problems,
        }
    }

    /// One `file:line:col: message` line per problem.
    pub fn plain(&self) -> String {
        self.problems.iter().map(|p| format!("{}:{}:{}: {}\n", self.path, p.line, p.column, p.message)).collect()
    }
}

/// A contract file that could not be read or loaded.
///
/// ```
/// let e = natsfault::contract::load_contract("no/such/contract.toml".as_ref()).unwrap_err();
/// assert!(e.to_string().contains("no/such/contract.toml"));
/// ```
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ContractLoadError {
    /// Missing, not a regular file, too large.
    #[error(transparent)]
    Read(#[from] crate::input_file::InputFileError),
    /// Not UTF-8.
    #[error("contract file `{0}` is not UTF-8 text")]
    NotUtf8(String),
    /// Problems in the file, with positions.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] Box<ContractError>),
}
