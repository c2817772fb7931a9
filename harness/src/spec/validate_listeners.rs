//! Loopback only: the harness binds every listener of every server itself (127.0.0.1 on
//! processes, natsfault's network on containers), so a config that sets its own address or port
//! for a listener block, or the monitoring endpoint, is refused; and every route, leafnode remote
//! and gateway URL must point at a server of the same scenario, through its placeholders.

use std::ops::Range;

use super::problem::Problem;
use super::scenario::Scenario;
use crate::natsconf::{Config, Entry, Map, Node, ParseOptions, Value};
use crate::render::{PlaceholderKey, find_placeholders};

/// Keys of a listener block the harness sets.
const BOUND_KEYS: &[&str] = &["listen", "host", "port", "net"];
/// Top-level keys that open the monitoring endpoint.
const MONITOR_KEYS: &[&str] = &["http", "https", "http_port", "https_port", "monitor_port", "http_host"];
/// Listener blocks (lowercase, as nats-server matches them).
const BLOCKS: &[&str] = &["cluster", "leafnodes", "leaf", "gateway", "websocket", "ws", "mqtt"];

/// Every listener and remote URL problem of the scenario's pasted configs.
pub fn validate_listeners(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let names: Vec<&str> = s.servers.iter().map(|n| n.name.as_str()).collect();
    let mut configs: Vec<Range<usize>> =
        s.servers.iter().filter(|n| n.section.config_file.is_none()).map(|n| n.section.config.span()).collect();
    configs.extend(s.fix.iter().filter_map(|f| f.config.as_ref()).map(|c| c.span()));
    for span in configs {
        let Some(raw) = s.source.get(span.clone()) else { continue };
        let (base, text) = content(raw);
        let at = |offset: usize, len: usize| span.start + base + offset..span.start + base + offset + len;
        let Ok(parsed) = Config::parse_str(&mask(text), "nats.conf", &ParseOptions::default()) else { continue };
        let mut found = Vec::new();
        check_root(parsed.root(), text, &names, &mut found);
        for (offset, len, message, help) in found {
            out.push(Problem::new(&s.source, at(offset, len), message).label("here").help(help));
        }
    }
    out
}

/// The text of a TOML string literal and where it starts inside it (`'''` and a first newline
/// skipped); a basic string with escapes is checked as written.
fn content(raw: &str) -> (usize, &str) {
    for quote in ["'''", "\"\"\"", "'", "\""] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            let skip = if quote.len() == 3 && inner.starts_with('\n') { 1 } else { 0 };
            return (quote.len() + skip, &inner[skip..]);
        }
    }
    (0, raw)
}

/// `text` with each placeholder blanked to the same length: spaces when it stands alone on its
/// line (it expands to whole entries, like `{{resolver-preload}}`), `x` otherwise.
fn mask(text: &str) -> String {
    let mut out = text.to_string();
    for f in find_placeholders(text) {
        let line_start = text[..f.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[f.range.end..].find('\n').map_or(text.len(), |i| f.range.end + i);
        let alone = text[line_start..f.range.start].trim().is_empty() && text[f.range.end..line_end].trim().is_empty();
        let fill = if alone { " " } else { "x" }.repeat(f.range.len());
        out.replace_range(f.range.clone(), &fill);
    }
    out
}

type Found = (usize, usize, String, String);

fn check_root(root: &Map, text: &str, names: &[&str], out: &mut Vec<Found>) {
    for entry in &root.entries {
        let Entry::Pair(pair) = entry else { continue };
        let key = pair.key.to_ascii_lowercase();
        if MONITOR_KEYS.contains(&key.as_str()) {
            out.push(at_key(
                text,
                pair.key_at.line,
                pair.key_at.column,
                &pair.key,
                format!("expected no `{}`: the harness opens the monitoring endpoint itself", pair.key),
                "remove it; natsfault reads links from its own monitoring listener on 127.0.0.1".into(),
            ));
        }
        if !BLOCKS.contains(&key.as_str()) {
            continue;
        }
        let Value::Map(block) = &pair.value.value else { continue };
        for inner in block.entries.iter().filter_map(|e| if let Entry::Pair(p) = e { Some(p) } else { None }) {
            let k = inner.key.to_ascii_lowercase();
            if BOUND_KEYS.contains(&k.as_str()) {
                out.push(at_key(
                    text,
                    inner.key_at.line,
                    inner.key_at.column,
                    &inner.key,
                    format!("expected no `{}.{}`: the harness binds every listener itself", pair.key, inner.key),
                    "remove it: the listener is bound to 127.0.0.1 on processes and to natsfault's network on containers; peers name it with `{{servers.NAME.cluster-url}}` and the like".into(),
                ));
            }
            let urls: Vec<&Node> = match (key.as_str(), k.as_str()) {
                ("cluster", "routes") => items(&inner.value),
                ("leafnodes" | "leaf", "remotes") | ("gateway", "gateways") => items(&inner.value)
                    .into_iter()
                    .filter_map(|r| r.as_map())
                    .flat_map(|m| {
                        m.entries.iter().filter_map(|e| match e {
                            Entry::Pair(p) if ["url", "urls"].contains(&p.key.to_ascii_lowercase().as_str()) => {
                                Some(items(&p.value))
                            }
                            _ => None,
                        })
                    })
                    .flatten()
                    .collect(),
                _ => Vec::new(),
            };
            for node in urls {
                check_url(text, node, names, out);
            }
        }
    }
}

/// The strings of a value that is a string or an array of them.
fn items(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Array(a) => a.iter().collect(),
        _ => vec![node],
    }
}

