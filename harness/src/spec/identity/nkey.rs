//! `[nkeys.NAME]`: an nkey user of config mode.

use serde::Deserialize;

/// An nkey user: a `U...` key pair, its public key for the server config
/// (`{{nkey.NAME.public}}`) and its seed for the client (`nkey-seed = "NAME"`).
///
/// ```toml
/// [nkeys.alice]
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NkeySpec {}
