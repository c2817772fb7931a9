//! `[servers.NAME]`: the servers of a topology (a cluster, a hub and its leafnodes, a gateway
//! pair), each with its own `[server]` keys. `[server]` stays the shorthand for one server.

use std::collections::BTreeMap;

use toml::Spanned;

use super::problem::Problem;
use super::server::ServerSection;

/// The name a lone `[server]` has in a topology's terms (`{{servers.server.port}}`).
pub const SHORTHAND_NAME: &str = "server";

/// One server of a scenario and its name.
///
/// ```toml
/// [servers.hub]
/// config = 'leafnodes {}'
///
/// [servers.leaf]
/// config = 'leafnodes { remotes = [ { url: "{{servers.hub.leafnode-url}}" } ] }'
/// links = ["hub"]
/// ```
#[derive(Clone, Debug)]
pub struct NamedServer {
    /// The table's name (`hub` in `[servers.hub]`, `server` for `[server]`).
    pub name: String,
    /// Where the table is in the scenario file.
    pub span: std::ops::Range<usize>,
    /// Its keys.
    pub section: ServerSection,
}

/// The servers in declaration order (a TOML table keeps no order, the spans do), with a problem
/// for each bad name.
pub(crate) fn ordered(
    source: &str,
    tables: BTreeMap<String, Spanned<ServerSection>>,
    problems: &mut Vec<Problem>,
) -> Vec<NamedServer> {
    let mut out: Vec<NamedServer> =
        tables.into_iter().map(|(name, s)| NamedServer { name, span: s.span(), section: s.into_inner() }).collect();
    out.sort_by_key(|s| s.span.start);
    for s in &out {
        let valid = !s.name.is_empty()
            && s.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.name.starts_with('-');
        if !valid {
            problems.push(
                Problem::new(
                    source,
                    s.span.clone(),
                    format!("expected a server name of `a-z`, `0-9` and `-`, found `{}`", s.name),
                )
                .label("this server")
                .help("the name becomes the server's host name on the container backend: `hub`, `leaf-1`"),
            );
        }
    }
    out
}
