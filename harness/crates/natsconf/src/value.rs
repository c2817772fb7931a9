//! The parsed tree: values with positions, maps that keep their entries in order (duplicates and
//! includes included), and variable references that remember what they resolved to.

use std::path::PathBuf;

use super::location::{FileId, Pos};

/// A value and the position where it starts.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("port: 4222", "nats.conf", &ParseOptions::default())?;
/// let port = config.root().get("port").unwrap();
/// assert_eq!(port.value.as_i64(), Some(4222));
/// assert_eq!((port.value.at.line, port.value.at.column), (1, 7));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts.
    pub at: Pos,
}

/// A configuration value, as nats-server types it.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, Value};
/// let config = Config::parse_str("max_payload: 1MB", "nats.conf", &ParseOptions::default())?;
/// let node = &config.root().get("max_payload").unwrap().value;
/// assert!(matches!(&node.value, Value::Integer { value: 1048576, raw } if raw == "1MB"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string: quoted, unquoted or a `( ... )` block. Durations are strings (`"2s"`).
    String(String),
    /// An integer, with size suffixes applied (`1KB` is 1024, `1K` is 1000).
    Integer {
        /// The value.
        value: i64,
        /// The text as written.
        raw: String,
    },
    /// A floating-point number.
    Float {
        /// The value.
        value: f64,
        /// The text as written.
        raw: String,
    },
    /// `true/false/yes/no/on/off`, any case, unquoted.
    Bool {
        /// The value.
        value: bool,
        /// The text as written.
        raw: String,
    },
    /// An ISO 8601 Zulu date-time `YYYY-MM-DDTHH:MM:SSZ`, kept as written.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A map.
    Map(Map),
    /// A `$NAME` reference and what it resolved to.
    Variable(VarRef),
}

/// A `$NAME` reference.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, Value, VarSource};
/// let config = Config::parse_str("T: abc\nauthorization { token: $T }", "nats.conf", &ParseOptions::default())?;
/// let auth = config.root().get("authorization").unwrap().value.as_map().unwrap();
/// let Value::Variable(var) = &auth.get("token").unwrap().value.value else { panic!() };
/// assert_eq!(var.name, "T");
/// assert!(matches!(var.source, VarSource::Config { .. }));
/// assert_eq!(var.value.as_str(), Some("abc"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VarRef {
    /// The name, without `$`.
    pub name: String,
    /// Where the value came from.
    pub source: VarSource,
    /// The value it resolved to (itself possibly a reference).
    pub value: Box<Node>,
}

/// Where a variable's value came from.
///
/// ```
/// use natsfault_natsconf::VarSource;
/// assert_ne!(VarSource::Environment, VarSource::Config { defined_at: Default::default() });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarSource {
    /// A key defined earlier in an enclosing block of the same file.
    Config {
        /// Position of the defining key.
        defined_at: Pos,
    },
    /// The environment of the parsing process (or [`ParseOptions::env`](super::ParseOptions)).
    Environment,
}

/// A map, keeping entries in file order. Keys may repeat: like nats-server, the last one wins.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("debug: true\ndebug: false", "nats.conf", &ParseOptions::default())?;
/// assert_eq!(config.root().get("debug").unwrap().value.as_bool(), Some(false));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// Entries in file order.
    pub entries: Vec<Entry>,
}

/// One entry of a map: a key and value, or an `include` whose entries merge into this map.
///
/// ```
/// use natsfault_natsconf::{Config, Entry, ParseOptions};
/// let config = Config::parse_str("a: 1", "nats.conf", &ParseOptions::default())?;
/// assert!(matches!(config.root().entries[0], Entry::Pair(_)));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// `key: value`.
    Pair(Pair),
    /// `include path`.
    Include(Include),
}

/// A key and its value.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("  Port = 4222", "nats.conf", &ParseOptions::default())?;
/// let pair = config.root().get_ci("port").unwrap();
/// assert_eq!((pair.key.as_str(), pair.key_at.column), ("Port", 3));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The key as written (nats-server matches most keys case-insensitively).
    pub key: String,
    /// Where the key starts.
    pub key_at: Pos,
    /// The value.
    pub value: Node,
}

/// An `include` directive and the parsed entries of the included file.
///
/// ```
/// use natsfault_natsconf::Include;
/// fn path_of(include: &Include) -> &str { &include.path }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    /// The path as written.
    pub path: String,
    /// Where the path starts.
    pub at: Pos,
    /// The included file's id (one per include directive, even for the same file).
    pub file: FileId,
    /// Where the file was read from.
    pub resolved: PathBuf,
    /// The included file's top-level entries.
    pub body: Map,
}
