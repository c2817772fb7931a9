//! Variable definitions left without references. nats-server does not report a key as unknown
//! when a `$variable` refers to it; once the only references are removed (a password used by
//! `cluster`, a folder used by `store_dir`), such a key would stop the server. They go too.

use std::collections::BTreeSet;

use super::rewrite::Ctx;
use super::tree::{path_of, referenced_defs, remove_at};
use crate::location::Pos;
use crate::query::{KnownKey, known_key};

impl Ctx<'_> {
    /// Removes definitions that only removed or rewritten settings referred to.
    pub(crate) fn drop_orphans(&mut self) {
        loop {
            let literal = self.literal_defs();
            let mut referenced = BTreeSet::new();
            referenced_defs(&self.root, &literal, &mut referenced);
            let orphans: Vec<(Pos, Vec<String>, String)> = self
                .config
                .used_defs
                .iter()
                .filter(|at| !referenced.contains(at) && !literal.contains(at))
                .filter_map(|at| path_of(&self.root, *at).map(|(path, key)| (*at, path, key)))
                .filter(|(_, path, key)| known_key(path, key) == KnownKey::Unknown)
                .collect();
            if orphans.is_empty() {
                return;
            }
            for (at, path, key) in orphans {
                if remove_at(&mut self.root, at).is_some() {
                    self.orphans.insert(at);
                    let dotted = if path.is_empty() { key } else { format!("{}.{key}", path.join(".")) };
                    self.note(
                        &dotted,
                        at,
                        "removed: a variable only referenced by removed or rewritten settings; nats-server would \
                         report it as an unknown field",
                    );
                }
            }
        }
    }

    /// Definitions whose references are written as values: removed ones and dropped orphans.
    pub(crate) fn literal_defs(&self) -> BTreeSet<Pos> {
        self.removed_defs.union(&self.orphans).copied().collect()
    }
}
