//! The literal secrets of a config and of a scenario, read with the natsconf queries and the
//! scenario's own fields.

use crate::natsconf::{Config, Env, ParseOptions};
use crate::spec::{ClientSpec, Scenario};

use super::source::source_secrets;

/// Stands for a placeholder while a config template is parsed; values holding it are not secret.
const PLACEHOLDER: &str = "natsfault_placeholder";

/// Whether `value` is written like an nkey seed rather than a public key.
fn seed_like(value: &str) -> bool {
    value.starts_with('S') && value.len() > 2
}

/// Every secret written in `config`: passwords (plain or bcrypt) and tokens of every user and of
/// `authorization`, and seeds written where a public key belongs (user and account `nkey`, the
/// callout's `issuer` and `xkey`).
pub fn config_secrets(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for u in config.users() {
        out.extend(u.password.map(|s| s.expose().to_string()));
        out.extend(u.nkey.filter(|k| seed_like(k)));
    }
    if let Some(a) = config.authorization() {
        out.extend(a.token.map(|s| s.expose().to_string()));
        out.extend(a.password.map(|s| s.expose().to_string()));
    }
    out.extend(config.accounts().into_iter().filter_map(|a| a.nkey).filter(|k| seed_like(k)));
    if let Some(c) = config.auth_callout() {
        out.extend([c.issuer, c.xkey].into_iter().flatten().filter(|k| seed_like(k)));
    }
    out.retain(|s| !s.contains(PLACEHOLDER));
    out.sort();
    out.dedup();
    out
}

/// Every secret of a config text (a scenario's template: placeholders are not secrets). A text
/// that does not parse is read by its keys alone.
///
/// ```
/// let text = r#"authorization { users = [ { user: a, password: "lit-pw-1" }, { user: b, password: "{{password.b}}" } ] }"#;
/// assert_eq!(natsfault::redact::config_text_secrets(text), ["lit-pw-1"]);
/// ```
pub fn config_text_secrets(text: &str) -> Vec<String> {
    let neutral = neutralize_placeholders(text);
    let options = ParseOptions { env: Env::vars::<&str, &str>([]), ..ParseOptions::default() };
    let mut out = match Config::parse_str(&neutral, "nats.conf", &options) {
        Ok(config) => config_secrets(&config),
        Err(_) => Vec::new(),
    };
    for s in source_secrets(&neutral) {
        if !s.contains(PLACEHOLDER) && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn neutralize_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        match rest[i..].find("}}") {
            Some(j) => {
                out.push_str(PLACEHOLDER);
                rest = &rest[i + j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn client_secrets(c: &ClientSpec, out: &mut Vec<String>) {
    out.extend(c.secrets().map(str::to_string));
    // A team's own credential files: the seed and the JWT of a creds file, a seed file's seed.
    for path in [&c.creds_file, &c.nkey_seed_file].into_iter().flatten() {
        let Ok(text) = std::fs::read_to_string(path.get_ref()) else { continue };
        match crate::credentials::parse_creds(&text) {
            Ok((jwt, seed)) => out.extend([jwt, seed]),
            Err(_) => out.extend(text.lines().map(str::trim).filter(|l| seed_like(l)).map(str::to_string)),
        }
    }
    if let Some(cb) = &c.auth_callback {
        out.extend(cb.sign_with.iter().cloned());
        out.extend(cb.nkey.iter().filter(|k| seed_like(k)).cloned());
    }
}

/// Every secret written literally in a scenario: in each phase's server config and each reload's
/// config (read with the natsconf queries), the clients' and the fix's clients' passwords,
/// tokens and signing seeds, and whatever the file's text has after a secret key.
pub fn scenario_secrets(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    for phase in s.phases() {
        out.extend(config_text_secrets(&s.config_for(phase)));
    }
    for step in &s.steps {
        if let Some(c) = &step.config {
            out.extend(config_text_secrets(c.get_ref()));
        }
    }
    // A `config-file`'s includes and the files it names (passwords, seeds, tokens in them).
    for f in s.server.files.iter().chain(s.fix.iter().flat_map(|f| f.files.iter())) {
        if let Ok(text) = std::str::from_utf8(&f.contents) {
            out.extend(config_text_secrets(text));
            out.extend(source_secrets(text));
        }
    }
    for c in s.clients.values() {
        client_secrets(c.get_ref(), &mut out);
    }
    for c in s.fix.iter().flat_map(|f| f.clients.values()) {
        client_secrets(c.get_ref(), &mut out);
    }
    out.extend(source_secrets(&s.source));
    // Variables passed with `[server] env`.
    out.extend(s.servers.iter().flat_map(|n| n.section.env_values.iter().map(|(_, v)| v.clone())));
    out.retain(|v| !v.contains("{{") && !v.is_empty());
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_queries_find_every_kind() {
        let text = r#"
authorization {
  token: "tok-literal"
  users = [ { user: a, password: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy" }, { nkey: SUBADSEED } ]
  auth_callout { issuer: SAISSUERSEED, xkey: SXCURVESEED, account: AUTH, auth_users: [a] }
}
accounts { APP { users = [ { user: b, password: "{{password.b}}" }, { user: c, pass: acct-pw } ] } }
"#;
        let found = config_text_secrets(text);
        for want in ["tok-literal", "SUBADSEED", "SAISSUERSEED", "SXCURVESEED", "acct-pw"] {
            assert!(found.iter().any(|f| f == want), "{want} in {found:?}");
        }
        assert!(found.iter().any(|f| f.starts_with("$2a$11$")));
        assert!(!found.iter().any(|f| f.contains("placeholder") || f.contains("{{")));
    }
}
