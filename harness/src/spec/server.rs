//! The `[server]` table: the nats.conf text and what starting it should do.

use serde::Deserialize;
use toml::Spanned;

use super::version_req::VersionReq;
use crate::backend::ServerFile;

/// The server a scenario runs.
///
/// ```toml
/// [server]
/// config = '''
/// authorization { users = [ { user: alice, password: "{{password.alice}}" } ] }
/// '''
/// ```
///
/// Or a team's own files, relative to the scenario file, played through the sandbox rewrite of
/// `diagnose` (its includes and the files it names travel with it):
///
/// ```toml
/// [server]
/// config-file = "../../fixtures/team/deploy/nats.conf"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerSection {
    /// nats.conf text, pasted as is, with `{{...}}` placeholders for generated values. The harness
    /// chooses the listen address and port itself. With `config-file`, the rewritten main config.
    #[serde(default = "no_config")]
    pub config: Spanned<String>,
    /// A nats.conf on disk instead of `config`, relative to the scenario file.
    pub config_file: Option<Spanned<String>>,
    /// With `config-file`: its includes and the files it names, beside the config.
    #[serde(skip)]
    pub files: Vec<ServerFile>,
    /// The server must refuse this config: a regular expression its error must match.
    pub expect_refused: Option<Spanned<String>>,
    /// The versions `expect-refused` applies to (default: all); on other versions the server
    /// must start and the steps run. For options a release does not know yet.
    pub refused_versions: Option<VersionReq>,
    /// In a topology (`[servers.NAME]`): the servers this one links to (a route, a leafnode
    /// remote, a gateway) whose link must be up before the steps run, in every phase. A link
    /// under test is asserted by a step instead (`link-up`, `link-down`).
    #[serde(default)]
    pub links: Vec<Spanned<String>>,
    /// In a topology: the servers this one dials through natsfault's proxy, so that toxics
    /// (`add-toxic` with `link = "THIS->PEER"`) and `disconnect-server` on the process backend act
    /// on the link. The peer's `{{servers.PEER.*-url}}` in this server's config names the proxy.
    #[serde(default)]
    pub proxy_links: Vec<Spanned<String>>,
    /// Variables the config names (`$NAME`): `"NAME"` takes natsfault's own value, `"NAME=VALUE"`
    /// a literal. nats-server's fallback to its environment is not used; each value is a secret
    /// in every report.
    #[serde(default)]
    pub env: Vec<Spanned<String>>,
    /// `env` read at load time: each variable's name and value.
    #[serde(skip)]
    pub env_values: Vec<(String, String)>,
}

/// `config` when only `config-file` is given (the loader fills it in).
fn no_config() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}
