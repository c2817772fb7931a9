//! `auth-callback = { ... }`: a client that builds its CONNECT credentials in async-nats'
//! auth callback, so it can announce one key and sign with another.

use serde::Deserialize;

/// What an async-nats `ConnectOptions::with_auth_callback` callback returns. Every value is text
/// with placeholders, so a scenario can put any key, seed or JWT anywhere.
///
/// ```toml
/// [clients.app]
/// # announces alice's public key but signs the nonce with mallory's seed
/// auth-callback = { nkey = "{{nkey.alice.public}}", sign-with = "{{nkey.mallory.seed}}" }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuthCallbackSpec {
    /// The `nkey` sent in CONNECT.
    pub nkey: Option<String>,
    /// The `jwt` sent in CONNECT.
    pub jwt: Option<String>,
    /// A seed that signs the server's nonce (the `sig` in CONNECT). A value that is not a seed
    /// makes the callback fail, which async-nats reports as `Authentication`.
    pub sign_with: Option<String>,
}
