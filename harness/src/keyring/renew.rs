//! A user JWT issued anew at every connect: what a client with `renew-jwt` hands async-nats'
//! auth callback, as an application renews a short-lived JWT before each connect.

use std::sync::{Arc, Mutex};

use super::ring::Keyring;
use crate::client::JwtSource;
use crate::spec::Identities;

/// Issues `user`'s JWT from `ids` at each call, with the keys of `ring` (the same account key
/// signs it, so the server keeps trusting it), its times (`expires`, `not-before`, connect
/// `times`) relative to that moment.
///
/// ```
/// use natsfault::keyring::{Keyring, renewer};
/// let scenario = natsfault::spec::load_str("x.toml".as_ref(), r#"
/// name = "n"
/// cause = "jwt-invalid"
/// summary = "s"
/// [operator]
/// [accounts.APP]
/// [users.alice]
/// account = "APP"
/// expires = "+2s"
/// [server]
/// config = 'operator: "{{operator.jwt}}"'
/// [clients.c]
/// jwt = "alice"
/// [[steps]]
/// do = "connect"
/// client = "c"
/// expect = { error = "AuthorizationViolation" }
/// [fix]
/// summary = "f"
/// clients.c = { jwt = "alice", renew-jwt = true }
/// "#).unwrap();
/// let ids = &scenario.identities;
/// let ring = Keyring::issue(ids).unwrap();
/// let issue = renewer(&ring, ids, "alice");
/// let (first, seed) = issue().unwrap();
/// assert_eq!(seed, ring.user("alice").unwrap().seed);
/// assert!(issue().is_ok_and(|(jwt, _)| jwt.split('.').count() == 3 && !first.is_empty()));
/// assert!(renewer(&ring, ids, "nobody")().is_err());
/// ```
pub fn renewer(ring: &Keyring, ids: &Identities, user: &str) -> JwtSource {
    let ring = Mutex::new(ring.clone());
    let (ids, user) = (ids.clone(), user.to_string());
    Arc::new(move || {
        let mut ring = ring.lock().unwrap_or_else(|p| p.into_inner());
        ring.reissue(&ids).map_err(|e| format!("issue the JWT of `{user}` anew: {e}"))?;
        let u = ring.user(&user).ok_or_else(|| format!("no user `{user}` to issue a JWT for"))?;
        Ok((u.jwt.clone(), u.seed.clone()))
    })
}
