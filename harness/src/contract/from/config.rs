//! A first contract written from what a config allows, for a team to review and commit: one
//! identity per user, `can` from the allow lists, `cannot` from the deny lists, the lines its
//! responses and imports promise between users, and a closing list of what the contract leaves
//! out and why (nkey users, operator mode without `--creds`, a link no two users fit).

use super::links::{Links, links};
use crate::natsconf::{Config, ConfigUser, SubjectRule};

/// A concrete subject inside `pattern` (`orders.*.>` becomes `orders.x.x`), for a publish line.
pub(super) fn concrete(pattern: &str) -> String {
    pattern.split('.').map(|t| if t == "*" || t == ">" { "x" } else { t }).collect::<Vec<_>>().join(".")
}

/// `name` as a contract identity's key (`[identities.KEY]`): letters, digits, `-` and `_`.
pub(super) fn identity_key(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

pub(super) fn quote_all(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  \"{l}\",\n")).collect()
}

fn rule_lines(rule: Option<&SubjectRule>, kind: &str, can: &mut Vec<String>, cannot: &mut Vec<String>) {
    let Some(rule) = rule else { return };
    // A subscribe entry with a queue group (`"orders.> workers"`) is a `queue` line.
    let line = |entry: &String| match (kind, entry.split_once(' ')) {
        ("publish", _) => format!("publish {}", concrete(entry)),
        (_, Some((subject, group))) => format!("queue {subject} {}", group.trim()),
        _ => format!("subscribe {entry}"),
    };
    can.extend(rule.allow.iter().flatten().map(line));
    cannot.extend(rule.deny.iter().flatten().map(line));
}

fn identity(u: &ConfigUser, config_name: &str, secrets_dir: &str, links: &Links) -> Option<String> {
    let name = u.user.clone()?;
    let mut can = Vec::new();
    let mut cannot = Vec::new();
    if let Some(p) = &u.permissions {
        rule_lines(p.publish.as_ref(), "publish", &mut can, &mut cannot);
        rule_lines(p.subscribe.as_ref(), "subscribe", &mut can, &mut cannot);
    }
    // What its responses and its account's imports promise between users.
    can.extend(links.can.get(&name).into_iter().flatten().cloned());
    cannot.extend(links.cannot.get(&name).into_iter().flatten().cloned());
    let key = identity_key(&name);
    let jetstream: Vec<&String> = u
        .permissions
        .iter()
        .flat_map(|p| p.publish.iter())
        .flat_map(|r| r.allow.iter().flatten())
        .filter(|s| s.starts_with("$JS.") || s.starts_with("$KV.") || s.starts_with("$O."))
        .collect();
    let mut out =
        format!("# {config_name}: user `{name}` of account `{}` ({})\n", u.account.as_deref().unwrap_or("$G"), u.at);
    if !jetstream.is_empty() {
        out.push_str("# its JetStream grants are publish lines below; `request $JS.API.INFO` checks the API answers\n");
    }
    out.push_str(&format!(
        "[identities.{key}]\nuser = \"{name}\"\n# the password of `{name}`, one line, in this file (keep it out of the repository)\npassword-file = \"{secrets_dir}/{key}.pass\"\n"
    ));
    if can.is_empty() && cannot.is_empty() {
        out.push_str("# no permissions: everything is allowed; state what this service needs\ncan = [\"connect\"]\n");
    } else {
        out.push_str(&format!("can = [\n{}]\ncannot = [\n{}]\n", quote_all(&can), quote_all(&cannot)));
    }
    Some(out)
}

