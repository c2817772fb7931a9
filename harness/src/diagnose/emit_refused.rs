//! The scenario for a config nats-server refuses for a reason outside the seven causes: the
//! offending key alone, inside the blocks that hold it in the customer's config, with generated
//! values; the fix removes it. No string value of the customer's config is copied.

use std::fmt::Write;

use super::emit::{EmitError, q};
use super::input::Prepared;
use super::model::{Diagnosis, Verdict};
use crate::natsconf::{Config, Map, Node, Pair, Value};
use crate::spec::Cause;

/// A block on the way to the offending key: `key { ... }` or `key: [ { ... } ]`.
struct Link<'c> {
    key: &'c str,
    in_array: bool,
    /// The map holding the next link or the offending key.
    map: &'c Map,
}

/// The blocks from the root to the pair whose key is at `at`, and the pair.
fn locate<'c>(config: &'c Config, map: &'c Map, at: &str, chain: &mut Vec<Link<'c>>) -> Option<&'c Pair> {
    for pair in map.pairs() {
        if config.location(pair.key_at).to_string() == at {
            return Some(pair);
        }
        let children: Vec<(&Map, bool)> = match &pair.value.value {
            Value::Map(m) => vec![(m, false)],
            Value::Array(items) => items.iter().filter_map(|i| i.as_map().map(|m| (m, true))).collect(),
            _ => Vec::new(),
        };
        for (child, in_array) in children {
            chain.push(Link { key: &pair.key, in_array, map: child });
            if let Some(found) = locate(config, child, at, chain) {
                return Some(found);
            }
            chain.pop();
        }
    }
    None
}

fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        q(k)
    }
}

/// A value of the same type as `node`: numbers, booleans and times as written, every string a
/// generated secret, blocks empty.
fn generated(node: &Node) -> String {
    match &node.value {
        Value::Integer { raw, .. } | Value::Float { raw, .. } | Value::Bool { raw, .. } => raw.clone(),
        Value::Datetime(raw) => raw.clone(),
        Value::String(_) => "\"{{password.value}}\"".into(),
        Value::Array(_) => "[]".into(),
        Value::Map(_) => "{}".into(),
        Value::Variable(v) => generated(&v.value),
    }
}

/// What else an entry of an array needs to be read at all: its `user` (a name, kept), `password`
/// and `nkey` (generated).
fn entry_siblings(map: &Map, skip: &Pair) -> Vec<String> {
    map.pairs()
        .into_iter()
        .filter(|p| !std::ptr::eq(*p, skip))
        .filter_map(|p| match p.key.to_ascii_lowercase().as_str() {
            "user" | "username" => p.value.as_str().map(|u| format!("{}: {}", key(&p.key), q(u))),
            "password" | "pass" => Some(format!("{}: \"{{{{password.entry}}}}\"", key(&p.key))),
            "nkey" => Some(format!("{}: \"{{{{nkey.entry.public}}}}\"", key(&p.key))),
            _ => None,
        })
        .collect()
}

/// The config text: the chain of blocks around `inner`.
fn render(chain: &[Link<'_>], inner: &[String]) -> String {
    let mut lines: Vec<String> = inner.to_vec();
    for link in chain.iter().rev() {
        let indented = lines.iter().map(|l| format!("  {l}"));
        lines = if link.in_array {
            let mut v = vec![format!("{}: [", key(link.key)), "  {".to_string()];
            v.extend(indented.map(|l| format!("  {l}")));
            v.extend(["  }".to_string(), "]".to_string()]);
            v
        } else {
            let mut v = vec![format!("{} {{", key(link.key))];
            v.extend(indented);
            v.push("}".into());
            v
        };
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Writes the scenario for a `config-refused` diagnosis with no cause.
pub(super) fn scenario(s: &mut String, p: &Prepared, d: &Diagnosis) -> Result<(), EmitError> {
    let Verdict::ConfigRefused { reason, at, .. } = &d.verdict else {
        return Err(EmitError("not a refused config".into()));
    };
    let at = at.as_deref().filter(|a| !a.contains("rewritten")).ok_or_else(|| {
        EmitError(format!(
            "no scenario for the refusal `{reason}`: the server's position is not a key of the customer's files, so what to reproduce is not known; correct the config and diagnose again"
        ))
    })?;
    // A value the server refuses cannot be reproduced with generated values (and the
    // customer's is not copied): only a key the server does not know is.
    if !reason.starts_with("unknown field") {
        return Err(EmitError(format!(
            "no scenario for the refusal `{reason}`: it is about the value at {at}, and scenarios get generated values, not the customer's; correct the value and diagnose again"
        )));
    }
    let mut chain = Vec::new();
    let pair = locate(&p.config, p.config.root(), at, &mut chain).ok_or_else(|| {
        EmitError(format!("no scenario for the refusal `{reason}`: no key of the config starts at {at}"))
    })?;
    let mut siblings = chain.last().filter(|l| l.in_array).map(|l| entry_siblings(l.map, pair)).unwrap_or_default();
    let nkey = siblings.iter().any(|l| l.contains("{{nkey.entry.public}}"));
    let fixed = render(&chain, &siblings);
    siblings.push(format!("{}: {}", key(&pair.key), generated(&pair.value)));
    let broken = render(&chain, &siblings);
    let path: Vec<&str> = chain.iter().map(|l| l.key).chain([pair.key.as_str()]).collect();
    // Not one of the seven causes: to its clients, a server that refuses its config is a server
    // that is not there.
    let _ = writeln!(s, "name = {}", q(&format!("nats-server refuses `{}`", path.join("."))));
    let _ = writeln!(s, "cause = \"{}\"", Cause::ServerUnreachable.as_str());
    let summary = format!(
        "Emitted by `natsfault diagnose` (config-refused). nats-server refuses to start with the config, so no client can connect: {reason} (at {at} in the customer's config). The key is reproduced alone, inside the same blocks, with generated values; the customer's values are not in this file."
    );
    let _ = writeln!(s, "summary = {}\n", q(&summary));
    if nkey {
        let _ = writeln!(s, "[nkeys.entry]\n");
    }
    let _ = writeln!(
        s,
        "[server]\nexpect-refused = {}\nconfig = '''\n{broken}'''\n\n[clients.probe]\nkind = \"raw\"\n\n[[steps]]\ndo = \"connect\"\nclient = \"probe\"\nexpect = {{ received = \"INFO\" }}\n\n[fix]\nsummary = {}\nconfig = '''\n{fixed}'''",
        q(&regex::escape(reason)),
        q(&format!("remove `{}` (nats-server does not know it there)", path.join(".")))
    );
    Ok(())
}
