//! Files the config names: TLS certificates and keys, operator JWT paths. Each is copied into
//! the sandbox and its path rewritten; OCSP, which would contact responders, is turned off.

use super::plan::CopyKind;
use super::rewrite::{Ctx, string_node};
use super::rules::{TLS_BLOCKS, TLS_CERT_LISTS, TLS_FILE_KEYS};
use super::tree::{for_each_pair_mut, has_key, remove_pairs};
use crate::key::{key_in, key_is};
use crate::location::Pos;
use crate::query::OPERATOR_KEYS;
use crate::value::{Entry, Node, Pair, Value};

/// Why a TLS file of the customer's is not used.
const TLS_STAND_IN: &str =
    "replaced: a certificate of the same shape made for this run stands in; the customer's file is not read";

impl Ctx<'_> {
    /// TLS blocks: file paths copied; `ocsp_peer` removed; `ocsp: false` when TLS is on.
    pub(crate) fn tls(&mut self) {
        let mut root = std::mem::take(&mut self.root);
        for_each_pair_mut(&mut root, &mut |pair| {
            if !key_in(&pair.key, TLS_BLOCKS) {
                return;
            }
            let block = pair.key.clone();
            materialize(pair);
            let Value::Map(map) = &mut pair.value.value else { return };
            for removed in remove_pairs(map, &mut |p| key_is(&p.key, "ocsp_peer")) {
                self.note(
                    &format!("{block}.{}", removed.key),
                    removed.key_at,
                    "removed: it would make the server contact OCSP responders",
                );
            }
            let stand_in = self.options.tls_files.clone().filter(|_| key_is(&block, "tls"));
            for_each_pair_mut(map, &mut |inner| {
                if key_in(&inner.key, TLS_CERT_LISTS) {
                    // `certs: [{cert_file, key_file}, ...]`: each pair, served by SNI.
                    let list = format!("{block}.{}", inner.key);
                    materialize(inner);
                    let Value::Array(items) = &mut inner.value.value else { return };
                    for item in items.iter_mut() {
                        if let Value::Variable(_) = item.value {
                            *item = Node { value: item.resolved().value.clone(), at: item.at };
                        }
                        let Value::Map(pairs) = &mut item.value else { continue };
                        for_each_pair_mut(pairs, &mut |file| self.tls_file(&list, file, stand_in.as_ref()));
                    }
                    return;
                }
                self.tls_file(&block, inner, stand_in.as_ref());
            });
        });
        if has_key(&root, &["tls"]) {
            self.ocsp_off(&mut root);
        }
        self.root = root;
    }

    /// One file key of a TLS block (or of an entry of its `certs` list): the stand-in when one
    /// is given, else a bounded copy.
    fn tls_file(&mut self, block: &str, inner: &mut Pair, stand_in: Option<&super::options::TlsFiles>) {
        if !key_in(&inner.key, TLS_FILE_KEYS) {
            return;
        }
        let key = format!("{block}.{}", inner.key);
        match stand_in.and_then(|files| files.path_for(&inner.key)) {
            Some(path) => {
                materialize(inner);
                inner.value = string_node(path.to_string_lossy(), &inner.value);
                self.note(&key, inner.key_at, TLS_STAND_IN);
            }
            None => self.rewrite_path(&key, inner, CopyKind::File),
        }
    }

    fn ocsp_off(&mut self, root: &mut crate::value::Map) {
        let mut found = false;
        for_each_pair_mut(root, &mut |pair| {
            if key_is(&pair.key, "ocsp") {
                found = true;
                if pair.value.as_bool() != Some(false) {
                    self.removed_defs.extend(nested_keys(&pair.value));
                    pair.value = Node { value: Value::Bool { value: false, raw: "false".into() }, at: pair.value.at };
                    self.note(
                        &pair.key,
                        pair.key_at,
                        "set to `false`: OCSP stapling would contact the certificate's responder",
                    );
                }
            }
        });
        if !found {
            let at = root.get_ci("tls").map(|p| p.key_at).unwrap_or_default();
            root.entries.push(Entry::Pair(Pair {
                key: "ocsp".into(),
                key_at: at,
                value: Node { value: Value::Bool { value: false, raw: "false".into() }, at },
            }));
            self.note("ocsp", at, "added as `false`: OCSP stapling would contact the certificate's responder");
        }
    }

    /// `operator: path` (or an array of them): the JWT files are copied.
    pub(crate) fn operators(&mut self) {
        let mut root = std::mem::take(&mut self.root);
        for_each_pair_mut(&mut root, &mut |pair| {
            if !key_in(&pair.key, OPERATOR_KEYS) {
                return;
            }
            let key = pair.key.clone();
            if pair.value.as_array().is_some() {
                materialize(pair);
                let Value::Array(items) = &mut pair.value.value else { return };
                for item in items.iter_mut() {
                    if let Some(path) = item.as_str().filter(|p| !p.starts_with("eyJ")).map(str::to_string) {
                        let new = self.copy_ref(&key, item.at, &path, CopyKind::File);
                        *item = string_node(new, item);
                    }
                }
            } else if pair.value.as_str().is_some_and(|p| !p.starts_with("eyJ")) {
                self.rewrite_path(&key, pair, CopyKind::File);
            }
        });
        self.root = root;
    }

    /// Copies the file or folder named by `pair`'s string value and points the value at the copy.
    pub(crate) fn rewrite_path(&mut self, key: &str, pair: &mut Pair, kind: CopyKind) {
        let Some(path) = pair.value.as_str().map(str::to_string) else { return };
        let at: Pos = pair.key_at;
        let new = self.copy_ref(key, at, &path, kind);
        pair.value = string_node(new, &pair.value);
    }
}

/// Key positions inside a value about to be replaced.
fn nested_keys(node: &Node) -> Vec<Pos> {
    let mut out = std::collections::BTreeSet::new();
    super::tree::key_positions(node, &mut out);
    out.into_iter().collect()
}

/// Replaces a `$variable` value by what it resolved to, so the copy can be edited (the
/// definition may then become unused; see the orphan step).
pub(crate) fn materialize(pair: &mut Pair) {
    if matches!(pair.value.value, Value::Variable(_)) {
        let at = pair.value.at;
        pair.value = Node { value: pair.value.resolved().value.clone(), at };
    }
}
