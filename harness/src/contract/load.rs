//! Reading a contract file:
//!
//! ```toml
//! config = "deploy/nats.conf"          # relative to this file; `--config` overrides it
//!
//! [identities.orders]
//! user = "orders"
//! password-file = "secrets/orders.pass"
//! can = ["publish orders.created -> billing", "subscribe orders.>", "request inventory.check -> inventory"]
//! cannot = ["publish billing.charge", "subscribe billing.>"]
//!
//! [identities.billing]
//! creds-file = "creds/billing.creds"   # or nkey-seed-file, token-file
//! can = ["queue orders.> billing-workers"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::error::{ContractError, ContractLoadError};
use super::line::parse_line;
use super::model::{Contract, ContractIdentity, ContractLine};
use crate::input_file::{SMALL_FILE_LIMIT, check_regular, read_bounded, read_text};
use crate::spec::{Problem, line_col};

/// The largest contract file read.
pub const CONTRACT_FILE_LIMIT: u64 = 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawContract {
    config: Option<Spanned<String>>,
    #[serde(default)]
    identities: BTreeMap<String, Spanned<RawIdentity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIdentity {
    user: Option<String>,
    password_file: Option<Spanned<String>>,
    token_file: Option<Spanned<String>>,
    creds_file: Option<Spanned<String>>,
    nkey_seed_file: Option<Spanned<String>>,
    #[serde(default)]
    can: Vec<Spanned<String>>,
    #[serde(default)]
    cannot: Vec<Spanned<String>>,
}

/// Reads and checks a contract file; files it names are relative to its folder.
///
/// ```no_run
/// let contract = natsfault::contract::load_contract("nats-contract.toml".as_ref())?;
/// println!("{} lines", contract.lines.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_contract(path: &Path) -> Result<Contract, ContractLoadError> {
    let bytes = read_bounded(path, "contract file", CONTRACT_FILE_LIMIT)?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(ContractLoadError::NotUtf8(path.display().to_string()));
    };
    load_contract_str(path, &text).map_err(|e| ContractLoadError::Invalid(Box::new(e)))
}

/// Reads contract text; `path` places the files it names and names it in messages.
pub fn load_contract_str(path: &Path, source: &str) -> Result<Contract, ContractError> {
    let fail = |problems| ContractError::new(path, source, problems);
    let raw: RawContract = toml::from_str(source).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        fail(vec![Problem::new(source, span, lowercase(e.message().trim()))])
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut problems = Vec::new();
    let mut identities = BTreeMap::new();
    let mut lines = Vec::new();
    let names: Vec<String> = raw.identities.keys().cloned().collect();
    for (name, spanned) in &raw.identities {
        let id = spanned.get_ref();
        identities.insert(name.clone(), identity(name, id, spanned.span(), &base, source, &mut problems));
        for (must_work, list) in [(true, &id.can), (false, &id.cannot)] {
            for l in list {
                let (line, col) = line_col(source, l.span().start + 1);
                match parse_line(l.get_ref()) {
                    Ok((verb, subject, to)) => {
                        if let Some(to) = to.as_ref().filter(|t| !names.contains(t)) {
                            problems.push(Problem::new(
                                source,
                                l.span(),
                                format!(
                                    "`-> {to}` names no identity; expected one of {}",
                                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                                ),
                            ));
                        }
                        lines.push((
                            l.span().start,
                            ContractLine {
                                identity: name.clone(),
                                must_work,
                                verb,
                                subject,
                                to,
                                text: l.get_ref().clone(),
                                at: format!("{}:{line}:{col}", path.display()),
                            },
                        ));
                    }
                    Err(e) => problems.push(Problem::new(source, l.span().start + 1..l.span().end - 1, e.to_string())),
                }
            }
        }
    }
    // In file order, whatever the order of the identities.
    lines.sort_by_key(|(start, _)| *start);
    let lines: Vec<ContractLine> = lines.into_iter().map(|(_, l)| l).collect();
    let config = raw.config.as_ref().map(|c| base.join(c.get_ref()));
    if raw.identities.is_empty() {
        problems.push(
            Problem::new(source, 0..0, "expected at least one `[identities.NAME]`: an empty contract checks nothing")
                .help("add an identity with its credentials and `can`/`cannot` lines"),
        );
    } else if raw.identities.values().all(|i| i.get_ref().can.is_empty() && i.get_ref().cannot.is_empty()) {
        problems.push(
            Problem::new(source, 0..0, "expected `can` or `cannot` lines: a contract without lines checks nothing")
                .help("e.g. `can = [\"publish orders.created\"]`, `cannot = [\"subscribe billing.>\"]`"),
        );
    }
    if problems.is_empty() {
        Ok(Contract { path: path.to_path_buf(), config, identities, lines })
    } else {
        Err(fail(problems))
    }
}

fn identity(
    name: &str,
    raw: &RawIdentity,
    span: std::ops::Range<usize>,
    base: &Path,
    source: &str,
    problems: &mut Vec<Problem>,
) -> ContractIdentity {
    let mut id = ContractIdentity { name: name.into(), user: raw.user.clone(), ..ContractIdentity::default() };
    let mut kinds = 0;
    let mut read = |file: &Option<Spanned<String>>, what: &'static str| -> Option<String> {
        let file = file.as_ref()?;
        kinds += 1;
        let path = base.join(file.get_ref());
        match read_text(&path, what, SMALL_FILE_LIMIT) {
            Ok(t) if !t.trim().is_empty() => Some(t.trim_end_matches(['\n', '\r']).to_string()),
            Ok(_) => {
                problems.push(Problem::new(source, file.span(), format!("{what} `{}` is empty", path.display())));
                None
            }
            Err(e) => {
                problems.push(
                    Problem::new(source, file.span(), e.to_string()).help("the path is relative to the contract file"),
                );
                None
            }
        }
    };
    id.password = read(&raw.password_file, "password file");
    id.token = read(&raw.token_file, "token file");
    id.nkey_seed = read(&raw.nkey_seed_file, "nkey seed file").map(|s| s.trim().to_string());
    if let Some(f) = &raw.creds_file {
        kinds += 1;
        let path: PathBuf = base.join(f.get_ref());
        match check_regular(&path, "creds file") {
            Ok(()) => id.creds_file = Some(path),
            Err(e) => problems
                .push(Problem::new(source, f.span(), e.to_string()).help("the path is relative to the contract file")),
        }
    }
    if raw.password_file.is_some() && raw.user.is_none() {
        problems.push(Problem::new(
            source,
            span.clone(),
            format!("identity `{name}` has `password-file` but no `user`"),
        ));
    }
    if kinds > 1 {
        problems.push(Problem::new(
            source,
            span,
            format!(
                "identity `{name}`: expected one of `password-file`, `token-file`, `creds-file` and `nkey-seed-file`"
            ),
        ));
    }
    id
}

/// A toml message with its first letter in lowercase.
fn lowercase(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default().replace('\n', " ")
}
