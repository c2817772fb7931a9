//! The permission that decides a line, in the config's own terms and position
//! (`publish.deny` `orders.>` at `nats.conf:42:7`), or the user JWT's for a creds file.

use crate::credentials::{UserClaims, decode, parse_creds};
use crate::natsconf::{Config, ConfigUser, Location, Map, SubjectRule};

use super::model::ContractIdentity;
use super::subject_match::{subject_within, subjects_overlap};

/// Who an identity is on the server: the config's user entry, or the user JWT of its creds file.
#[derive(Clone, Debug)]
pub(crate) struct Who {
    /// `user `orders` of account `APP` (nats.conf:12:5)`.
    pub(crate) describe: String,
    /// The account (`$G` for users of `authorization`).
    pub(crate) account: Option<String>,
    publish: Option<SubjectRule>,
    subscribe: Option<SubjectRule>,
    /// Where the permissions are, to search for a subject's own position.
    at: Option<Location>,
    /// `nats.conf:10:3` or the creds file, for the permissions as a whole.
    where_: String,
}

/// Finds the identity in the config (by user name, or by the nkey of its seed) or reads its
/// creds file's JWT.
pub(crate) fn who(config: &Config, id: &ContractIdentity) -> Option<Who> {
    if let Some(path) = &id.creds_file {
        let text = std::fs::read_to_string(path).ok()?;
        let (jwt, _) = parse_creds(&text).ok()?;
        let claims: UserClaims = decode(&jwt).ok()?.claims_as().ok()?;
        let rule = |p: &crate::credentials::Permission| {
            (!p.allow.is_empty() || !p.deny.is_empty()).then(|| SubjectRule {
                allow: (!p.allow.is_empty()).then(|| p.allow.clone()),
                deny: (!p.deny.is_empty()).then(|| p.deny.clone()),
            })
        };
        let account = if claims.nats.issuer_account.is_empty() {
            claims.data.iss.clone()
        } else {
            claims.nats.issuer_account.clone()
        };
        // The line of the creds file that holds the JWT deciding the permissions.
        let line = text.lines().position(|l| l.trim() == jwt.trim()).map_or(1, |i| i + 1);
        let at = format!("{}:{line}", path.display());
        return Some(Who {
            describe: format!("the user JWT at `{at}` (account `{account}`)"),
            account: Some(account),
            publish: rule(&claims.nats.permissions.publish),
            subscribe: rule(&claims.nats.permissions.subscribe),
            at: None,
            where_: at,
        });
    }
    let public = id.nkey_seed.as_ref().and_then(|s| nkeys::KeyPair::from_seed(s).ok()).map(|k| k.public_key());
    // A client without credentials becomes `no_auth_user`.
    if id.user.is_none() && public.is_none() && id.token.is_none() {
        let nau = config.no_auth_user()?;
        let user = config.users().into_iter().find(|u| u.user.as_deref() == Some(nau.value.as_str()))?;
        let mut w = from_user(&user);
        w.describe = format!("`no_auth_user` `{}` ({}), {}", nau.value, nau.at, w.describe);
        return Some(w);
    }
    let user = config.users().into_iter().find(|u| match (&id.user, &public) {
        (Some(name), _) => u.user.as_ref() == Some(name),
        (None, Some(key)) => u.nkey.as_ref() == Some(key),
        _ => false,
    })?;
    Some(from_user(&user))
}

pub(crate) fn from_user(u: &ConfigUser) -> Who {
    let name = u.user.clone().or_else(|| u.nkey.clone()).unwrap_or_default();
    let account = u.account.clone().unwrap_or_else(|| "$G".into());
    let perms = u.permissions.as_ref();
    Who {
        describe: format!("user `{name}` of account `{account}` ({})", u.at),
        account: Some(account),
        publish: perms.and_then(|p| p.publish.clone()),
        subscribe: perms.and_then(|p| p.subscribe.clone()),
        at: perms.map(|p| p.at.clone()),
        where_: perms.map_or_else(|| u.at.to_string(), |p| p.at.to_string()),
    }
}

/// Where the config lists `subject` at or after the permissions' position; the permissions'
/// own position when the text is not found there.
fn position(who: &Who, subject: &str) -> String {
    let Some(at) = &who.at else { return who.where_.clone() };
    let Ok(text) = std::fs::read_to_string(&at.file) else { return who.where_.clone() };
    for (i, line) in text.lines().enumerate().skip(at.line.saturating_sub(1) as usize).take(60) {
        for quoted in [format!("\"{subject}\""), format!("'{subject}'"), subject.to_string()] {
            if let Some(col) = line.find(&quoted) {
                let col = line[..col].chars().count() + 1;
                return format!("{}:{}:{col}", at.file.display(), i + 1);
            }
        }
    }
    who.where_.clone()
}

