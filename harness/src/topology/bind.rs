//! Binding a server's listeners where the harness says: `listen` inside each `cluster {}`,
//! `leafnodes {}`, `gateway {}`, `websocket {}` and `mqtt {}` block of the config (on the block's
//! own line, so the positions nats-server reports stay those of the scenario), the monitoring
//! endpoint (`http`) and a `server_name` (the scenario's name for the server) when the config has
//! none, so that links name their peers. The client listener is set by the backend's flags.

use crate::natsconf::{Config, Entry, ParseOptions, Value};

use super::plan::{ListenerKind, ServerAddrs};

/// Why a config could not be bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a config nats-server can parse to bind its listeners: {0}")]
pub struct BindError(pub String);

/// The block keys (lowercase, as nats-server matches them) and the listener each has.
pub const BLOCKS: &[(&str, ListenerKind)] = &[
    ("cluster", ListenerKind::Cluster),
    ("leafnodes", ListenerKind::Leafnode),
    ("leaf", ListenerKind::Leafnode),
    ("gateway", ListenerKind::Gateway),
    ("websocket", ListenerKind::Websocket),
    ("ws", ListenerKind::Websocket),
    ("mqtt", ListenerKind::Mqtt),
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

/// What [`bind`] adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindOptions {
    /// The listeners of these kinds.
    pub kinds: &'static [ListenerKind],
    /// `http` on the monitoring listener.
    pub monitor: bool,
    /// `server_name`, when the config has none.
    pub server_name: bool,
}

impl BindOptions {
    /// A server of a topology: every listener, monitoring and a name.
    pub const TOPOLOGY: BindOptions = BindOptions { kinds: &ListenerKind::ALL, monitor: true, server_name: true };
    /// A topology's first server, whose websocket and MQTT listeners the phase binds itself.
    pub const TOPOLOGY_FIRST: BindOptions = BindOptions {
        kinds: &[ListenerKind::Cluster, ListenerKind::Leafnode, ListenerKind::Gateway],
        monitor: true,
        server_name: true,
    };
    /// A lone server: its cluster, leafnode and gateway blocks, nothing added.
    pub const LONE: BindOptions = BindOptions {
        kinds: &[ListenerKind::Cluster, ListenerKind::Leafnode, ListenerKind::Gateway],
        monitor: false,
        server_name: false,
    };
}

/// `config` with the listeners of `addrs` that `options` asks for.
///
/// ```
/// use natsfault::backend::ProcessBackend;
/// use natsfault::topology::{BindOptions, Plan, bind};
/// let plan = Plan::choose(&["a"], &ProcessBackend).unwrap();
/// let bound = bind("cluster { name: c }", &plan.servers[0], BindOptions::TOPOLOGY).unwrap();
/// assert!(bound.config.starts_with("cluster { listen: \"127.0.0.1:"), "{}", bound.config);
/// assert!(bound.config.contains("http: \"127.0.0.1:") && bound.server_name == "a");
/// ```
pub fn bind(config: &str, addrs: &ServerAddrs, options: BindOptions) -> Result<Bound, BindError> {
    let listen = |kind: ListenerKind| {
        options.kinds.contains(&kind).then(|| addrs.listeners.get(&kind).map(|l| l.listen.clone())).flatten()
    };
    let (mut out, names) = insert_listens(config, listen)?;
    if let Some(l) = addrs.listeners.get(&ListenerKind::Monitor).filter(|_| options.monitor) {
        out.push_str(&format!("\nhttp: \"{}\"\n", l.listen));
    }
    let server_name = match names.server_name {
        Some(n) => n,
        None if options.server_name => {
            out.push_str(&format!("server_name: \"{}\"\n", addrs.name));
            addrs.name.clone()
        }
        None => addrs.name.clone(),
    };
    Ok(Bound { config: out, server_name, gateway_name: names.gateway_name })
}

/// The names a config gives its server.
#[derive(Clone, Debug, Default)]
pub struct ConfigNames {
    /// `server_name`.
    pub server_name: Option<String>,
    /// `gateway { name }`.
    pub gateway_name: Option<String>,
}

/// `config` with ` listen: "...",` right after the `{` of each top-level block whose listener
/// `listen` gives an address for.
///
/// ```
/// use natsfault::topology::{ListenerKind, insert_listens};
/// let (text, _) = insert_listens("websocket {\n  no_tls: true\n}", |k| {
///     (k == ListenerKind::Websocket).then(|| "127.0.0.1:8080".to_string())
/// })
/// .unwrap();
/// assert_eq!(text, "websocket { listen: \"127.0.0.1:8080\",\n  no_tls: true\n}");
/// ```
pub fn insert_listens(
    config: &str,
    listen: impl Fn(ListenerKind) -> Option<String>,
) -> Result<(String, ConfigNames), BindError> {
    let parsed =
        Config::parse_str(config, "nats.conf", &ParseOptions::default()).map_err(|e| BindError(e.to_string()))?;
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut names = ConfigNames::default();
    for entry in &parsed.root().entries {
        let Entry::Pair(pair) = entry else { continue };
        let key = pair.key.to_ascii_lowercase();
        if key == "server_name" {
            names.server_name = pair.value.as_str().map(str::to_string);
        }
        if let (Value::Map(m), "gateway") = (&pair.value.value, key.as_str()) {
            names.gateway_name = m.get("name").and_then(|n| n.value.as_str()).map(str::to_string);
        }
        let Some((_, kind)) = BLOCKS.iter().find(|(k, _)| *k == key) else { continue };
        let (Value::Map(_), Some(address)) = (&pair.value.value, listen(*kind)) else { continue };
        let Some(at) = offset(config, pair.value.at.line, pair.value.at.column) else { continue };
        let Some(brace) = config[at..].find('{').map(|i| at + i + 1) else { continue };
        inserts.push((brace, format!(" listen: \"{address}\",")));
    }
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut out = config.to_string();
    for (at, text) in inserts {
        out.insert_str(at, &text);
    }
    Ok((out, names))
}

/// The byte offset of a 1-based line and character column.
fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let rest = text.get(start..)?;
    let col = rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(i, _)| i);
    Some(start + col)
}
