//! Whether a server writes into its own config folder: a directory account resolver (`full` or
//! `cache`) keeps its account JWTs in `dir`, relative to that folder unless absolute, and creates
//! it at start. The read-only mount cannot hold it (`mkdir ./jwt: read-only file system`), so
//! such a server gets its files by copy, into a writable root.

use std::path::Path;

use crate::natsconf::{Config, DirResolverKind, ParseOptions, Resolver};

/// Whether the config in `dir` (`nats.conf`, with its includes beside it) has a directory
/// resolver that writes; `env` are the variables the server starts with. A config that does not
/// parse here is left to the server to refuse: `false`.
pub(crate) fn writes_config_folder(dir: &Path, env: &[(String, String)]) -> bool {
    let options = ParseOptions::sandboxed(env.iter().cloned(), vec![dir.to_path_buf()]);
    let Ok(config) = Config::parse_file(dir.join(crate::backend::spec::CONFIG_FILE), &options) else {
        return false;
    };
    matches!(config.resolver(), Some(Resolver::Dir { kind: DirResolverKind::Full | DirResolverKind::Cache, .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writes(text: &str) -> bool {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(crate::backend::spec::CONFIG_FILE), text).expect("write");
        std::fs::write(dir.path().join("resolver.conf"), "resolver { type: cache, dir: jwt }").expect("write");
        writes_config_folder(dir.path(), &[])
    }

    #[test]
    fn a_full_or_cache_resolver_writes_its_folder() {
        assert!(writes("resolver { type: full, dir: \"./jwt\" }"));
        assert!(writes("resolver: { type: cache, dir: \"/data/jwt\" }"));
        assert!(writes("include \"resolver.conf\""), "found through an include");
    }

    #[test]
    fn memory_url_and_no_resolver_write_nothing() {
        assert!(!writes("resolver: MEMORY"));
        assert!(!writes("resolver: URL(http://127.0.0.1:1/)"));
        assert!(!writes("port: 4222"));
        assert!(!writes("resolver { type: full"), "a config the server will refuse");
    }
}