/// The contract text: a header naming the config, then one `[identities.NAME]` per user with a
/// name (nkey-only users are listed in a comment).
///
/// ```
/// use natsfault::natsconf::{Config, ParseOptions};
/// let text = "authorization { users: [ {user: orders, password: p, permissions: {
///     publish: { allow: [\"orders.>\"], deny: [\"orders.secret\"] }, subscribe: \"orders.*\" } } ] }";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let contract = natsfault::contract::contract_from_config(&config, "nats.conf");
/// assert!(contract.contains("\"publish orders.x\""));
/// assert!(contract.contains("cannot = [\n  \"publish orders.secret\""));
/// # Ok::<(), natsfault::natsconf::ConfError>(())
/// ```
pub fn contract_from_config(config: &Config, config_name: &str) -> String {
    contract_from_config_in(config, config_name, "secrets")
}

/// [`contract_from_config`] with the folder, relative to the contract, that holds one password
/// file per user (`contract --from-config --secrets-dir`).
///
/// ```
/// use natsfault::natsconf::{Config, ParseOptions};
/// let text = "accounts { A { users: [ {user: svc, password: p, permissions: { publish: \"a.>\", allow_responses: { max: 2 } } } ],
///   exports: [ { service: \"a.>\" } ] } }\noperator: \"op.jwt\"";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let contract = natsfault::contract::contract_from_config_in(&config, "nats.conf", "deploy/pass");
/// assert!(contract.contains("password-file = \"deploy/pass/svc.pass\""));
/// // Nobody here may request what `svc` answers: its `reply` lines are left to state by hand.
/// assert!(contract.contains("user `svc` answers with `allow_responses`"));
/// assert!(contract.contains("operator mode"));
/// # Ok::<(), natsfault::natsconf::ConfError>(())
/// ```
pub fn contract_from_config_in(config: &Config, config_name: &str, secrets_dir: &str) -> String {
    contract_from_config_with(config, config_name, secrets_dir, &[]).unwrap_or_default()
}

/// [`contract_from_config_in`] with creds files the user points at (`contract --creds PATH`),
/// each `(path as the contract names it, its text)`: in operator mode the users are in JWTs, and
/// each creds file becomes an identity with the permissions of its JWT.
///
/// ```
/// use natsfault::natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("operator: \"op.jwt\"\nresolver: MEMORY", "nats.conf", &ParseOptions::default())?;
/// let err = natsfault::contract::contract_from_config_with(&config, "nats.conf", "secrets", &[("x.creds".into(), "not creds".into())]);
/// assert!(err.unwrap_err().to_string().starts_with("creds file `x.creds`: expected a creds file"));
/// # Ok::<(), natsfault::natsconf::ConfError>(())
/// ```
pub fn contract_from_config_with(
    config: &Config,
    config_name: &str,
    secrets_dir: &str,
    creds: &[(String, String)],
) -> Result<String, super::creds::CredsIdentityError> {
    let mut out = format!(
        "# A first contract for `{config_name}`, written from what the config allows: review each\n\
         # line (keep what your services need, add what must stay refused), put each password in\n\
         # its file, and commit it. Check it with: natsfault verify --config {config_name} --contract THIS\n\
         config = \"{config_name}\"\n"
    );
    let links = links(config);
    let mut left = Vec::new();
    for u in config.users() {
        match identity(&u, config_name, secrets_dir, &links) {
            Some(block) => {
                out.push('\n');
                out.push_str(&block);
            }
            None => {
                left.push(format!("an nkey user at {}: add it as an identity with `nkey-seed-file = \"...\"`", u.at))
            }
        }
    }
    for (path, text) in creds {
        let (block, more) = super::creds::creds_identity(path, text, config)?;
        out.push('\n');
        out.push_str(&block);
        left.extend(more);
    }
    left.extend(links.left);
    if !config.operators().is_empty() && creds.is_empty() {
        left.push(
            "operator mode: its users are in JWTs, not in the config; name each service's creds file with \
             `--creds PATH` (or add it as an identity with `creds-file = \"...\"` and its lines)"
                .into(),
        );
    }
    if !left.is_empty() {
        out.push_str("\n# Left out of this contract, to state by hand:\n");
        for l in left {
            out.push_str(&format!("# - {l}\n"));
        }
    }
    Ok(out)
}
