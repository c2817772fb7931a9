//! Reading the tree: following variables to values, typed accessors, and key lookups with the
//! server's rules (last duplicate wins; most keys match without regard to case).

use super::key::{key_in, key_is};
use super::value::{Entry, Map, Node, Pair, Value};

impl Node {
    /// Follows variable references to the value they resolved to.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: 5\nb: $a", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("b").unwrap().value.resolved().as_i64(), Some(5));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn resolved(&self) -> &Node {
        let mut node = self;
        while let Value::Variable(var) = &node.value {
            node = &var.value;
        }
        node
    }

    /// The string value, following variables.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("server_name: 'a b'", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("server_name").unwrap().value.as_str(), Some("a b"));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match &self.resolved().value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer value, following variables.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("max_payload: 1K", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("max_payload").unwrap().value.as_i64(), Some(1000));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match &self.resolved().value {
            Value::Integer { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The boolean value, following variables.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("debug: on", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("debug").unwrap().value.as_bool(), Some(true));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match &self.resolved().value {
            Value::Bool { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The map value, following variables.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a { b: 1 }", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.root().get("a").unwrap().value.as_map().is_some());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn as_map(&self) -> Option<&Map> {
        match &self.resolved().value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The array value, following variables.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: [x, y]", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("a").unwrap().value.as_array().map(|a| a.len()), Some(2));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.resolved().value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A short name of the value's type for messages: `string`, `integer`, `map`...
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: [x]", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get("a").unwrap().value.type_name(), "array");
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn type_name(&self) -> &'static str {
        match &self.resolved().value {
            Value::String(_) => "string",
            Value::Integer { .. } => "integer",
            Value::Float { .. } => "float",
            Value::Bool { .. } => "boolean",
            Value::Datetime(_) => "date",
            Value::Array(_) => "array",
            Value::Map(_) => "map",
            Value::Variable(_) => "variable",
        }
    }
}

impl Map {
    /// Every key/value pair in order, with the entries of included files spliced in where the
    /// `include` stands (what nats-server sees).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("a: 1\nb: 2", "nats.conf", &ParseOptions::default())?;
    /// let keys: Vec<_> = config.root().pairs().iter().map(|p| p.key.as_str()).collect();
    /// assert_eq!(keys, ["a", "b"]);
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn pairs(&self) -> Vec<&Pair> {
        let mut out = Vec::new();
        collect_pairs(self, &mut out);
        out
    }

    /// The last pair whose key is exactly `key` (the one nats-server keeps).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("Port: 1", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.root().get("port").is_none());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&Pair> {
        self.pairs().into_iter().rev().find(|p| p.key == key)
    }

    /// The last pair whose key nats-server reads as `key`: most options are matched after Go's
    /// `strings.ToLower`, which also lowers `İ` to `i` and the Kelvin sign to `k`.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("Port: 1", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.root().get_ci("port").unwrap().value.as_i64(), Some(1));
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn get_ci(&self, key: &str) -> Option<&Pair> {
        self.pairs().into_iter().rev().find(|p| key_is(&p.key, key))
    }

    /// The last pair whose key nats-server reads as any of `keys` (for aliases such as
    /// `user`/`username`), compared as [`Map::get_ci`] does.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("pass: x", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.root().get_any(&["password", "pass"]).is_some());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn get_any(&self, keys: &[&str]) -> Option<&Pair> {
        self.pairs().into_iter().rev().find(|p| key_in(&p.key, keys))
    }
}

fn collect_pairs<'a>(map: &'a Map, out: &mut Vec<&'a Pair>) {
    for entry in &map.entries {
        match entry {
            Entry::Pair(pair) => out.push(pair),
            Entry::Include(include) => collect_pairs(&include.body, out),
        }
    }
}
