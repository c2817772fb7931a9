//! `{{user.NAME.creds}}`: a user's creds file beside a server's config, for a leafnode remote's
//! `credentials`. The config names it relative to its own folder, which is the server's working
//! folder on both backends.

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

/// The creds files the config `text` (before rendering) names, issued from `ring`.
pub fn creds_files(text: &str, ring: &Keyring) -> Vec<ServerFile> {
    let mut out: Vec<ServerFile> = Vec::new();
    for found in find_placeholders(text) {
        let Some(Ok(PlaceholderKey::UserCreds(name))) = found.key.map(PlaceholderKey::parse) else { continue };
        let Some(user) = ring.user(name) else { continue };
        let file = creds_file_name(name);
        if out.iter().all(|f| f.name != file) {
            out.push(ServerFile { name: file, contents: format_creds(&user.jwt, &user.seed).into_bytes() });
        }
    }
    out
}
