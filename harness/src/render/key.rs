//! The placeholder names a scenario may use, parsed once so that loading (which checks names)
//! and rendering (which fills them) agree.

use std::ops::Range;

/// Every placeholder shape, for messages.
pub const PLACEHOLDER_SHAPES: &str = "`password.NAME`, `token.NAME`, `operator.jwt`, `operator.public`, `system-account`, \
`resolver-preload`, `account.NAME.public|jwt`, `user.NAME.public|seed|jwt`, `nkey.NAME.public|seed`, \
`auth-endpoint.issuer`, `auth-endpoint.xkey`, `account-server.url`, \
`tls.ca.NAME`, `tls.server.NAME.cert|key`, `tls.client.NAME.cert|key|subject`, \
`servers.NAME.host|port|url|cluster-port|cluster-url|leafnode-port|leafnode-url|gateway-port|gateway-url|websocket-port|websocket-url`, `user.NAME.creds`, `user.NAME.creds-with-seed.OTHER`";

/// The fields of `{{servers.NAME.FIELD}}`.
pub const SERVER_FIELDS: &[&str] = &[
    "host",
    "port",
    "url",
    "cluster-port",
    "cluster-url",
    "leafnode-port",
    "leafnode-url",
    "gateway-port",
    "gateway-url",
    "websocket-port",
    "websocket-url",
];

/// The part of an identity a placeholder asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPart {
    /// The public key (`O...`, `A...`, `U...`).
    Public,
    /// The seed (`SU...`): a secret.
    Seed,
    /// The signed JWT.
    Jwt,
}

impl KeyPart {
    fn parse(s: &str) -> Option<KeyPart> {
        match s {
            "public" => Some(KeyPart::Public),
            "seed" => Some(KeyPart::Seed),
            "jwt" => Some(KeyPart::Jwt),
            _ => None,
        }
    }
}

