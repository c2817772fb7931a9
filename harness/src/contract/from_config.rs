//! A first contract written from what a config allows, for a team to review and commit: one
//! identity per user, `can` from the allow lists, `cannot` from the deny lists.

use crate::natsconf::{Config, ConfigUser, SubjectRule};

/// A concrete subject inside `pattern` (`orders.*.>` becomes `orders.x.x`), for a publish line.
fn concrete(pattern: &str) -> String {
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

fn identity(u: &ConfigUser, config_name: &str) -> Option<String> {
    let name = u.user.clone()?;
    let mut can = Vec::new();
    let mut cannot = Vec::new();
    if let Some(p) = &u.permissions {
        rule_lines(p.publish.as_ref(), "publish", &mut can, &mut cannot);
        rule_lines(p.subscribe.as_ref(), "subscribe", &mut can, &mut cannot);
    }
    let key: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let mut out = format!(
        "# {config_name}: user `{name}` of account `{}` ({})\n[identities.{key}]\nuser = \"{name}\"\npassword-file = \"secrets/{key}.pass\"\n",
        u.account.as_deref().unwrap_or("$G"),
        u.at
    );
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
    let mut out = format!(
        "# A first contract for `{config_name}`, written from what the config allows: review each\n\
         # line (keep what your services need, add what must stay refused), put each password in\n\
         # its file, and commit it. Check it with: natsfault verify --config {config_name} --contract THIS\n\
         config = \"{config_name}\"\n"
    );
    for u in config.users() {
        match identity(&u, config_name) {
            Some(block) => {
                out.push('\n');
                out.push_str(&block);
            }
            None => out.push_str(&format!("\n# an nkey user at {}: add it with `nkey-seed-file = \"...\"`\n", u.at)),
        }
    }
    out
}
