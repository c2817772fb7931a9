//! Reading a scenario file: TOML syntax, then each part on its own so that every problem in the
//! file is reported at once, then the checks in [`super::validate`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::client::ClientSpec;
use super::header::read_header;
use super::identity::{AccountSpec, Identities, NkeySpec, OperatorSpec, UserSpec};
use super::load_files::resolve_files;
use super::problem::{Problem, ScenarioError};
use super::scenario::Scenario;
use super::step::Step;
use super::toxic::read_toxic;
use super::validate::validate;
use crate::input_file::{InputFileError, read_bounded};

/// The largest scenario file read (the largest shipped one is about 10 KB).
pub const SCENARIO_FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// The file could not be read: missing, not a regular file, too large.
    #[error(transparent)]
    Read(#[from] InputFileError),
    /// The file has problems.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] Box<ScenarioError>),
}

/// Reads and validates a scenario file.
///
/// ```no_run
/// let scenario = natsfault::spec::load_file("scenarios/permissions/guide-example.toml".as_ref())?;
/// println!("{} reproduces {}", scenario.name, scenario.cause);
/// # Ok::<(), natsfault::spec::LoadError>(())
/// ```
pub fn load_file(path: &Path) -> Result<Scenario, LoadError> {
    let bytes = read_bounded(path, "scenario file", SCENARIO_FILE_LIMIT)?;
    load_bytes(path, &bytes).map_err(|e| LoadError::Invalid(Box::new(e)))
}

/// Parses and validates the bytes of a scenario file; a byte that is not UTF-8 is reported at
/// its line and column. `path` is used for messages only.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    match std::str::from_utf8(bytes) {
        Ok(source) => load_str(path, source),
        Err(e) => {
            // The text up to the first bad byte is the same in the lossy text, which miette shows.
            let source = String::from_utf8_lossy(bytes);
            let at = e.valid_up_to();
            let bad = &bytes[at..at + e.error_len().unwrap_or(bytes.len() - at)];
            let shown: Vec<String> = bad.iter().map(|b| format!("0x{b:02x}")).collect();
            let problem = Problem::new(
                &source,
                at..at + '\u{fffd}'.len_utf8(),
                format!(
                    "expected UTF-8 text, found the byte{} `{}`",
                    if bad.len() == 1 { "" } else { "s" },
                    shown.join(" ")
                ),
            )
            .label("not UTF-8")
            .help("save the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`)");
            Err(ScenarioError::new(path, &source, vec![problem]))
        }
    }
}

/// Parses and validates scenario text; `path` is used for messages only.
pub fn load_str(path: &Path, source: &str) -> Result<Scenario, ScenarioError> {
    let fail = |problems| ScenarioError::new(path, source, problems);
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(fail(errors.iter().map(|e| toml_problem(source, e, 0..0)).collect()));
    }
    let doc_span = root.span();
    let mut table = root.into_inner();
    let mut problems = Vec::new();

    let steps_value = table.remove("steps");
    let clients_value = table.remove("clients");
    let mut table_parts = IdentityParts {
        operator: table.remove("operator"),
        accounts: table.remove("accounts"),
        users: table.remove("users"),
        nkeys: table.remove("nkeys"),
    };

    let empty_name = empty_name_problem(source, table.get("name"));
    let header = read_header(source, table, doc_span, &mut problems);

    let mut steps = Vec::new();
    match steps_value {
        None => problems.push(
            Problem::new(source, 0..0, "missing `[[steps]]`: a scenario needs at least one step")
                .help("add a step such as `[[steps]]` `do = \"connect\"` `client = \"alice\"`"),
        ),
        Some(v) => {
            let span = v.span();
            match v.into_inner() {
                DeValue::Array(items) => {
                    for item in items {
                        let span = item.span();
                        let toxic = match item.get_ref() {
                            DeValue::Table(t) => t.get("toxic").cloned(),
                            _ => None,
                        };
                        let step = part::<Step>(source, item.into_inner(), span, &mut problems);
                        let toxic = toxic.and_then(|t| read_toxic(source, t, &mut problems));
                        if let Some(mut step) = step {
                            step.toxic = toxic;
                            steps.push(step);
                        }
                    }
                }
                _ => {
                    problems.push(Problem::new(source, span, "expected `steps` to be an array of tables (`[[steps]]`)"))
                }
            }
        }
    }

    let (clients, _) = entries::<ClientSpec>(source, clients_value, "clients", "[clients.NAME]", &mut problems);
    let identities = read_identities(source, &mut table_parts, &mut problems);

    let Some(header) = header else {
        problems.extend(empty_name);
        return Err(fail(problems));
    };
    // Checks of the whole scenario (a fix exists, something fails) only make sense when every
    // part was read.
    let complete = problems.is_empty();
    // An empty name, however wrong, does not stop the checks of the whole scenario.
    problems.extend(empty_name);
    let mut scenario = Scenario {
        path: path.to_path_buf(),
        source: source.to_string(),
        name: header.name,
        cause: header.cause,
        summary: header.summary,
        guide: header.guide,
        versions: header.versions,
        server: header.server,
        servers: header.servers,
        auth_endpoint: header.auth_endpoint,
        account_server: header.account_server,
        tls: header.tls,
        libraries: header.libraries,
        clients,
        identities,
        steps,
        fix: header.fix,
        warnings: Vec::new(),
    };
    resolve_files(&mut scenario, &mut problems);
    // A `$NAME` that only natsfault's environment defines was read by nats-server before the
    // one door: it still plays, passed explicitly, with a warning and the rewrite.
    scenario.warnings = crate::door::adopt_environment(&mut scenario);
    // The first server is `server` as `config-file` filled it in.
    if let Some(first) = scenario.servers.first_mut() {
        first.section = scenario.server.clone();
    }
    problems.extend(validate(&scenario, complete));
    if problems.is_empty() { Ok(scenario) } else { Err(fail(problems)) }
}

