//! What can be read before running: the creds JWT, the config's users and permissions, nkeys,
//! and the config findings that make nats-server refuse to start.

use serde_json::Value;

use super::input::{Credentials, CredsRead, Prepared};
use crate::credentials::{decode as decode_jwt, now_unix, verify};
use crate::natsconf::{ConfigUser, Finding, Permissions, SubjectRule};

/// The user JWT of a creds file, as far as it decodes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JwtInfo {
    /// `sub`: the user's public key.
    pub sub: String,
    /// `name`.
    pub name: String,
    /// `iss`: the account key or a signing key.
    pub iss: String,
    /// `nats.issuer_account`, when set.
    pub issuer_account: Option<String>,
    /// `exp`, Unix seconds.
    pub exp: Option<i64>,
    /// `nbf`, Unix seconds.
    pub nbf: Option<i64>,
    /// Whether the signature verifies against `iss`.
    pub signature_ok: bool,
    /// Why it does not, when it does not.
    pub signature_error: Option<String>,
    /// `nats.pub.allow`, `nats.pub.deny`, `nats.sub.allow`, `nats.sub.deny`.
    pub permissions: [Vec<String>; 4],
    /// Whether the seed in the creds file belongs to `sub`.
    pub seed_matches: Option<bool>,
}

impl JwtInfo {
    /// Whether `exp` is in the past.
    pub fn expired(&self) -> bool {
        self.exp.is_some_and(|e| e <= now_unix())
    }
}

/// Everything decoded before running.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    /// Notes shown under "decoded".
    pub notes: Vec<String>,
    /// The creds JWT.
    pub jwt: Option<JwtInfo>,
    /// The config user the client's credentials name.
    pub user: Option<ConfigUser>,
    /// The public key of the client's nkey seed.
    pub nkey_public: Option<String>,
    /// Config findings (unknown keys, seeds where a public key belongs, ...).
    pub findings: Vec<Finding>,
    /// Whether the config is in operator (JWT) mode.
    pub operator_mode: bool,
}

/// `[a, b]` or `none`.
pub fn list(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { format!("[{}]", items.join(", ")) }
}

/// A permission rule as `allow [..] deny [..]`.
pub fn rule_text(rule: Option<&SubjectRule>) -> String {
    match rule {
        None => "anything".into(),
        Some(r) => {
            let mut parts = Vec::new();
            if let Some(a) = &r.allow {
                parts.push(format!("allow {}", list(a)));
            }
            if let Some(d) = &r.deny {
                parts.push(format!("deny {}", list(d)));
            }
            if parts.is_empty() { "anything".into() } else { parts.join(" ") }
        }
    }
}

fn permissions_text(p: Option<&Permissions>) -> String {
    match p {
        None => "no permissions (everything allowed)".into(),
        Some(p) => format!(
            "publish {}; subscribe {}{}",
            rule_text(p.publish.as_ref()),
            rule_text(p.subscribe.as_ref()),
            if p.allow_responses.is_some() { "; allow_responses" } else { "" }
        ),
    }
}

fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(next) => cur = next,
            None => return Vec::new(),
        }
    }
    cur.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Decodes a user JWT (never keeping its signature).
pub fn jwt_info(jwt: &str, seed: Option<&str>) -> Option<JwtInfo> {
    let decoded = decode_jwt(jwt).ok()?;
    let c = &decoded.claims;
    let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (signature_ok, signature_error) = match verify(jwt) {
        Ok(_) => (true, None),
        Err(e) => (false, Some(e.to_string())),
    };
    let seed_matches = seed.map(|s| nkeys::KeyPair::from_seed(s).is_ok_and(|kp| kp.public_key() == text("sub")));
    Some(JwtInfo {
        sub: text("sub"),
        name: text("name"),
        iss: text("iss"),
        issuer_account: c
            .pointer("/nats/issuer_account")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        exp: c.get("exp").and_then(Value::as_i64),
        nbf: c.get("nbf").and_then(Value::as_i64),
        signature_ok,
        signature_error,
        permissions: [
            strings(c, &["nats", "pub", "allow"]),
            strings(c, &["nats", "pub", "deny"]),
            strings(c, &["nats", "sub", "allow"]),
            strings(c, &["nats", "sub", "deny"]),
        ],
        seed_matches,
    })
}

fn when(ts: i64) -> String {
    let d = ts - now_unix();
    if d <= 0 { format!("{ts} (Unix time, {}s ago)", -d) } else { format!("{ts} (Unix time, in {d}s)") }
}

