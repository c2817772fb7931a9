//! Binding a server's listeners where the harness says: `listen` inside each `cluster {}`,
//! `leafnodes {}` and `gateway {}` block of the config, the monitoring endpoint (`http`), and a
//! `server_name` (the scenario's name for the server) when the config has none, so that links
//! name their peers. The client listener is set by the backend's flags.

use crate::natsconf::{Config, Entry, ParseOptions, Value};

use super::plan::{ListenerKind, ServerAddrs};

/// Why a config could not be bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a config nats-server can parse to bind its listeners: {0}")]
pub struct BindError(pub String);

/// The block keys (lowercase, as nats-server matches them) and the listener each has.
const BLOCKS: &[(&str, ListenerKind)] = &[
    ("cluster", ListenerKind::Cluster),
    ("leafnodes", ListenerKind::Leafnode),
    ("leaf", ListenerKind::Leafnode),
    ("gateway", ListenerKind::Gateway),
];

/// A config bound to the harness's listeners, and the names its peers know the server by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The config text.
    pub config: String,
    /// Its `server_name`.
    pub server_name: String,
    /// Its `gateway { name }`, if it has a gateway.
    pub gateway_name: Option<String>,
}

/// `config` with the listeners of `addrs`.
///
/// ```
/// use natsfault::backend::ProcessBackend;
/// let plan = natsfault::topology::Plan::choose(&["a"], &ProcessBackend).unwrap();
/// let bound = natsfault::topology::bind("cluster { name: c }", &plan.servers[0]).unwrap();
/// assert!(bound.config.contains("cluster { listen: \"127.0.0.1:"), "{}", bound.config);
/// assert!(bound.config.contains("http: \"127.0.0.1:") && bound.server_name == "a");
/// ```
pub fn bind(config: &str, addrs: &ServerAddrs) -> Result<Bound, BindError> {
    let parsed =
        Config::parse_str(config, "nats.conf", &ParseOptions::default()).map_err(|e| BindError(e.to_string()))?;
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut server_name = None;
    let mut gateway_name = None;
    for entry in &parsed.root().entries {
        let Entry::Pair(pair) = entry else { continue };
        let key = pair.key.to_ascii_lowercase();
        if key == "server_name" {
            server_name = pair.value.as_str().map(str::to_string);
        }
        if let (Value::Map(m), "gateway") = (&pair.value.value, key.as_str()) {
            gateway_name = m.get("name").and_then(|n| n.value.as_str()).map(str::to_string);
        }
        let Some((_, kind)) = BLOCKS.iter().find(|(k, _)| *k == key) else { continue };
        let (Value::Map(_), Some(listener)) = (&pair.value.value, addrs.listeners.get(kind)) else { continue };
        let Some(at) = offset(config, pair.value.at.line, pair.value.at.column) else { continue };
        let Some(brace) = config[at..].find('{').map(|i| at + i + 1) else { continue };
        inserts.push((brace, format!(" listen: \"{}\"\n", listener.listen)));
    }
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut out = config.to_string();
    for (at, text) in inserts {
        out.insert_str(at, &text);
    }
    if let Some(l) = addrs.listeners.get(&ListenerKind::Monitor) {
        out.push_str(&format!("\nhttp: \"{}\"\n", l.listen));
    }
    let server_name = match server_name {
        Some(n) => n,
        None => {
            out.push_str(&format!("server_name: \"{}\"\n", addrs.name));
            addrs.name.clone()
        }
    };
    Ok(Bound { config: out, server_name, gateway_name })
}

/// The byte offset of a 1-based line and character column.
fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let rest = text.get(start..)?;
    let col = rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(i, _)| i);
    Some(start + col)
}