/// Why `who` may or may not `kind` (`publish` or `subscribe`) on `subject`: the deny or allow
/// entry that decides, with its position.
pub(crate) fn decide(who: &Who, kind: &str, subject: &str) -> (bool, String) {
    let rule = if kind == "publish" { who.publish.as_ref() } else { who.subscribe.as_ref() };
    let Some(rule) = rule else {
        return (true, format!("{} has no `{kind}` permissions ({}): everything is allowed", who.describe, who.where_));
    };
    let hits = |p: &&String| if kind == "publish" { subject_within(subject, p) } else { subjects_overlap(subject, p) };
    if let Some(d) = rule.deny.iter().flatten().find(hits) {
        return (false, format!("`{kind}.deny` `{d}` of {} at {} refuses it", who.describe, position(who, d)));
    }
    match &rule.allow {
        None => (true, format!("`{kind}` of {} ({}) has no allow list and no deny matches", who.describe, who.where_)),
        Some(allow) => match allow.iter().find(|a| subject_within(subject, a)) {
            Some(a) => (true, format!("`{kind}.allow` `{a}` of {} at {} allows it", who.describe, position(who, a))),
            None => (
                false,
                format!(
                    "`{kind}.allow` of {} at {} lists only {}",
                    who.describe,
                    allow.first().map_or_else(|| who.where_.clone(), |a| position(who, a)),
                    allow.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                ),
            ),
        },
    }
}

/// Why the identity could not connect, or could.
pub(crate) fn connect(config: &Config, id: &ContractIdentity, who: Option<&Who>, connected: bool) -> String {
    match (who, connected) {
        (Some(w), true) => format!("{} accepts it", w.describe),
        (Some(w), false) => match missing_from_preload(config, w) {
            Some(why) => why,
            None => format!("{} exists, but the server refused these credentials", w.describe),
        },
        (None, _) if id.user.is_none() && id.creds_file.is_none() && id.nkey_seed.is_none() && id.token.is_none() => {
            "the identity has no credentials and the config has no `no_auth_user` for such clients".to_string()
        }
        (None, _) => {
            let name = id.user.clone().unwrap_or_else(|| id.name.clone());
            let users = config.users();
            let places: Vec<String> = users.iter().take(3).map(|u| u.at.to_string()).collect();
            if places.is_empty() {
                format!("the config has no user `{name}`")
            } else {
                format!("the config has no user `{name}` (its users are at {})", places.join(", "))
            }
        }
    }
}

/// Where `account`'s JetStream limits are in the config: its `jetstream` entry, or the account
/// itself when it has none (JetStream is then not enabled for it).
pub(crate) fn jetstream_limits(config: &Config, account: Option<&str>) -> String {
    let Some(account) = account else { return "JetStream is not enabled for the global account `$G`".into() };
    let Some(pair) = accounts(config).and_then(|m| m.get_ci(account)) else {
        return format!("account `{account}` has no `jetstream` limits in the config");
    };
    match pair.value.resolved().as_map().and_then(|m| m.get_ci("jetstream")) {
        Some(js) => format!("the `jetstream` limits of account `{account}` at {}", config.location(js.key_at)),
        None => format!("account `{account}` at {} has no `jetstream` entry", config.location(pair.key_at)),
    }
}

/// The `accounts { ... }` map of the config, as written.
pub(crate) fn accounts(config: &Config) -> Option<&Map> {
    config.root().get_ci("accounts").and_then(|p| p.value.resolved().as_map())
}

/// Where the config's `resolver_preload` is, when it has one and `account` is not among its
/// accounts (the server then knows no such account).
pub(crate) fn preload_lacks(config: &Config, account: &str) -> Option<Location> {
    let preload = config.root().get_ci("resolver_preload")?;
    let known = config.resolver_preload().iter().any(|e| e.account == account);
    (!known).then(|| config.location(preload.key_at))
}

/// Operator mode with a `resolver_preload`: the account of a creds identity's JWT is not among
/// the preloaded accounts.
fn missing_from_preload(config: &Config, who: &Who) -> Option<String> {
    let at = preload_lacks(config, who.account.as_deref()?)?;
    Some(format!(
        "{}: the account is not in `resolver_preload` at {at}, so the server knows no such account",
        who.describe
    ))
}

/// Where `importer`'s imports are (or that it has none), to point at the entry a cross-account
/// line needs: `; account `SHOP` at accounts.conf:2:3 imports nothing`.
pub(crate) fn imports_of(config: &Config, importer: Option<&str>, exporter: Option<&str>) -> String {
    let (Some(accounts), Some(importer), Some(exporter)) = (accounts(config), importer, exporter) else {
        return String::new();
    };
    let Some(pair) = accounts.get_ci(importer) else { return String::new() };
    match pair.value.resolved().as_map().and_then(|m| m.get_ci("imports")) {
        Some(i) if names_account(&i.value, exporter) => format!(
            "; the imports of account `{importer}` at {} name `{exporter}`, but not this subject",
            config.location(i.key_at)
        ),
        Some(i) => format!(
            "; the imports of account `{importer}` at {} import nothing from `{exporter}`",
            config.location(i.key_at)
        ),
        None => format!("; account `{importer}` at {} imports nothing", config.location(pair.key_at)),
    }
}

/// Whether an `imports` value has an entry whose `account` is `account`.
fn names_account(node: &crate::natsconf::Node, account: &str) -> bool {
    use crate::natsconf::{Entry, Value};
    match &node.resolved().value {
        Value::Array(items) => items.iter().any(|n| names_account(n, account)),
        Value::Map(map) => map.entries.iter().any(|e| match e {
            Entry::Pair(p) if p.key.eq_ignore_ascii_case("account") => p.value.resolved().as_str() == Some(account),
            Entry::Pair(p) => names_account(&p.value, account),
            _ => false,
        }),
        _ => false,
    }
}