/// Reads what can be read before running.
pub fn decode(p: &Prepared) -> Decoded {
    let mut d = Decoded { findings: p.config.findings(), ..Decoded::default() };
    d.operator_mode = !p.config.operators().is_empty();
    if d.operator_mode {
        use crate::natsconf::Resolver;
        let resolver = match p.config.resolver() {
            None => "none",
            Some(Resolver::Memory { .. }) => "MEMORY",
            Some(Resolver::Url { .. }) => "URL",
            Some(Resolver::Dir { .. }) => "full/cache dir",
            Some(Resolver::Invalid { .. }) => "invalid",
        };
        d.notes.push(format!(
            "config: operator (JWT) mode, resolver {resolver}, {} account JWT(s) preloaded",
            p.config.resolver_preload().len()
        ));
    }
    match &p.creds {
        Some(CredsRead::Parsed { jwt, seed }) => match jwt_info(jwt, Some(seed)) {
            Some(info) => {
                d.notes.push(format!(
                    "creds: user JWT `{}` for `{}`, issued by `{}`, issuer_account {}, expires {}, not before {}, signature {}, seed {}",
                    info.name,
                    info.sub,
                    info.iss,
                    info.issuer_account.as_deref().map_or("not set".to_string(), |a| format!("`{a}`")),
                    info.exp.map_or("never".to_string(), when),
                    info.nbf.map_or("unset".to_string(), when),
                    info.signature_error.as_deref().map_or("valid".to_string(), |e| format!("invalid ({e})")),
                    if info.seed_matches == Some(true) { "matches the JWT's subject" } else { "does not match the JWT's subject" },
                ));
                let [pa, pd, sa, sd] = &info.permissions;
                d.notes.push(format!(
                    "creds: permissions publish allow {} deny {}; subscribe allow {} deny {}",
                    list(pa),
                    list(pd),
                    list(sa),
                    list(sd)
                ));
                d.jwt = Some(info);
            }
            None => d.notes.push("creds: the user JWT does not decode".into()),
        },
        Some(CredsRead::Damaged(e)) => d.notes.push(format!("creds: the file does not parse: {e}")),
        None => {}
    }
    let users = p.config.users();
    match &p.input.credentials {
        Credentials::UserPassword { user, .. } => {
            d.user = users.iter().find(|u| u.user.as_deref() == Some(user.as_str())).cloned();
            if d.user.is_none() {
                d.notes.push(format!("config: no user `{user}` is defined"));
            }
        }
        Credentials::NkeySeedFile(_) => match p.seed.as_deref().map(nkeys::KeyPair::from_seed) {
            Some(Ok(kp)) => {
                let public = kp.public_key();
                d.user = users.iter().find(|u| u.nkey.as_deref() == Some(public.as_str())).cloned();
                d.notes.push(format!(
                    "nkey: the seed's public key is `{public}`; the config {} it",
                    if d.user.is_some() { "lists" } else { "does not list" }
                ));
                d.nkey_public = Some(public);
            }
            _ => d.notes.push("nkey: the seed file does not hold a valid nkey seed".into()),
        },
        Credentials::None => {
            if let Some(name) = p.config.no_auth_user() {
                d.user = users.iter().find(|u| u.user.as_deref() == Some(name.value.as_str())).cloned();
                d.notes.push(format!(
                    "config: clients without credentials are `{}` (`no_auth_user` at {})",
                    name.value, name.at
                ));
            }
        }
        Credentials::Token(_) => {
            let has = p.config.authorization().is_some_and(|a| a.token.is_some());
            d.notes.push(format!("config: {}", if has { "a token is set" } else { "no token is set" }));
        }
        _ => {}
    }
    if let Some(u) = &d.user {
        d.notes.push(format!(
            "config: user `{}`{} at {}: {}",
            u.user.clone().or_else(|| u.nkey.clone()).unwrap_or_default(),
            u.account.as_deref().map(|a| format!(" in account `{a}`")).unwrap_or_default(),
            u.at,
            permissions_text(u.permissions.as_ref())
        ));
    } else if !d.operator_mode {
        for u in users.iter().take(8) {
            d.notes.push(format!(
                "config: user `{}` at {}: {}",
                u.user.clone().or_else(|| u.nkey.clone()).unwrap_or_default(),
                u.at,
                permissions_text(u.permissions.as_ref())
            ));
        }
    }
    for f in &d.findings {
        d.notes.push(format!("config: {f}"));
    }
    d
}
