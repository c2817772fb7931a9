//! A directory resolver's folder: only the account JWTs nats-server's dir store would read are
//! copied. The store names them `<account public key>.jwt`, at the top of the folder or, when
//! sharded, in a subfolder named after the key's last two characters (`server/dirstore.go`,
//! `pathForKey`). Everything else (links, other files, other folders, files too big to be a JWT)
//! stays where it is, and the rewrite says how much was left.

use std::fs::DirEntry;
use std::path::{Path, PathBuf};

use super::plan::{CopyKind, FileCopy};
use super::rewrite::{Ctx, string_node};
use crate::value::Pair;

/// The largest file taken for an account JWT (nats-server's own JWTs are a few KiB).
pub(crate) const MAX_JWT_BYTES: u64 = 1 << 20;

/// The most account JWTs copied from one folder.
pub(crate) const MAX_JWT_FILES: usize = 10_000;

/// What a resolver folder holds: the JWT files to copy (relative paths) and how many entries
/// were left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct JwtDir {
    pub(crate) jwts: Vec<PathBuf>,
    pub(crate) skipped: usize,
}

/// Whether `name` is `<account public key>.jwt`, with the key's checksum valid; `shard` is the
/// subfolder it is in, whose name must be the key's last two characters.
fn is_account_jwt_name(name: &str, shard: Option<&str>) -> bool {
    let Some(key) = name.strip_suffix(".jwt") else { return false };
    if !key.starts_with('A') || key.len() != 56 || nkeys::KeyPair::from_public_key(key).is_err() {
        return false;
    }
    shard.is_none_or(|s| key.ends_with(s))
}

/// Whether `entry` is a regular file (not a link) of JWT size that holds one JWT.
fn is_jwt_file(entry: &DirEntry) -> bool {
    let Ok(kind) = entry.file_type() else { return false };
    if !kind.is_file() {
        return false;
    }
    let Ok(meta) = entry.metadata() else { return false };
    if meta.len() > MAX_JWT_BYTES {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(entry.path()) else { return false };
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    text.starts_with("eyJ")
        && parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// The account JWTs in `dir` (top level and shard folders), and the count of everything else.
pub(crate) fn scan(dir: &Path) -> JwtDir {
    let mut found = JwtDir::default();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|k| k.is_dir());
        let shard = name.len() == 2 && name.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
        if is_dir && shard {
            let Ok(inner) = std::fs::read_dir(entry.path()) else {
                found.skipped += 1;
                continue;
            };
            for file in inner.flatten() {
                let file_name = file.file_name().to_string_lossy().into_owned();
                take(&mut found, &file, &file_name, Some(&name), Path::new(&name).join(&file_name));
            }
        } else {
            take(&mut found, &entry, &name, None, PathBuf::from(&name));
        }
    }
    found.jwts.sort();
    found
}

fn take(found: &mut JwtDir, entry: &DirEntry, name: &str, shard: Option<&str>, rel: PathBuf) {
    if found.jwts.len() < MAX_JWT_FILES && is_account_jwt_name(name, shard) && is_jwt_file(entry) {
        found.jwts.push(rel);
    } else {
        found.skipped += 1;
    }
}

impl Ctx<'_> {
    /// `resolver { dir: ... }`: an empty folder in the sandbox gets copies of the account JWTs.
    pub(crate) fn copy_account_jwts(&mut self, key: &str, pair: &mut Pair) {
        let Some(written) = pair.value.as_str().map(str::to_string) else { return };
        let from = self.source_path(&written);
        let to = self.copy_target(&written);
        self.create_dirs.push(to.clone());
        let exists = from.is_dir();
        let what = if exists {
            let found = scan(&from);
            let what = format!(
                "{} account JWT file(s) copied from `{}` to `{}`; {} other entr{} left out (only `<account public \
                 key>.jwt` files of at most {} KiB, at the top or in a two-letter shard folder, no links)",
                found.jwts.len(),
                from.display(),
                to.display(),
                found.skipped,
                if found.skipped == 1 { "y" } else { "ies" },
                MAX_JWT_BYTES / 1024,
            );
            for rel in &found.jwts {
                self.copies.push(FileCopy {
                    from: from.join(rel),
                    to: to.join(rel),
                    kind: CopyKind::File,
                    exists: true,
                });
            }
            what
        } else {
            format!("`{}` is not on this machine; the server gets an empty folder `{}`", from.display(), to.display())
        };
        self.note(key, pair.key_at, what);
        self.copies.push(FileCopy { from, to: to.clone(), kind: CopyKind::Dir, exists });
        pair.value = string_node(to.to_string_lossy().to_string(), &pair.value);
    }
}

#[cfg(test)]
mod tests {
    use super::is_account_jwt_name;

    const KEY: &str = "ADXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";

    #[test]
    fn names() {
        let good = nkeys::KeyPair::new_account().public_key();
        assert!(is_account_jwt_name(&format!("{good}.jwt"), None));
        assert!(is_account_jwt_name(&format!("{good}.jwt"), Some(&good[54..])));
        assert!(!is_account_jwt_name(&format!("{good}.jwt.deleted"), None));
        assert!(!is_account_jwt_name(&format!("{KEY}.jwt"), None), "bad checksum");
        let user = nkeys::KeyPair::new_user().public_key();
        assert!(!is_account_jwt_name(&format!("{user}.jwt"), None));
        assert!(!is_account_jwt_name("id_rsa", None));
    }
}
