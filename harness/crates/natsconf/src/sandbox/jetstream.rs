//! JetStream: the store moves into the sandbox (or JetStream is turned off).

use super::files::materialize;
use super::options::JetStreamPolicy;
use super::plan::CopyKind;
use super::rewrite::{Ctx, string_node};
use super::tree::{for_each_pair_mut, has_key, remove_pairs};
use crate::key::{key_in, key_is};
use crate::location::Pos;
use crate::value::{Entry, Node, Pair, Value};

const STORE_KEYS: &[&str] = &["store_dir", "storedir"];
const INNER_STORE_KEYS: &[&str] = &["store", "store_dir", "storedir"];

impl Ctx<'_> {
    /// Applies the JetStream policy.
    pub(crate) fn jetstream(&mut self) {
        match self.options.jetstream {
            JetStreamPolicy::StoreFlag => self.store_from_flag(),
            JetStreamPolicy::MoveStore => self.move_store(),
            JetStreamPolicy::Disable => self.disable_jetstream(),
        }
    }

    fn store_dir(&self) -> String {
        self.dir.join("jetstream").to_string_lossy().to_string()
    }

    fn move_store(&mut self) {
        let store = self.store_dir();
        let top_level_store = has_key(&self.root, STORE_KEYS);
        let mut root = std::mem::take(&mut self.root);
        let mut enabled_at: Option<Pos> = None;
        for_each_pair_mut(&mut root, &mut |pair| {
            if key_in(&pair.key, STORE_KEYS) {
                pair.value = string_node(store.clone(), &pair.value);
                self.note(&pair.key, pair.key_at, format!("moved into the sandbox: `{store}`"));
                return;
            }
            if !key_is(&pair.key, "jetstream") {
                return;
            }
            materialize(pair);
            let key = pair.key.clone();
            match &mut pair.value.value {
                Value::Bool { value: true, .. } => enabled_at = Some(pair.key_at),
                Value::String(s) if key_in(s, &["enabled", "enable"]) => {
                    enabled_at = Some(pair.key_at);
                }
                Value::Map(map) => {
                    let mut moved = false;
                    for_each_pair_mut(map, &mut |inner| {
                        if key_in(&inner.key, INNER_STORE_KEYS) {
                            inner.value = string_node(store.clone(), &inner.value);
                            self.note(
                                &format!("{key}.{}", inner.key),
                                inner.key_at,
                                format!("moved into the sandbox: `{store}`"),
                            );
                            moved = true;
                        }
                        if key_is(&inner.key, "tpm") {
                            materialize(inner);
                            if let Value::Map(tpm) = &mut inner.value.value {
                                for_each_pair_mut(tpm, &mut |file| {
                                    if key_is(&file.key, "keys_file") {
                                        self.rewrite_path(&format!("{key}.tpm.keys_file"), file, CopyKind::File);
                                    }
                                });
                            }
                        }
                    });
                    if !moved && !top_level_store {
                        let at = pair.key_at;
                        map.entries.push(Entry::Pair(Pair {
                            key: "store_dir".into(),
                            key_at: at,
                            value: Node { value: Value::String(store.clone()), at },
                        }));
                        self.note(
                            &format!("{key}.store_dir"),
                            at,
                            format!("added: the store goes into the sandbox, `{store}`"),
                        );
                    }
                    self.create_dirs.push(self.dir.join("jetstream"));
                }
                _ => {}
            }
        });
        if let Some(at) = enabled_at.filter(|_| !top_level_store) {
            root.entries.push(Entry::Pair(Pair {
                key: "store_dir".into(),
                key_at: at,
                value: Node { value: Value::String(store.clone()), at },
            }));
            self.note("store_dir", at, format!("added: the JetStream store goes into the sandbox, `{store}`"));
        }
        if enabled_at.is_some() || top_level_store {
            self.create_dirs.push(self.dir.join("jetstream"));
        }
        self.create_dirs.dedup();
        self.root = root;
    }

    /// Removes every store the config names (top level and inside `jetstream {}`), and a
    /// `tpm` block whose keys file would be read and written where the config says; the
    /// server gets its store from `--store_dir`.
    fn store_from_flag(&mut self) {
        let why = "removed: the server stores JetStream inside its sandbox (`--store_dir`)";
        let mut root = std::mem::take(&mut self.root);
        for removed in remove_pairs(&mut root, &mut |p| key_in(&p.key, STORE_KEYS)) {
            self.removed_defs.insert(removed.key_at);
            self.note(&removed.key, removed.key_at, why);
        }
        for_each_pair_mut(&mut root, &mut |pair| {
            if !key_is(&pair.key, "jetstream") {
                return;
            }
            materialize(pair);
            let key = pair.key.clone();
            let Value::Map(map) = &mut pair.value.value else { return };
            let inner = remove_pairs(map, &mut |p| key_in(&p.key, INNER_STORE_KEYS) || key_is(&p.key, "tpm"));
            for removed in inner {
                self.removed_defs.insert(removed.key_at);
                super::tree::key_positions(&removed.value, &mut self.removed_defs);
                let what = if key_is(&removed.key, "tpm") {
                    "removed: its keys file would be read and written outside the sandbox (and it is for Windows only)"
                } else {
                    why
                };
                self.note(&format!("{key}.{}", removed.key), removed.key_at, what);
            }
        });
        self.root = root;
    }

    fn disable_jetstream(&mut self) {
        let mut root = std::mem::take(&mut self.root);
        for removed in remove_pairs(&mut root, &mut |p| key_in(&p.key, STORE_KEYS)) {
            self.removed_defs.insert(removed.key_at);
            self.note(&removed.key, removed.key_at, "removed: JetStream is turned off in the sandbox");
        }
        for_each_pair_mut(&mut root, &mut |pair| {
            if key_is(&pair.key, "jetstream") && pair.value.as_bool() != Some(false) {
                let mut inner = std::collections::BTreeSet::new();
                super::tree::key_positions(&pair.value, &mut inner);
                self.removed_defs.extend(inner);
                pair.value = Node { value: Value::Bool { value: false, raw: "false".into() }, at: pair.value.at };
                self.note(&pair.key, pair.key_at, "set to `false`: JetStream is turned off in the sandbox");
            }
        });
        self.root = root;
    }
}
