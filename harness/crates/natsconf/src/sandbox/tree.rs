//! Editing the tree: top-level pairs across includes, removing pairs, collecting positions.

use std::collections::BTreeSet;

use crate::key::key_in;
use crate::location::Pos;
use crate::value::{Entry, Map, Node, Pair, Value, VarSource};

/// Calls `f` on every pair of `map`, including pairs that come from include directives.
pub(crate) fn for_each_pair_mut(map: &mut Map, f: &mut dyn FnMut(&mut Pair)) {
    for entry in &mut map.entries {
        match entry {
            Entry::Pair(pair) => f(pair),
            Entry::Include(include) => for_each_pair_mut(&mut include.body, f),
        }
    }
}

/// Removes the pairs of `map` (and of its includes) for which `remove` says true.
pub(crate) fn remove_pairs(map: &mut Map, remove: &mut dyn FnMut(&Pair) -> bool) -> Vec<Pair> {
    let mut removed = Vec::new();
    let mut kept = Vec::with_capacity(map.entries.len());
    for entry in std::mem::take(&mut map.entries) {
        match entry {
            Entry::Pair(pair) if remove(&pair) => removed.push(pair),
            Entry::Include(mut include) => {
                removed.extend(remove_pairs(&mut include.body, remove));
                kept.push(Entry::Include(include));
            }
            other => kept.push(other),
        }
    }
    map.entries = kept;
    removed
}

/// Whether any pair (across includes) has a key nats-server reads as one of `keys`.
pub(crate) fn has_key(map: &Map, keys: &[&str]) -> bool {
    map.pairs().iter().any(|p| key_in(&p.key, keys))
}

/// Key positions of every pair inside `node`, and of maps in arrays.
pub(crate) fn key_positions(node: &Node, out: &mut BTreeSet<Pos>) {
    match &node.value {
        Value::Map(map) => {
            for pair in map.pairs() {
                out.insert(pair.key_at);
                key_positions(&pair.value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| key_positions(item, out)),
        _ => {}
    }
}

/// Definitions still referenced by `$name` in the tree; references to `literal` definitions
/// are written as values, so the references inside those values count instead.
pub(crate) fn referenced_defs(map: &Map, literal: &BTreeSet<Pos>, out: &mut BTreeSet<Pos>) {
    for pair in map.pairs() {
        referenced_in(&pair.value, literal, out);
    }
}

fn referenced_in(node: &Node, literal: &BTreeSet<Pos>, out: &mut BTreeSet<Pos>) {
    match &node.value {
        Value::Map(map) => referenced_defs(map, literal, out),
        Value::Array(items) => items.iter().for_each(|item| referenced_in(item, literal, out)),
        Value::Variable(var) => match var.source {
            VarSource::Config { defined_at } if !literal.contains(&defined_at) => {
                out.insert(defined_at);
            }
            _ => referenced_in(&var.value, literal, out),
        },
        _ => {}
    }
}

/// The keys of the maps around the pair whose key is at `at` (arrays do not count), and the key.
pub(crate) fn path_of(map: &Map, at: Pos) -> Option<(Vec<String>, String)> {
    for pair in map.pairs() {
        if pair.key_at == at {
            return Some((Vec::new(), pair.key.clone()));
        }
        if let Some((mut path, key)) = path_in(&pair.value, at) {
            path.insert(0, pair.key.clone());
            return Some((path, key));
        }
    }
    None
}

fn path_in(node: &Node, at: Pos) -> Option<(Vec<String>, String)> {
    match &node.value {
        Value::Map(map) => path_of(map, at),
        Value::Array(items) => items.iter().find_map(|item| path_in(item, at)),
        _ => None,
    }
}

/// Removes the pair whose key is at `at`, wherever it is.
pub(crate) fn remove_at(map: &mut Map, at: Pos) -> Option<Pair> {
    let mut found = remove_pairs(map, &mut |p| p.key_at == at).pop();
    if found.is_none() {
        for_each_pair_mut(map, &mut |pair| {
            if found.is_none() {
                found = remove_in(&mut pair.value, at);
            }
        });
    }
    found
}

fn remove_in(node: &mut Node, at: Pos) -> Option<Pair> {
    match &mut node.value {
        Value::Map(map) => remove_at(map, at),
        Value::Array(items) => items.iter_mut().find_map(|item| remove_in(item, at)),
        _ => None,
    }
}
