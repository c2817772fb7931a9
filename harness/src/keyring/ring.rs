//! [`Keyring`]: the keys and JWTs of one phase, as placeholders and client credentials see them.

use std::collections::BTreeMap;

use super::issue::{IssueError, Issued, IssuedAccount, IssuedUser, issue};
use super::keys::{KeyKind, KeySet};
use crate::credentials::Identity;
use crate::render::{KeyPart, PlaceholderKey, Provider, Secrets};
use crate::spec::{Identities, now_f64};

/// The credentials of one phase: keys made once, JWTs issued at the phase's start and again by
/// each `reload-server` step that changes identities.
///
/// ```
/// use natsfault::keyring::Keyring;
/// use natsfault::render::{Secrets, render};
/// let scenario = natsfault::spec::load_str("x.toml".as_ref(), r#"
/// name = "n"
/// cause = "jwt-invalid"
/// summary = "s"
/// [operator]
/// [accounts.APP]
/// [users.alice]
/// account = "APP"
/// expires = "-1h"
/// [server]
/// config = 'operator: "{{operator.jwt}}"'
/// [clients.c]
/// creds = "alice"
/// [[steps]]
/// do = "connect"
/// client = "c"
/// expect = { error = "AuthorizationViolation" }
/// [fix]
/// summary = "f"
/// users.alice = { expires = "+1h" }
/// "#).unwrap();
/// let ring = Keyring::issue(&scenario.identities).unwrap();
/// let secrets = Secrets::new();
/// ring.register(&secrets);
/// let conf = render("{{resolver-preload}}", &[&ring]).unwrap();
/// assert!(conf.starts_with("resolver_preload: {"));
/// assert!(!secrets.redact(&conf).contains(ring.user("alice").unwrap().jwt.as_str()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    keys: KeySet,
    issued: Issued,
    /// When the first JWTs were issued; the operator JWT keeps this moment.
    first: f64,
}

impl Keyring {
    /// Makes the keys of `ids` and issues their JWTs now.
    pub fn issue(ids: &Identities) -> Result<Keyring, IssueError> {
        let mut keys = KeySet::default();
        let first = now_f64();
        let issued = issue(ids, &mut keys, first, first)?;
        Ok(Keyring { keys, issued, first })
    }

    /// Issues every JWT anew, now, from `ids` (the same names keep their keys, and the operator
    /// JWT stays the same).
    pub fn reissue(&mut self, ids: &Identities) -> Result<(), IssueError> {
        self.issued = issue(ids, &mut self.keys, now_f64(), self.first)?;
        Ok(())
    }

    /// Records every seed and JWT signature in `secrets`, so no report shows them.
    pub fn register(&self, secrets: &Secrets) {
        for seed in self.keys.seeds() {
            secrets.add(seed);
        }
        for sig in &self.issued.signatures {
            secrets.add(sig);
        }
    }

    /// A user JWT and its key pair.
    pub fn user(&self, name: &str) -> Option<&IssuedUser> {
        self.issued.users.get(name)
    }

    /// Every account as issued, by name.
    pub fn accounts(&self) -> &BTreeMap<String, IssuedAccount> {
        &self.issued.accounts
    }

    /// An account's own key pair (its seed signs user JWTs), if made.
    pub fn account_key(&self, name: &str) -> Option<&Identity> {
        self.keys.existing(KeyKind::Account, name)
    }

    /// The time zones the user JWTs name that nats-server reads from a zoneinfo database.
    pub fn zones(&self) -> impl Iterator<Item = &str> {
        self.issued.zones.iter().map(String::as_str)
    }

    /// An nkey user's key pair, if declared (and so made).
    pub fn nkey(&self, name: &str) -> Option<&Identity> {
        self.keys.existing(KeyKind::Nkey, name)
    }

    /// The `resolver_preload: { ... }` block of every account the resolver knows.
    pub fn resolver_preload(&self) -> Option<String> {
        self.issued.operator.as_ref()?;
        let mut s = String::from("resolver_preload: {\n");
        for a in self.issued.accounts.values().filter(|a| a.in_resolver) {
            s.push_str(&format!("  {}: \"{}\"\n", a.public, a.jwt));
        }
        s.push('}');
        Some(s)
    }

    /// The value of a placeholder, if it names something of this keyring.
    pub fn lookup(&self, key: PlaceholderKey<'_>) -> Option<String> {
        let i = &self.issued;
        match key {
            PlaceholderKey::OperatorJwt => i.operator.as_ref().map(|o| o.1.clone()),
            PlaceholderKey::OperatorPublic => i.operator.as_ref().map(|o| o.0.clone()),
            PlaceholderKey::SystemAccount => i.system_account.clone(),
            PlaceholderKey::ResolverPreload => self.resolver_preload(),
            PlaceholderKey::Account(name, KeyPart::Public) => i.accounts.get(name).map(|a| a.public.clone()),
            PlaceholderKey::Account(name, KeyPart::Jwt) => i.accounts.get(name).map(|a| a.jwt.clone()),
            PlaceholderKey::Account(_, KeyPart::Seed) => None,
            PlaceholderKey::User(name, part) => i.users.get(name).map(|u| match part {
                KeyPart::Public => u.public.clone(),
                KeyPart::Seed => u.seed.clone(),
                KeyPart::Jwt => u.jwt.clone(),
            }),
            PlaceholderKey::Nkey(name, KeyPart::Public) => self.nkey(name).map(|k| k.public_key().to_string()),
            PlaceholderKey::Nkey(name, KeyPart::Seed) => self.nkey(name).map(|k| k.seed().to_string()),
            // The phase's auth endpoint and account server fill these.
            PlaceholderKey::EndpointIssuer | PlaceholderKey::EndpointXkey | PlaceholderKey::AccountServerUrl => None,
            // The phase's PKI fills these.
            PlaceholderKey::Tls(..) | PlaceholderKey::Server(..) => None,
            PlaceholderKey::UserCreds(name) => self.user(name).map(|_| crate::topology::creds_file_name(name)),
            PlaceholderKey::UserCredsWithSeed(name, seed) => {
                self.user(name).and(self.user(seed)).map(|_| crate::topology::creds_with_seed_file_name(name, seed))
            }
            PlaceholderKey::Nkey(_, KeyPart::Jwt) | PlaceholderKey::Password(_) | PlaceholderKey::Token(_) => None,
        }
    }
}

impl Provider for Keyring {
    fn value(&self, key: &str) -> Option<String> {
        self.lookup(PlaceholderKey::parse(key).ok()?)
    }

    fn describe(&self) -> &'static str {
        "operator.jwt`, `system-account`, `resolver-preload`, `account.NAME.public|jwt`, `user.NAME.public|seed|jwt`, `nkey.NAME.public|seed"
    }
}
