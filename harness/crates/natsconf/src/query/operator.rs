//! Operator (JWT) mode: `operator`, `system_account`, `resolver` and `resolver_preload`.

use std::sync::OnceLock;

use regex::Regex;

use super::located::Located;
use crate::config::Config;
use crate::location::Location;
use crate::value::Node;

/// Keys nats-server reads as the trusted operator(s).
pub(crate) const OPERATOR_KEYS: &[&str] =
    &["operator", "operators", "roots", "root", "root_operators", "root_operator"];
/// Keys nats-server reads as the account resolver.
pub(crate) const RESOLVER_KEYS: &[&str] = &["resolver", "account_resolver", "accounts_resolver"];

/// An `operator` value: nats-server first tries it as a file path, then as an inline JWT.
///
/// ```
/// use natsfault_natsconf::{Config, OperatorRef, ParseOptions};
/// let config = Config::parse_str("operator: \"./op.jwt\"", "nats.conf", &ParseOptions::default())?;
/// assert!(matches!(&config.operators()[0], OperatorRef::Path { path, .. } if path == "./op.jwt"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorRef {
    /// A JWT written in the config (starts with `eyJ`).
    Inline {
        /// The JWT.
        jwt: String,
        /// Where it is.
        at: Location,
    },
    /// A path, read relative to the server's working folder.
    Path {
        /// The path as written.
        path: String,
        /// Where it is.
        at: Location,
    },
}

/// The account resolver.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, Resolver};
/// let config = Config::parse_str("resolver: URL(http://accounts:9090/jwt/v1/accounts/)", "nats.conf", &ParseOptions::default())?;
/// assert!(matches!(config.resolver(), Some(Resolver::Url { url, .. }) if url == "http://accounts:9090/jwt/v1/accounts/"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolver {
    /// `MEMORY` (any string containing `mem`, any case, as the server matches it).
    Memory {
        /// Where it is.
        at: Location,
    },
    /// `URL(...)`: the server fetches account JWTs over HTTP.
    Url {
        /// The URL (empty when written as bare `URL`).
        url: String,
        /// Where it is.
        at: Location,
    },
    /// `{ type: full|cache, dir: ... }`.
    Dir {
        /// `type` (the server reads this key case-sensitively).
        kind: DirResolverKind,
        /// `dir` (case-sensitive too).
        dir: Option<String>,
        /// Where it is.
        at: Location,
    },
    /// A value the server refuses.
    Invalid {
        /// What is there, as a type name or the string.
        found: String,
        /// Where it is.
        at: Location,
    },
}

/// The `type` of a directory resolver.
///
/// ```
/// use natsfault_natsconf::DirResolverKind;
/// assert_ne!(DirResolverKind::Full, DirResolverKind::Cache);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirResolverKind {
    /// `full`: keeps every account JWT, accepts pushes.
    Full,
    /// `cache`: keeps a bounded set, fetches from other servers.
    Cache,
    /// `mem` / `memory`.
    Memory,
    /// Anything else, or missing (the server refuses it).
    Other(String),
}

/// One `resolver_preload` entry.
///
/// ```
/// use natsfault_natsconf::PreloadEntry;
/// fn account_of(entry: &PreloadEntry) -> &str { &entry.account }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadEntry {
    /// The account public key (`A...`).
    pub account: String,
    /// The account JWT (empty when the value is not a string).
    pub jwt: String,
    /// Where the entry is.
    pub at: Location,
}

impl Config {
    /// The trusted operators (`operator`, also spelled `operators`, `root`, ...).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("operator: eyJhbGciOi.e30.sig", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.operators().len(), 1);
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn operators(&self) -> Vec<OperatorRef> {
        let Some(pair) = self.root().get_any(OPERATOR_KEYS) else { return Vec::new() };
        let one = |node: &Node| {
            let text = node.as_str()?.to_string();
            let at = self.location(node.at);
            Some(if text.starts_with("eyJ") {
                OperatorRef::Inline { jwt: text, at }
            } else {
                OperatorRef::Path { path: text, at }
            })
        };
        match pair.value.as_array() {
            Some(items) => items.iter().filter_map(one).collect(),
            None => one(&pair.value).into_iter().collect(),
        }
    }

    /// `system_account` (or `system`). nats-server looks these two keys up with exact case:
    /// `SYSTEM_ACCOUNT` is silently ignored (see [`Config::findings`]).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("SYSTEM_ACCOUNT: SYS", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.system_account().is_none());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn system_account(&self) -> Option<Located<String>> {
        let pair = self.root().get("system_account").or_else(|| self.root().get("system"))?;
        Some(Located { value: pair.value.as_str()?.to_string(), at: self.location(pair.key_at) })
    }

    /// The account resolver, read as nats-server reads it.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, DirResolverKind, ParseOptions, Resolver};
    /// let config = Config::parse_str("resolver { type: full, dir: \"./jwt\" }", "nats.conf", &ParseOptions::default())?;
    /// assert!(matches!(config.resolver(), Some(Resolver::Dir { kind: DirResolverKind::Full, .. })));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn resolver(&self) -> Option<Resolver> {
        let pair = self.root().get_any(RESOLVER_KEYS)?;
        let at = self.location(pair.key_at);
        if let Some(text) = pair.value.as_str() {
            return Some(parse_resolver_string(text, at));
        }
        let Some(map) = pair.value.as_map() else {
            return Some(Resolver::Invalid { found: pair.value.type_name().to_string(), at });
        };
        let kind = match map.get("type").and_then(|p| p.value.as_str()).map(str::to_ascii_uppercase) {
            Some(t) if t == "FULL" => DirResolverKind::Full,
            Some(t) if t == "CACHE" => DirResolverKind::Cache,
            Some(t) if t == "MEM" || t == "MEMORY" => DirResolverKind::Memory,
            Some(t) => DirResolverKind::Other(t),
            None => DirResolverKind::Other(String::new()),
        };
        let dir = map.get("dir").and_then(|p| p.value.as_str()).map(str::to_string);
        Some(Resolver::Dir { kind, dir, at })
    }

    /// The entries of `resolver_preload { A...: "<account jwt>" }`.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("resolver_preload { AAA: \"eyJ.x.y\" }", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.resolver_preload()[0].account, "AAA");
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn resolver_preload(&self) -> Vec<PreloadEntry> {
        let Some(map) = self.root().get_ci("resolver_preload").and_then(|p| p.value.as_map()) else {
            return Vec::new();
        };
        map.pairs()
            .into_iter()
            .map(|p| PreloadEntry {
                account: p.key.clone(),
                jwt: p.value.as_str().unwrap_or_default().to_string(),
                at: self.location(p.key_at),
            })
            .collect()
    }
}

/// `MEMORY` or `URL(...)`, with the server's own (unanchored, case-insensitive) patterns.
pub(crate) fn parse_resolver_string(text: &str, at: Location) -> Resolver {
    static PATTERNS: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let mem = Regex::new(r"(?i)(MEM|MEMORY)\s*").ok()?;
        let url = Regex::new(r#"(?i)(?:URL)(?:\(\s*"?([^\s"]*)"?\s*\))?\s*"#).ok()?;
        Some((mem, url))
    });
    let Some((mem, url)) = patterns else { return Resolver::Invalid { found: text.to_string(), at } };
    if mem.is_match(text) {
        return Resolver::Memory { at };
    }
    match url.captures(text) {
        Some(c) => Resolver::Url { url: c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default(), at },
        None => Resolver::Invalid { found: text.to_string(), at },
    }
}
