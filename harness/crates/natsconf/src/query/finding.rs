//! Findings: keys nats-server rejects or silently ignores, and values of the wrong type, in the
//! parts of a config an auth diagnosis reads.

use std::fmt;

use crate::config::Config;
use crate::location::{Location, Pos};

/// What kind of problem a [`Finding`] is.
///
/// ```
/// use natsfault_natsconf::FindingKind;
/// assert_ne!(FindingKind::UnknownKey, FindingKind::MisplacedKey);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// nats-server does not know the key here and refuses to start (`unknown field`).
    UnknownKey,
    /// The key exists, but in another block; here it is refused.
    MisplacedKey,
    /// The key is silently ignored because of its letter case.
    IgnoredCase,
    /// Two keys differ only in case; nats-server picks one at random at each start.
    AmbiguousCase,
    /// The value has a type the server does not accept for this key.
    WrongType,
    /// The key is set again later in the same block; only the later value counts.
    Overridden,
    /// Settings that cannot go together: the server refuses to start although `-t` accepts them.
    Conflict,
}

/// A problem in the config, with its place.
///
/// ```
/// use natsfault_natsconf::{Config, FindingKind, ParseOptions};
/// let config = Config::parse_str("auth_url: \"http://x\"", "nats.conf", &ParseOptions::default())?;
/// let finding = &config.findings()[0];
/// assert_eq!(finding.kind, FindingKind::UnknownKey);
/// assert!(finding.to_string().starts_with("nats.conf:1:1: `auth_url`"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The key, as a dotted path (`authorization.type`).
    pub key: String,
    /// Where the key is.
    pub at: Location,
    /// What is wrong and what to do, lowercase.
    pub what: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.at, self.key, self.what)
    }
}

/// Collects findings while queries read the tree.
pub(crate) struct Sink<'c> {
    pub(crate) config: &'c Config,
    pub(crate) findings: Vec<Finding>,
}

impl<'c> Sink<'c> {
    pub(crate) fn new(config: &'c Config) -> Self {
        Sink { config, findings: Vec::new() }
    }

    pub(crate) fn loc(&self, pos: Pos) -> Location {
        self.config.location(pos)
    }

    pub(crate) fn report(&mut self, kind: FindingKind, key: &str, pos: Pos, what: impl Into<String>) {
        let finding = Finding { kind, key: key.to_string(), at: self.loc(pos), what: what.into() };
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    /// Reports a value of the wrong type.
    pub(crate) fn wrong_type(&mut self, key: &str, pos: Pos, found: &str, expected: &str) {
        self.report(FindingKind::WrongType, key, pos, format!("is a {found}; expected {expected}"));
    }
}

/// Joins a key path: `join("authorization", "users")` is `authorization.users`.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") }
}
