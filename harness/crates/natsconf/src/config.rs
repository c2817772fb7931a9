//! The parsed configuration: its files, its tree, and the options that drive parsing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::error::ConfError;
use super::location::{Location, Pos};
use super::parse;
use super::value::Map;

/// How deep includes may nest before parsing stops (nats-server has no limit and crashes on a
/// cycle).
///
/// ```
/// use natsfault_natsconf::{DEFAULT_MAX_INCLUDE_DEPTH, ParseOptions};
/// assert_eq!(ParseOptions::default().max_include_depth, DEFAULT_MAX_INCLUDE_DEPTH);
/// ```
pub const DEFAULT_MAX_INCLUDE_DEPTH: usize = 16;

/// The largest config file (the main one or an include) read, in bytes: a larger one is refused
/// before it is read whole.
///
/// ```
/// use natsfault_natsconf::{DEFAULT_MAX_FILE_BYTES, ParseOptions};
/// assert_eq!(ParseOptions::default().max_file_bytes, DEFAULT_MAX_FILE_BYTES);
/// ```
pub const DEFAULT_MAX_FILE_BYTES: u64 = 8 << 20;

/// Where `$NAME` references look when no key of that name is in scope.
///
/// ```
/// use natsfault_natsconf::Env;
/// let env = Env::vars([("NATS_TOKEN", "s3cret")]);
/// assert_eq!(env.get("NATS_TOKEN").as_deref(), Some("s3cret"));
/// assert_eq!(env.get("HOME"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Env {
    /// The environment of this process, as nats-server reads its own.
    #[default]
    Process,
    /// A fixed set, e.g. the customer's variables given to `natsfault diagnose`.
    Vars(BTreeMap<String, String>),
}

impl Env {
    /// A fixed set of variables.
    ///
    /// ```
    /// use natsfault_natsconf::Env;
    /// assert!(matches!(Env::vars([("A", "1")]), Env::Vars(_)));
    /// ```
    pub fn vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Env {
        Env::Vars(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// Looks a variable up.
    ///
    /// ```
    /// use natsfault_natsconf::Env;
    /// assert_eq!(Env::vars([("A", "1")]).get("A").as_deref(), Some("1"));
    /// ```
    pub fn get(&self, name: &str) -> Option<String> {
        match self {
            Env::Process => std::env::var(name).ok(),
            Env::Vars(vars) => vars.get(name).cloned(),
        }
    }
}

/// Options for [`Config::parse_file`].
///
/// ```
/// use natsfault_natsconf::{Env, ParseOptions};
/// let options = ParseOptions { env: Env::vars([("T", "x")]), ..ParseOptions::default() };
/// assert_eq!(options.max_include_depth, 16);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Where undefined `$NAME` references look.
    pub env: Env,
    /// How deep includes may nest.
    pub max_include_depth: usize,
    /// The largest file read, in bytes.
    pub max_file_bytes: u64,
    /// The most bytes read for one config, its includes together (the same file included a
    /// thousand times is read a thousand times).
    pub max_total_bytes: u64,
    /// Where included files may be: `None` anywhere (as nats-server); `Some(folders)` only inside
    /// the main file's folder or one of `folders` (checked on the resolved, canonical path before
    /// the file is opened, so nothing of a file outside is ever read or quoted).
    pub include_roots: Option<Vec<PathBuf>>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            env: Env::Process,
            max_include_depth: DEFAULT_MAX_INCLUDE_DEPTH,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_total_bytes: 4 * DEFAULT_MAX_FILE_BYTES,
            include_roots: None,
        }
    }
}

impl ParseOptions {
    /// The options every door of natsfault parses a user's config with: no environment
    /// fallback (a `$NAME` not defined in the config is an error unless `vars` has it), includes
    /// only inside the config's own folder tree or `roots`, files read with a bound.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ConfErrorKind, ParseOptions};
    /// let strict = ParseOptions::sandboxed([("TOKEN", "s3cret")], Vec::new());
    /// assert!(Config::parse_str("authorization { token: $TOKEN }", "nats.conf", &strict).is_ok());
    /// let err = Config::parse_str("authorization { token: $HOME }", "nats.conf", &strict).unwrap_err();
    /// assert!(matches!(err.kind, ConfErrorKind::UndefinedVariable { .. }));
    /// ```
    pub fn sandboxed<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
        roots: Vec<PathBuf>,
    ) -> ParseOptions {
        ParseOptions { env: Env::vars(vars), include_roots: Some(roots), ..ParseOptions::default() }
    }
}

/// Why a file is part of the configuration.
///
/// ```
/// use natsfault_natsconf::Origin;
/// assert_eq!(Origin::Main, Origin::Main);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file given to the parser.
    Main,
    /// Read by an `include` directive at this position.
    Include {
        /// The directive's position.
        from: Pos,
    },
    /// The value of an environment variable, parsed as nats-server does.
    Env {
        /// The variable's name.
        name: String,
    },
}

/// One source of configuration text.
///
/// ```
/// use natsfault_natsconf::{Config, Origin, ParseOptions};
/// let config = Config::parse_str("a: 1", "nats.conf", &ParseOptions::default())?;
/// assert_eq!(config.files()[0].origin, Origin::Main);
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path (for an environment variable, `$NAME`).
    pub path: PathBuf,
    /// Why it was read.
    pub origin: Origin,
}

/// A parsed nats.conf with its includes, keeping every value's position.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("authorization { token: abc }", "nats.conf", &ParseOptions::default())?;
/// assert!(config.authorization().unwrap().token.is_some());
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub(crate) files: Vec<SourceFile>,
    pub(crate) root: Map,
    pub(crate) used_defs: BTreeSet<Pos>,
}

impl Config {
    /// Reads and parses a configuration file and everything it includes.
    ///
    /// ```no_run
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_file("/etc/nats/nats.conf", &ParseOptions::default())?;
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn parse_file(path: impl AsRef<Path>, options: &ParseOptions) -> Result<Config, ConfError> {
        parse::parse_file(path.as_ref(), options)
    }

    /// Parses configuration text; `path` names it in positions, and includes are resolved
    /// relative to its folder.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("port: 4222", "/etc/nats/nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.files()[0].path.to_str(), Some("/etc/nats/nats.conf"));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn parse_str(text: &str, path: impl AsRef<Path>, options: &ParseOptions) -> Result<Config, ConfError> {
        parse::parse_text(text, path.as_ref(), options)
    }

    /// The top-level map of the main file (includes appear as [`Entry::Include`](super::Entry)).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: 1", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().pairs().len(), 1);
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn root(&self) -> &Map {
        &self.root
    }

    /// Every source: the main file first, then each include directive's file, then environment
    /// variables that were parsed as values.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: 1", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.files().len(), 1);
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Turns a position into a printable `file:line:col`.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("\n  port: 1", "nats.conf", &ParseOptions::default())?;
    /// let pair = config.root().get("port").unwrap();
    /// assert_eq!(config.location(pair.key_at).to_string(), "nats.conf:2:3");
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn location(&self, pos: Pos) -> Location {
        let file = self.files.get(pos.file.0 as usize).map(|f| f.path.clone()).unwrap_or_default();
        Location { file, line: pos.line, column: pos.column }
    }

    /// Whether the key at `key_at` was referenced as a `$variable` (nats-server then does not
    /// report it as an unknown field).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("T: 1\nport: $T", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.is_used_variable(config.root().get("T").unwrap().key_at));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn is_used_variable(&self, key_at: Pos) -> bool {
        self.used_defs.contains(&key_at)
    }
}
