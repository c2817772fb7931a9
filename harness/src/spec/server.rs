//! The `[server]` table: the nats.conf text and what starting it should do.

use serde::Deserialize;
use toml::Spanned;

use super::version_req::VersionReq;

/// The server a scenario runs.
///
/// ```toml
/// [server]
/// config = '''
/// authorization { users = [ { user: alice, password: "{{password.alice}}" } ] }
/// '''
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerSection {
    /// nats.conf text, pasted as is, with `{{...}}` placeholders for generated values. The harness
    /// chooses the listen address and port itself.
    pub config: Spanned<String>,
    /// The server must refuse this config: a regular expression its error must match.
    pub expect_refused: Option<Spanned<String>>,
    /// The versions `expect-refused` applies to (default: all); on other versions the server
    /// must start and the steps run. For options a release does not know yet.
    pub refused_versions: Option<VersionReq>,
}
