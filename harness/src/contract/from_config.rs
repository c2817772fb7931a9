//! A first contract written from what a config allows, for a team to review and commit: one
//! identity per user, `can` from the allow lists, `cannot` from the deny lists, and a closing
//! list of what the contract leaves out and why (responses, imports and exports, nkey users,
//! operator mode).

use crate::natsconf::{AllowResponses, Config, ConfigUser, Entry, SubjectRule, Value};

/// A concrete subject inside `pattern` (`orders.*.>` becomes `orders.x.x`), for a publish line.
pub(super) fn concrete(pattern: &str) -> String {
    pattern.split('.').map(|t| if t == "*" || t == ">" { "x" } else { t }).collect::<Vec<_>>().join(".")
}

fn quote_all(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  \"{l}\",\n")).collect()
}

fn rule_lines(rule: Option<&SubjectRule>, kind: &str, can: &mut Vec<String>, cannot: &mut Vec<String>) {
    let Some(rule) = rule else { return };
    for a in rule.allow.iter().flatten() {
        can.push(if kind == "publish" { format!("publish {}", concrete(a)) } else { format!("subscribe {a}") });
    }
    for d in rule.deny.iter().flatten() {
        cannot.push(if kind == "publish" { format!("publish {}", concrete(d)) } else { format!("subscribe {d}") });
    }
}

fn identity(u: &ConfigUser, config_name: &str, secrets_dir: &str, left: &mut Vec<String>) -> Option<String> {
    let name = u.user.clone()?;
    if let Some(r) = u.permissions.as_ref().and_then(|p| p.allow_responses.as_ref()) {
        let limits = match r {
            AllowResponses::Defaults => "one reply per request within 2 minutes".to_string(),
            AllowResponses::Limits { max, expires } => format!(
                "{} repl{} per request{}",
                max.unwrap_or(1),
                if max.unwrap_or(1) == 1 { "y" } else { "ies" },
                expires.as_ref().map(|e| format!(" within {e}")).unwrap_or_default()
            ),
        };
        left.push(format!(
            "user `{name}` answers with `allow_responses` ({limits}) ({}): a contract checks it as the senders' `request SUBJECT -> {name}` lines",
            u.at
        ));
    }
    let mut can = Vec::new();
    let mut cannot = Vec::new();
    if let Some(p) = &u.permissions {
        rule_lines(p.publish.as_ref(), "publish", &mut can, &mut cannot);
        rule_lines(p.subscribe.as_ref(), "subscribe", &mut can, &mut cannot);
    }
    let key: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
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
/// assert!(contract.contains("2 replies per request"));
/// assert!(contract.contains("exports 1"));
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
) -> Result<String, super::from_creds::CredsIdentityError> {
    let mut out = format!(
        "# A first contract for `{config_name}`, written from what the config allows: review each\n\
         # line (keep what your services need, add what must stay refused), put each password in\n\
         # its file, and commit it. Check it with: natsfault verify --config {config_name} --contract THIS\n\
         config = \"{config_name}\"\n"
    );
    let mut left = Vec::new();
    for u in config.users() {
        match identity(&u, config_name, secrets_dir, &mut left) {
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
        let (block, more) = super::from_creds::creds_identity(path, text, config)?;
        out.push('\n');
        out.push_str(&block);
        left.extend(more);
    }
    left.extend(imports_and_exports(config));
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

/// One line per account that imports or exports, with the count and where.
fn imports_and_exports(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let Some(accounts) = config.root().get_ci("accounts").and_then(|p| p.value.resolved().as_map()) else {
        return out;
    };
    for entry in &accounts.entries {
        let Entry::Pair(account) = entry else { continue };
        let Some(map) = account.value.resolved().as_map() else { continue };
        for kind in ["imports", "exports"] {
            let Some(list) = map.get_ci(kind) else { continue };
            let n = match &list.value.resolved().value {
                Value::Array(items) => items.len(),
                _ => 1,
            };
            out.push(format!(
                "account `{}` {kind} {n} (at {}): state what crosses as `publish SUBJECT -> IDENTITY` or `request SUBJECT -> IDENTITY` lines between users of the two accounts",
                account.key,
                config.location(list.key_at)
            ));
        }
    }
    out
}
