//! Nkey users: the public key goes in the server config, the seed to the
//! client, which signs the server's nonce with it.
//!
//! Nkey users live in config mode (`authorization { users: [{nkey: U...}] }`
//! or an account's `users`), not in operator mode.

use super::keys::{Identity, Role, user};

/// A user authenticated by nkey alone (no JWT).
#[derive(Debug, Clone)]
pub struct NkeyUser {
    identity: Identity,
}

impl NkeyUser {
    /// A new nkey user with a fresh `U...` key.
    pub fn generate() -> NkeyUser {
        NkeyUser { identity: user() }
    }

    /// Wraps an existing user identity.
    ///
    /// # Panics
    /// If `identity` is not a user key.
    pub fn from_identity(identity: Identity) -> NkeyUser {
        assert_eq!(identity.role(), Role::User, "an nkey user needs a user key");
        NkeyUser { identity }
    }

    /// The public key (`U...`) for the server config.
    pub fn public_key(&self) -> &str {
        self.identity.public_key()
    }

    /// The seed (`SU...`) for the client (`ConnectOptions::with_nkey`).
    pub fn seed(&self) -> &str {
        self.identity.seed()
    }

    /// The underlying identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The user entry for a config `users` list: `{nkey: "U..."}`.
    pub fn config_entry(&self) -> String {
        format!("{{nkey: \"{}\"}}", self.public_key())
    }

    /// The user entry with permissions, e.g.
    /// `{nkey: "U...", permissions: {publish: ["a"]}}`; `permissions` is
    /// inserted verbatim.
    pub fn config_entry_with_permissions(&self, permissions: &str) -> String {
        format!("{{nkey: \"{}\", permissions: {permissions}}}", self.public_key())
    }
}

/// An `authorization { users: [...] }` block for these nkey users.
pub fn authorization_block(users: &[&NkeyUser]) -> String {
    let entries: Vec<String> = users.iter().map(|u| format!("    {}", u.config_entry())).collect();
    format!("authorization {{\n  users: [\n{}\n  ]\n}}\n", entries.join("\n"))
}

/// Defect: the user's seed where the config wants its public key. The
/// server refuses to start: `<file>:L:C: Not a valid public nkey for a user`.
pub fn seed_in_place_of_public_key(user: &NkeyUser) -> String {
    format!("{{nkey: \"{}\"}}", user.seed())
}

/// Defect: a seed of another user, for a client that signs the nonce with
/// the wrong key. The server logs `Signature not verified` only when the
/// client announces this user's public key; async-nats announces the key of
/// the seed it holds, which the server does not know (no signature check).
pub fn wrong_seed_for(_user: &NkeyUser) -> String {
    NkeyUser::generate().seed().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_entries() {
        let u = NkeyUser::generate();
        assert_eq!(u.config_entry(), format!("{{nkey: \"{}\"}}", u.public_key()));
        assert!(seed_in_place_of_public_key(&u).contains("\"SU"));
        let block = authorization_block(&[&u]);
        assert!(block.contains(u.public_key()) && !block.contains(u.seed()));
        let other = wrong_seed_for(&u);
        assert!(other.starts_with("SU") && other != u.seed());
    }
}
