//! `{{user.NAME.creds}}`: a user's creds file beside a server's config, for a leafnode remote's
//! `credentials`; `{{user.NAME.creds-with-seed.OTHER}}` the same file with OTHER's seed. The
//! config names it relative to its own folder, which is the server's working folder on both
//! backends.

use crate::backend::ServerFile;
use crate::credentials::format_creds;
use crate::keyring::Keyring;
use crate::render::{PlaceholderKey, find_placeholders};

/// The file name `{{user.NAME.creds}}` becomes.
///
/// ```
/// assert_eq!(natsfault::topology::creds_file_name("leaf"), "user-leaf.creds");
/// ```
pub fn creds_file_name(user: &str) -> String {
    format!("user-{user}.creds")
}

/// The file name `{{user.NAME.creds-with-seed.OTHER}}` becomes.
///
/// ```
/// assert_eq!(natsfault::topology::creds_with_seed_file_name("leaf", "other"), "user-leaf.seed-of-other.creds");
/// ```
pub fn creds_with_seed_file_name(user: &str, seed: &str) -> String {
    format!("user-{user}.seed-of-{seed}.creds")
}

/// The creds files the config `text` (before rendering) names, issued from `ring`.
pub fn creds_files(text: &str, ring: &Keyring) -> Vec<ServerFile> {
    let mut out: Vec<ServerFile> = Vec::new();
    for found in find_placeholders(text) {
        let (file, jwt_user, seed_user) = match found.key.map(PlaceholderKey::parse) {
            Some(Ok(PlaceholderKey::UserCreds(name))) => (creds_file_name(name), name, name),
            Some(Ok(PlaceholderKey::UserCredsWithSeed(name, seed))) => {
                (creds_with_seed_file_name(name, seed), name, seed)
            }
            _ => continue,
        };
        let (Some(jwt), Some(seed)) = (ring.user(jwt_user), ring.user(seed_user)) else { continue };
        if out.iter().all(|f| f.name != file) {
            out.push(ServerFile { name: file, contents: format_creds(&jwt.jwt, &seed.seed).into_bytes() });
        }
    }
    out
}