/// A problem when the scenario's `name` is empty or only whitespace.
fn empty_name_problem(source: &str, name: Option<&Spanned<DeValue<'_>>>) -> Option<Problem> {
    let name = name?;
    let DeValue::String(text) = name.get_ref() else { return None };
    text.trim().is_empty().then(|| {
        Problem::new(source, name.span(), format!("expected a scenario name, found `{text}`"))
            .label("empty name")
            .help("name the misconfiguration in a few words: reports show it beside the file")
    })
}

/// The identity tables, taken out of the document to be read entry by entry.
struct IdentityParts<'a> {
    operator: Option<Spanned<DeValue<'a>>>,
    accounts: Option<Spanned<DeValue<'a>>>,
    users: Option<Spanned<DeValue<'a>>>,
    nkeys: Option<Spanned<DeValue<'a>>>,
}

/// Reads `[operator]`, `[accounts.NAME]`, `[users.NAME]` and `[nkeys.NAME]`.
fn read_identities(source: &str, parts: &mut IdentityParts<'_>, problems: &mut Vec<Problem>) -> Identities {
    let operator = parts.operator.take().and_then(|v| {
        let span = v.span();
        part::<OperatorSpec>(source, v.into_inner(), span.clone(), problems).map(|o| Spanned::new(span, o))
    });
    let (accounts, _) = entries::<AccountSpec>(source, parts.accounts.take(), "accounts", "[accounts.NAME]", problems);
    let (users, broken) = entries::<UserSpec>(source, parts.users.take(), "users", "[users.NAME]", problems);
    let (nkeys, _) = entries::<NkeySpec>(source, parts.nkeys.take(), "nkeys", "[nkeys.NAME]", problems);
    for (name, u) in &users {
        if u.get_ref().account.is_none() && !broken.contains(name) {
            problems.push(
                Problem::new(source, u.span(), format!("missing `account` in user `{name}`"))
                    .label("this user")
                    .help("name the account that issues the user: `account = \"APP\"`"),
            );
        }
    }
    Identities { operator, accounts, users, nkeys }
}

/// Reads a table of named entries (`[clients.NAME]`, `[users.NAME]`, ...) entry by entry. An
/// entry that does not deserialize is still declared (with defaults), so references to it do
/// not add problems on top; the names of such entries are returned too.
fn entries<T: for<'de> Deserialize<'de> + Default>(
    source: &str,
    value: Option<Spanned<DeValue<'_>>>,
    key: &str,
    shape: &str,
    problems: &mut Vec<Problem>,
) -> (BTreeMap<String, Spanned<T>>, BTreeSet<String>) {
    let mut out = BTreeMap::new();
    let mut broken = BTreeSet::new();
    let Some(v) = value else { return (out, broken) };
    let span = v.span();
    match v.into_inner() {
        DeValue::Table(t) => {
            for (name, value) in t {
                let span = value.span();
                let entry = part::<T>(source, value.into_inner(), span.clone(), problems);
                if entry.is_none() {
                    broken.insert(name.get_ref().to_string());
                }
                out.insert(name.get_ref().to_string(), Spanned::new(span, entry.unwrap_or_default()));
            }
        }
        _ => problems.push(Problem::new(source, span, format!("expected `{key}` to be a table of {key} (`{shape}`)"))),
    }
    (out, broken)
}

/// Deserializes one part of the document, recording a problem instead of failing.
pub(super) fn part<T: for<'de> Deserialize<'de>>(
    source: &str,
    value: DeValue<'_>,
    span: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match T::deserialize(ValueDeserializer::from(Spanned::new(span.clone(), value))) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(toml_problem(source, &e, span));
            None
        }
    }
}

/// Turns a toml error into a problem, with help for the usual mistakes.
fn toml_problem(source: &str, e: &toml::de::Error, fallback: std::ops::Range<usize>) -> Problem {
    let span = e.span().unwrap_or(fallback);
    let message = e.message().trim().replace('\n', " ");
    let mut p = Problem::new(source, span, lowercase_first(&message));
    if message.contains("unknown field") {
        p = p.help("keys are kebab-case; see scenarios/README.md for every key");
    } else if message.contains("missing field") {
        p = p.label("this table");
    }
    p
}

/// `s` with its first character in lowercase (serde's messages start with a capital).
pub(super) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
