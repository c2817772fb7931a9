//! The `[fix]` table: what changes between the broken and the fixed phase.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::account_server::AccountServerSpec;
use super::client::ClientSpec;
use super::endpoint::EndpointSpec;
use super::identity::{AccountSpec, UserSpec};

/// A text replacement in the server config.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Replace {
    /// Text that must occur in the broken config.
    pub from: Spanned<String>,
    /// Its replacement.
    pub to: String,
}

/// The fix the guide describes, applied for the fixed phase.
///
/// ```toml
/// [fix]
/// summary = "allow analytics.events.> for publishing"
/// replace = [ { from = '"data.>"', to = '"analytics.events.>"' } ]
/// ```
///
/// Identities change the same way clients do:
///
/// ```toml
/// [fix]
/// summary = "issue alice a JWT that is still valid"
/// users.alice = { expires = "+1h" }
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Fix {
    /// What the fix does, in one sentence.
    pub summary: String,
    /// A whole new server config.
    pub config: Option<Spanned<String>>,
    /// A whole new server config read from a file (relative to the scenario file) with its
    /// includes, played through the same sandbox as `[server] config-file`: a team's proposed
    /// change checked against its current config.
    pub config_file: Option<Spanned<String>>,
    /// With `config-file`: its includes and the files it names, beside the config.
    #[serde(skip)]
    pub files: Vec<crate::backend::ServerFile>,
    /// Replacements in the broken config, applied in order.
    #[serde(default)]
    pub replace: Vec<Replace>,
    /// Client fields to override.
    #[serde(default)]
    pub clients: BTreeMap<String, Spanned<ClientSpec>>,
    /// Account fields to override (`fix.accounts.APP = { revoke = [] }`).
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<AccountSpec>>,
    /// User fields to override (`fix.users.alice = { expires = "+1h" }`).
    #[serde(default)]
    pub users: BTreeMap<String, Spanned<UserSpec>>,
    /// Auth endpoint fields to override (`[fix.auth-endpoint]`).
    pub auth_endpoint: Option<EndpointSpec>,
    /// Account server fields to override (`[fix.account-server]`).
    pub account_server: Option<AccountServerSpec>,
    /// The fixed server must refuse its config too (rare: a fix that is itself checked to fail).
    pub expect_refused: Option<Spanned<String>>,
    /// The server versions the fixed phase plays on (`versions = ">=2.12"`); on the others the
    /// file plays its broken phase alone: a fix that exists only from some release on (an option
    /// older releases refuse at start), in the same file as the failure every release shows.
    pub versions: Option<Spanned<super::VersionReq>>,
}