/// A remote URL must be `{{servers.NAME.*-url}}` or `scheme://[user:pass@]{{servers.NAME.host}}:{{servers.NAME.*-port}}`.
fn check_url(text: &str, node: &Node, names: &[&str], out: &mut Vec<Found>) {
    let Some(start) = offset(text, node.at.line, node.at.column) else { return };
    let rest = &text[start..];
    let (value, skip) = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => (rest[1..].split(q).next().unwrap_or_default(), 1),
        _ => {
            (rest.split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').next().unwrap_or_default(), 0)
        }
    };
    if points_inside(value, names) {
        return;
    }
    out.push((
        start + skip,
        value.len(),
        format!("expected a URL of a server of this scenario, found `{value}`"),
        "name the server by its placeholders: `{{servers.hub.leafnode-url}}`, or `nats://user:pass@{{servers.hub.host}}:{{servers.hub.leafnode-port}}` with credentials".into(),
    ));
}

/// Whether `url` is a placeholder URL of a declared server, or its host part is one.
fn points_inside(url: &str, names: &[&str]) -> bool {
    let server_of = |key: Option<&str>, fields: &[&str]| match key.map(PlaceholderKey::parse) {
        Some(Ok(PlaceholderKey::Server(name, field))) => {
            names.contains(&name) && fields.iter().any(|f| field == *f || (f.is_empty() && field.ends_with("-url")))
        }
        _ => false,
    };
    let found = find_placeholders(url);
    if let [only] = found.as_slice()
        && only.range == (0..url.len())
    {
        return server_of(only.key, &[""]);
    }
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let host_part = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, h)| h);
    let Some((host, port)) = host_part.split_once("}}:") else { return false };
    let host = format!("{host}}}}}");
    let hosts = find_placeholders(&host);
    let ports = find_placeholders(port);
    matches!((hosts.as_slice(), ports.as_slice()), ([h], [p])
        if h.range == (0..host.len()) && p.range == (0..port.len())
            && server_of(h.key, &["host"])
            && server_of(p.key, &["port", "cluster-port", "leafnode-port", "gateway-port"]))
}

fn at_key(text: &str, line: u32, column: u32, key: &str, message: String, help: String) -> Found {
    (offset(text, line, column).unwrap_or(0), key.len(), message, help)
}

/// The byte offset of a 1-based line and character column.
fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let rest = text.get(start..)?;
    let col = rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(i, _)| i);
    Some(start + col)
}

#[cfg(test)]
mod tests {
    use super::points_inside;

    #[test]
    fn remote_urls_must_name_a_server_of_the_scenario() {
        let names = ["hub", "leaf"];
        assert!(points_inside("{{servers.hub.leafnode-url}}", &names));
        assert!(points_inside("nats://u:{{password.p}}@{{servers.hub.host}}:{{servers.hub.leafnode-port}}", &names));
        assert!(!points_inside("nats://10.0.0.2:7422", &names));
        assert!(!points_inside("{{servers.other.leafnode-url}}", &names));
        assert!(!points_inside("nats://{{servers.hub.host}}:7422", &names));
        assert!(!points_inside("{{servers.hub.host}}", &names));
    }
}