/// A parsed placeholder name.
///
/// ```
/// use natsfault::render::{KeyPart, PlaceholderKey};
/// assert_eq!(PlaceholderKey::parse("nkey.alice.seed"), Ok(PlaceholderKey::Nkey("alice", KeyPart::Seed)));
/// assert_eq!(PlaceholderKey::parse("resolver-preload"), Ok(PlaceholderKey::ResolverPreload));
/// assert!(PlaceholderKey::parse("nkey.alice.jwt").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceholderKey<'a> {
    /// `password.NAME`: a generated password.
    Password(&'a str),
    /// `token.NAME`: a generated token.
    Token(&'a str),
    /// `operator.jwt`.
    OperatorJwt,
    /// `operator.public`.
    OperatorPublic,
    /// `system-account`: the system account's public key.
    SystemAccount,
    /// `resolver-preload`: a whole `resolver_preload { ... }` block.
    ResolverPreload,
    /// `account.NAME.public` or `account.NAME.jwt`.
    Account(&'a str, KeyPart),
    /// `user.NAME.public`, `.seed` or `.jwt`.
    User(&'a str, KeyPart),
    /// `nkey.NAME.public` or `.seed`.
    Nkey(&'a str, KeyPart),
    /// `auth-endpoint.issuer`: the public key (`A...`) of the account that signs the bridge's
    /// responses, for `auth_callout { issuer }`.
    EndpointIssuer,
    /// `auth-endpoint.xkey`: the curve public key (`X...`) for `auth_callout { xkey }`.
    EndpointXkey,
    /// `account-server.url`: the base URL of the mocked account server, for
    /// `resolver: URL(...)`.
    AccountServerUrl,
    /// `tls.ca.NAME`, `tls.server.NAME.cert|key`, `tls.client.NAME.cert|key|subject`: a file of
    /// the run's PKI (kind, name, part; a CA's part is `cert`), or a client's subject.
    Tls(&'a str, &'a str, &'a str),
    /// `servers.NAME.FIELD`: an address of a server of the topology.
    Server(&'a str, &'a str),
    /// `user.NAME.creds`: the file name of a user's creds file beside a server's config.
    UserCreds(&'a str),
    /// `user.NAME.creds-with-seed.OTHER`: the file name of a creds file with NAME's JWT and
    /// OTHER's seed, beside a server's config.
    UserCredsWithSeed(&'a str, &'a str),
}

/// Why a placeholder name is not one of [`PLACEHOLDER_SHAPES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder `{{{{{0}}}}}`; expected one of {PLACEHOLDER_SHAPES}")]
pub struct PlaceholderKeyError(pub String);

impl<'a> PlaceholderKey<'a> {
    /// Parses a name such as `account.APP.jwt` (without the braces).
    pub fn parse(key: &'a str) -> Result<PlaceholderKey<'a>, PlaceholderKeyError> {
        let err = || PlaceholderKeyError(key.to_string());
        match key {
            "operator.jwt" => return Ok(PlaceholderKey::OperatorJwt),
            "operator.public" => return Ok(PlaceholderKey::OperatorPublic),
            "system-account" => return Ok(PlaceholderKey::SystemAccount),
            "resolver-preload" => return Ok(PlaceholderKey::ResolverPreload),
            "auth-endpoint.issuer" => return Ok(PlaceholderKey::EndpointIssuer),
            "auth-endpoint.xkey" => return Ok(PlaceholderKey::EndpointXkey),
            "account-server.url" => return Ok(PlaceholderKey::AccountServerUrl),
            _ => {}
        }
        let (ns, rest) = key.split_once('.').ok_or_else(err)?;
        if ns == "tls" {
            return parse_tls(rest).ok_or_else(err);
        }
        if ns == "servers" {
            let (name, field) = rest.rsplit_once('.').ok_or_else(err)?;
            return (!name.is_empty() && SERVER_FIELDS.contains(&field))
                .then_some(PlaceholderKey::Server(name, field))
                .ok_or_else(err);
        }
        if let ("user", Some((name, seed))) = (ns, rest.split_once(".creds-with-seed."))
            && !name.is_empty()
            && !seed.is_empty()
        {
            return Ok(PlaceholderKey::UserCredsWithSeed(name, seed));
        }
        if let ("user", Some(name)) = (ns, rest.strip_suffix(".creds"))
            && !name.is_empty()
        {
            return Ok(PlaceholderKey::UserCreds(name));
        }
        if rest.is_empty() {
            return Err(err());
        }
        match ns {
            "password" => return Ok(PlaceholderKey::Password(rest)),
            "token" => return Ok(PlaceholderKey::Token(rest)),
            _ => {}
        }
        let (name, part) = rest.rsplit_once('.').ok_or_else(err)?;
        let part = KeyPart::parse(part).ok_or_else(err)?;
        if name.is_empty() {
            return Err(err());
        }
        match (ns, part) {
            ("account", KeyPart::Public | KeyPart::Jwt) => Ok(PlaceholderKey::Account(name, part)),
            ("user", _) => Ok(PlaceholderKey::User(name, part)),
            ("nkey", KeyPart::Public | KeyPart::Seed) => Ok(PlaceholderKey::Nkey(name, part)),
            _ => Err(err()),
        }
    }
}

/// The part after `tls.`.
fn parse_tls(rest: &str) -> Option<PlaceholderKey<'_>> {
    if let Some(name) = rest.strip_prefix("ca.") {
        return (!name.is_empty()).then_some(PlaceholderKey::Tls("ca", name, "cert"));
    }
    let (kind, rest) = rest.split_once('.')?;
    let (name, part) = rest.rsplit_once('.')?;
    let ok = match kind {
        "server" => matches!(part, "cert" | "key"),
        "client" => matches!(part, "cert" | "key" | "subject"),
        _ => false,
    };
    (ok && !name.is_empty()).then_some(PlaceholderKey::Tls(kind, name, part))
}

/// One `{{...}}` in a text: its byte range (braces included) and the trimmed name inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<'a> {
    /// Where, braces included.
    pub range: Range<usize>,
    /// The name, trimmed; `None` when the placeholder is not closed.
    pub key: Option<&'a str>,
}

/// Every placeholder in `text`, in order; an unclosed one ends the list.
///
/// ```
/// let found = natsfault::render::find_placeholders("a {{ token.x }} b {{oops");
/// assert_eq!(found[0].key, Some("token.x"));
/// assert_eq!(found[0].range, 2..15);
/// assert_eq!(found[1].key, None);
/// ```
pub fn find_placeholders(text: &str) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..].find("{{").map(|i| at + i) {
        match text[start + 2..].find("}}") {
            Some(len) => {
                let end = start + 2 + len + 2;
                out.push(Found { range: start..end, key: Some(text[start + 2..start + 2 + len].trim()) });
                at = end;
            }
            None => {
                out.push(Found { range: start..text.len(), key: None });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_creds_file_with_another_users_seed() {
        assert_eq!(
            PlaceholderKey::parse("user.leaf.creds-with-seed.other"),
            Ok(PlaceholderKey::UserCredsWithSeed("leaf", "other"))
        );
        // A seed user whose name ends like the plain form is still the seed user.
        assert_eq!(
            PlaceholderKey::parse("user.leaf.creds-with-seed.x.creds"),
            Ok(PlaceholderKey::UserCredsWithSeed("leaf", "x.creds"))
        );
        assert_eq!(PlaceholderKey::parse("user.leaf.creds"), Ok(PlaceholderKey::UserCreds("leaf")));
        assert!(PlaceholderKey::parse("user.leaf.creds-with-seed.").is_err());
    }
}
