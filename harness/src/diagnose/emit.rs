//! Writes a scenario that reproduces a diagnosis with generated secrets in place of the
//! customer's: user names, subjects and permissions are kept, passwords, tokens, keys and JWTs
//! are made anew by the harness at every run. The scenario's `[fix]` applies the suggested fix.

use std::fmt::Write;

use super::decode::{Decoded, decode};
use super::fix::{Violation, parse_violation};
use super::input::{Credentials, Operation, Prepared};
use super::model::Diagnosis;
use crate::natsconf::{ConfigUser, Permissions, SubjectRule};
use crate::spec::Cause;

/// Why no scenario was written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EmitError(pub(super) String);

/// A TOML or nats.conf double-quoted string.
pub(super) fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn qlist(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

fn conf_rule(rule: &SubjectRule) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &rule.allow {
        parts.push(format!("allow: {}", qlist(a)));
    }
    if let Some(d) = &rule.deny {
        parts.push(format!("deny: {}", qlist(d)));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn conf_permissions(p: &Permissions) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &p.publish {
        parts.push(format!("publish: {}", conf_rule(r)));
    }
    if let Some(r) = &p.subscribe {
        parts.push(format!("subscribe: {}", conf_rule(r)));
    }
    if p.allow_responses.is_some() {
        parts.push("allow_responses: true".into());
    }
    format!("{{ {} }}", parts.join(", "))
}

/// The rule with the narrowest change that lets `v.subject` through.
fn fixed_rule(rule: Option<&SubjectRule>, v: &Violation) -> SubjectRule {
    let mut r = rule.cloned().unwrap_or_default();
    let matching = |p: &String| super::subject::matches(p, &v.subject) || super::subject::covers(p, &v.subject);
    if let Some(d) = &mut r.deny
        && d.iter().any(matching)
    {
        d.retain(|p| !matching(p));
        return r;
    }
    r.allow.get_or_insert_with(Vec::new).push(v.subject.clone());
    r
}

pub(super) fn header(s: &mut String, d: &Diagnosis, cause: Cause, name: &str) {
    let _ = writeln!(s, "name = {}", q(name));
    let _ = writeln!(s, "cause = \"{}\"", cause.as_str());
    let summary = format!(
        "Emitted by `natsfault diagnose` ({}). {}. Secrets, keys and JWTs are generated at each run; the customer's are not in this file.",
        d.detail,
        d.summary.trim_end_matches('.')
    );
    let _ = writeln!(s, "summary = {}\n", q(&summary));
}

fn steps_until(s: &mut String, ops: &[Operation], client: &str, v: &Violation, err: &str) {
    let _ = writeln!(s, "[[steps]]\ndo = \"connect\"\nclient = \"{client}\"\n");
    for op in ops {
        let done = match op {
            Operation::Publish(x) if v.publish && *x == v.subject => true,
            Operation::Subscribe(x) if !v.publish && *x == v.subject => true,
            Operation::Request(_) | Operation::Js(_) => false,
            _ => false,
        };
        if done {
            break;
        }
        if let Operation::Request(_) | Operation::Js(_) = op {
            continue;
        }
        let _ =
            writeln!(s, "[[steps]]\ndo = \"{}\"\nclient = \"{client}\"\nsubject = {}\n", op.verb(), q(&op.subject()));
    }
    let verb = if v.publish { "publish" } else { "subscribe" };
    let _ = writeln!(
        s,
        "[[steps]]\ndo = \"{verb}\"\nclient = \"{client}\"\nsubject = {}\nexpect = {{ server-err = {} }}\n",
        q(&v.subject),
        q(err)
    );
}

pub(super) fn refused_connect(s: &mut String, client: &str, extra: &str) {
    let _ = writeln!(
        s,
        "[[steps]]\ndo = \"connect\"\nclient = \"{client}\"\nexpect = {{ error = \"AuthorizationViolation\", server-err = \"Authorization Violation\"{extra} }}\n\n[[steps]]\ndo = \"flush\"\nclient = \"{client}\"\nonly = \"fixed\"\n"
    );
}

fn user_line(u: &ConfigUser, idx: usize, perms: Option<&Permissions>) -> String {
    let name = u.user.clone().unwrap_or_else(|| format!("user{idx}"));
    let mut line = format!("{{ user: {}, password: \"{{{{password.u{idx}}}}}\"", q(&name));
    if let Some(p) = perms {
        let _ = write!(line, ", permissions: {}", conf_permissions(p));
    }
    line.push_str(" }");
    line
}

fn users_config(users: &[String]) -> String {
    format!("authorization {{\n  users = [\n    {}\n  ]\n}}\n", users.join("\n    "))
}

pub(super) fn operator_config() -> &'static str {
    "operator: \"{{operator.jwt}}\"\nsystem_account: \"{{system-account}}\"\nresolver: MEMORY\n{{resolver-preload}}\n"
}

fn jwt_perm_toml(allow: &[String], deny: &[String]) -> String {
    let mut parts = Vec::new();
    if !allow.is_empty() {
        parts.push(format!("allow = {}", qlist(allow)));
    }
    if !deny.is_empty() {
        parts.push(format!("deny = {}", qlist(deny)));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// The scenario text for a diagnosis, or why there is none.
pub fn scenario(p: &Prepared, d: &Diagnosis) -> Result<String, EmitError> {
    let dec = decode(p);
    let mut s = String::new();
    match d.detail.as_str() {
        detail if detail.starts_with("tls-") => {
            super::tls::emit::scenario(&mut s, p, d)?;
            return Ok(s);
        }
        "url-resolver-not-contacted" => {
            return Err(EmitError(
                "no scenario for this `resolver: URL(...)`: the customer's account server was not contacted, so what it answers (404, 500, too slow, down at startup) is unknown; scenarios mock one with `[account-server]`: start from the `scenarios/auth-endpoint/resolver-url-*.toml` that matches its answer, or give the server the account JWTs (`resolver: MEMORY` with `resolver_preload`), diagnose again, and emit from that".into(),
            ));
        }
        "config-refused" if d.verdict.cause().is_none() => {
            super::emit_refused::scenario(&mut s, p, d)?;
            return Ok(s);
        }
        _ => {}
    }
    let cause =
        d.verdict.cause().ok_or_else(|| EmitError(format!("`{}` has no failure to reproduce", d.verdict.name())))?;
    match (cause, d.detail.as_str()) {
        (Cause::NoCredentials, "operator-mode-needs-jwt") => super::emit_client::jwt_required(&mut s, p, &dec, d),
        (Cause::NkeyMismatch, "bad-seed") => super::emit_client::bad_seed(&mut s, d),
        (Cause::JwtInvalid, "expired-while-connected") => super::emit_client::expired_while_connected(&mut s, &dec, d),
        (Cause::Permissions, _) => permissions(&mut s, p, &dec, d)?,
        (Cause::NoCredentials, detail) => no_credentials(&mut s, p, &dec, d, detail)?,
        (Cause::AuthEndpoint, "auth-url") => {
            header(&mut s, d, cause, "`auth_url` in the config: the server does not start");
            let _ = writeln!(
                s,
                "[server]\nexpect-refused = 'unknown field \"auth_url\"'\nconfig = '''\nauthorization {{\n  users = [ {{ user: app, password: \"{{{{password.app}}}}\" }} ]\n  auth_url: \"http://127.0.0.1:9/auth\"\n}}\n'''\n\n[clients.app]\nuser = \"app\"\npassword = \"{{{{password.app}}}}\"\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\n\n[fix]\nsummary = \"remove `auth_url`: external auth is `auth_callout` (2.10+)\"\nreplace = [ {{ from = '  auth_url: \"http://127.0.0.1:9/auth\"', to = \"\" }} ]"
            );
        }
        (Cause::AuthEndpoint, detail @ ("auth-callout-refused" | "auth-callout-unsupported")) => {
            // Before 2.10 the server refuses `auth_callout`; from 2.10 it waits for a service that
            // is not there. The scenario asserts both, by version.
            let name = if detail == "auth-callout-refused" {
                "auth callout without a service that answers"
            } else {
                "`auth_callout` is unknown before 2.10 and waits for a service from 2.10"
            };
            header(&mut s, d, cause, name);
            let issuer = crate::credentials::keys::account().public_key().to_string();
            let block = format!(
                "authorization {{\n  timeout: 0.5\n  auth_callout {{\n    issuer: {issuer}\n    account: AUTH\n    auth_users: [ auth ]\n  }}\n}}\n"
            );
            let _ = writeln!(
                s,
                "[server]\nrefused-versions = \"<2.10\"\nexpect-refused = 'unknown field \"auth_callout\"'\nconfig = '''\naccounts {{\n  AUTH {{ users: [ {{ user: auth, password: \"{{{{password.auth}}}}\" }} ] }}\n  APP {{ users: [ {{ user: app, password: \"{{{{password.app}}}}\" }} ] }}\n}}\n{block}'''\n\n[clients.app]\nuser = \"app\"\npassword = \"{{{{password.app}}}}\"\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {{ error = \"AuthorizationViolation\", server-err = \"Authorization Violation\" }}\nexpect-fixed = {{}}\n\n[fix]\nsummary = \"without a callout service, configure the users statically (or run `natsfault auth-bridge`)\"\nreplace = [ {{ from = '''\n{block}''', to = \"\" }} ]"
            );
        }
        (Cause::NkeyMismatch, "seed-in-config") => {
            header(&mut s, d, cause, "an nkey seed where the config wants the public key");
            let _ = writeln!(
                s,
                "[nkeys.user]\n\n[server]\nexpect-refused = 'Not a valid public nkey for a user'\nconfig = '''\nauthorization {{\n  users: [ {{ nkey: \"{{{{nkey.user.seed}}}}\" }} ]\n}}\n'''\n\n[clients.app]\nnkey-seed = \"user\"\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\n\n[fix]\nsummary = \"put the public key in the config; the seed stays with the client\"\nreplace = [ {{ from = \"{{{{nkey.user.seed}}}}\", to = \"{{{{nkey.user.public}}}}\" }} ]"
            );
        }
        (Cause::NkeyMismatch, "unknown-nkey") => {
            header(&mut s, d, cause, "an nkey the server does not know");
            let _ = writeln!(
                s,
                "[nkeys.client]\n[nkeys.listed]\n\n[server]\nconfig = '''\nauthorization {{\n  users: [ {{ nkey: \"{{{{nkey.listed.public}}}}\" }} ]\n}}\n'''\n\n[clients.app]\nnkey-seed = \"client\"\nmax-reconnects = 1\n"
            );
            refused_connect(&mut s, "app", ", reason = \"\"");
            let _ = writeln!(
                s,
                "[fix]\nsummary = \"add the client's public key to the server's users\"\nreplace = [ {{ from = '{{ nkey: \"{{{{nkey.listed.public}}}}\" }}', to = '{{ nkey: \"{{{{nkey.listed.public}}}}\" }}, {{ nkey: \"{{{{nkey.client.public}}}}\" }}' }} ]"
            );
        }
        (Cause::NkeyMismatch, "signature-not-verified") => {
            header(&mut s, d, cause, "the creds file's seed does not belong to its JWT");
            let _ = writeln!(
                s,
                "[operator]\n\n[accounts.APP]\n\n[users.app]\naccount = \"APP\"\n\n[users.other]\naccount = \"APP\"\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\nauth-callback = {{ jwt = \"{{{{user.app.jwt}}}}\", sign-with = \"{{{{user.other.seed}}}}\" }}\nmax-reconnects = 1\n",
                operator_config()
            );
            refused_connect(&mut s, "app", ", reason = \"Signature not verified\"");
            let _ = writeln!(
                s,
                "[fix]\nsummary = \"sign with the seed of the JWT's own user\"\nclients.app = {{ auth-callback = {{ jwt = \"{{{{user.app.jwt}}}}\", sign-with = \"{{{{user.app.seed}}}}\" }} }}"
            );
        }
        (Cause::JwtInvalid, "damaged-creds-file") => {
            header(&mut s, d, cause, "a creds file async-nats cannot read");
            let _ = writeln!(
                s,
                "[operator]\n\n[accounts.APP]\n\n[users.app]\naccount = \"APP\"\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\ncreds = \"app\"\ncreds-defect = \"stray-blank-line\"\nmax-reconnects = 1\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {{ error = \"InvalidData\" }}\n\n[[steps]]\ndo = \"flush\"\nclient = \"app\"\nonly = \"fixed\"\n\n[fix]\nsummary = \"write the creds file again, unchanged\"\nclients.app = {{ creds-defect = \"none\" }}",
                operator_config()
            );
        }
        (Cause::JwtInvalid | Cause::AccountClaim, detail) => jwt(&mut s, &dec, d, cause, detail)?,
        (Cause::ServerUnreachable, detail @ ("paused" | "stopped")) => {
            header(&mut s, d, cause, &format!("server {detail}: the client cannot connect"));
            let (action, expect) = if detail == "paused" {
                ("pause-server", "{ error = \"TimedOut\" }")
            } else {
                ("stop-server", "{ error = \"Io\", error-contains = \"refused\" }")
            };
            let _ = writeln!(
                s,
                "[server]\nconfig = \"\"\n\n[clients.app]\ndirect = true\nconnection-timeout = \"1s\"\n\n[[steps]]\ndo = \"{action}\"\nonly = \"broken\"\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {expect}\n\n[[steps]]\ndo = \"resume-server\"\nonly = \"broken\"\n\n[fix]\nsummary = \"bring the server back\""
            );
            if detail != "paused" {
                s = s.replace("[[steps]]\ndo = \"resume-server\"\nonly = \"broken\"\n\n", "");
            }
        }
        (c, detail) => return Err(EmitError(format!("no scenario template for {c} ({detail}) yet"))),
    }
    Ok(s)
}

fn permissions(s: &mut String, p: &Prepared, dec: &Decoded, d: &Diagnosis) -> Result<(), EmitError> {
    let err = d.evidence.server_errs.iter().find_map(|e| parse_violation(e).map(|v| (v, e.clone())));
    let Some((v, _)) = err else { return Err(EmitError("no permission violation recorded".into())) };
    let err = v.err_text();
    let verb = if v.publish { "publish to" } else { "subscribe to" };
    header(s, d, Cause::Permissions, &format!("{verb} `{}` outside the user's permissions", v.subject));
    if let Some(j) = &dec.jwt {
        let [pa, pd, sa, sd] = j.permissions.clone();
        let (allow, deny) = if v.publish { (pa.clone(), pd.clone()) } else { (sa.clone(), sd.clone()) };
        let rule =
            SubjectRule { allow: (!allow.is_empty()).then_some(allow), deny: (!deny.is_empty()).then_some(deny) };
        let fixed = fixed_rule(Some(&rule), &v);
        let _ = writeln!(
            s,
            "[operator]\n\n[accounts.APP]\n\n[users.app]\naccount = \"APP\"\npub = {}\nsub = {}\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\ncreds = \"app\"\n",
            jwt_perm_toml(&pa, &pd),
            jwt_perm_toml(&sa, &sd),
            operator_config()
        );
        steps_until(s, &p.input.operations, "app", &v, &err);
        let key = if v.publish { "pub" } else { "sub" };
        let _ = writeln!(
            s,
            "[fix]\nsummary = {}\nusers.app = {{ {key} = {} }}",
            q(&format!("reissue the user JWT allowing `{}`", v.subject)),
            jwt_perm_toml(fixed.allow.as_deref().unwrap_or_default(), fixed.deny.as_deref().unwrap_or_default())
        );
        return Ok(());
    }
    let Some(u) = &dec.user else { return Err(EmitError("the user whose permissions apply is not known".into())) };
    let perms = u.permissions.clone().ok_or_else(|| EmitError("the user has no permissions".into()))?;
    let mut fixed = perms.clone();
    if v.publish {
        fixed.publish = Some(fixed_rule(perms.publish.as_ref(), &v));
    } else {
        fixed.subscribe = Some(fixed_rule(perms.subscribe.as_ref(), &v));
    }
    let broken = users_config(&[user_line(u, 1, Some(&perms))]);
    let good = users_config(&[user_line(u, 1, Some(&fixed))]);
    let _ = writeln!(
        s,
        "[server]\nconfig = '''\n{broken}'''\n\n[clients.app]\nuser = {}\npassword = \"{{{{password.u1}}}}\"\n",
        q(u.user.as_deref().unwrap_or("user1"))
    );
    steps_until(s, &p.input.operations, "app", &v, &err);
    let _ = writeln!(
        s,
        "[fix]\nsummary = {}\nconfig = '''\n{good}'''",
        q(&format!(
            "allow exactly `{}` in the user's {} permissions",
            v.subject,
            if v.publish { "publish" } else { "subscribe" }
        ))
    );
    Ok(())
}

fn no_credentials(s: &mut String, p: &Prepared, dec: &Decoded, d: &Diagnosis, detail: &str) -> Result<(), EmitError> {
    let auth = p.config.authorization();
    let users = p.config.users();
    let token_mode = auth.as_ref().is_some_and(|a| a.token.is_some());
    header(s, d, Cause::NoCredentials, &format!("the client is refused: {detail}"));
    if token_mode {
        let _ = writeln!(s, "[server]\nconfig = '''\nauthorization {{\n  token: \"{{{{token.server}}}}\"\n}}\n'''\n");
        let broken = if detail == "wrong-token" { "token = \"{{token.other}}\"\n" } else { "" };
        let _ = writeln!(s, "[clients.app]\nmax-reconnects = 1\n{broken}");
        refused_connect(s, "app", "");
        let _ = writeln!(
            s,
            "[fix]\nsummary = \"send the server's token\"\nclients.app = {{ token = \"{{{{token.server}}}}\" }}"
        );
        return Ok(());
    }
    let named: Vec<&ConfigUser> = users.iter().filter(|u| u.user.is_some()).take(8).collect();
    if named.is_empty() {
        return Err(EmitError("the config has no user with a password to reproduce".into()));
    }
    let lines: Vec<String> = named.iter().enumerate().map(|(i, u)| user_line(u, i + 1, None)).collect();
    let _ = writeln!(s, "[server]\nconfig = '''\n{}'''\n", users_config(&lines));
    let (target, idx) = match (&p.input.credentials, &dec.user) {
        (Credentials::UserPassword { user, .. }, _) => {
            let i = named.iter().position(|u| u.user.as_deref() == Some(user.as_str()));
            (user.clone(), i.map_or(1, |i| i + 1))
        }
        _ => (named[0].user.clone().unwrap_or_default(), 1),
    };
    let fixed_user = named.get(idx - 1).and_then(|u| u.user.clone()).unwrap_or_default();
    let client = match detail {
        "wrong-password" | "unknown-user" => format!("user = {}\npassword = \"{{{{password.wrong}}}}\"\n", q(&target)),
        _ => String::new(),
    };
    let _ = writeln!(s, "[clients.app]\nmax-reconnects = 1\n{client}");
    refused_connect(s, "app", "");
    let _ = writeln!(
        s,
        "[fix]\nsummary = {}\nclients.app = {{ user = {}, password = \"{{{{password.u{idx}}}}}\" }}",
        q(&format!("connect as `{fixed_user}` with its password")),
        q(&fixed_user)
    );
    Ok(())
}

fn jwt(s: &mut String, dec: &Decoded, d: &Diagnosis, cause: Cause, detail: &str) -> Result<(), EmitError> {
    let (user, fix, reason) = match detail {
        "expired" => (
            "expires = \"-1h\"",
            "users.app = { expires = \"+1h\" }",
            "User JWT no longer valid: &{Issues:[claim is expired]}",
        ),
        "bad-signature" => ("defect = \"tamper-signature\"", "users.app = { defect = \"none\" }", ""),
        "revoked" => ("", "accounts.APP = { revoke = [] }", "User authentication revoked"),
        "missing-issuer-account" => (
            "signing-key = \"app-ops\"\nissuer-account = false",
            "users.app = { issuer-account = true }",
            "Account JWT lookup error: account missing",
        ),
        "not-yet-valid" => (
            "not-before = \"+1h\"",
            "users.app = { not-before = \"-1m\" }",
            "User JWT no longer valid: &{Issues:[claim is not yet valid]}",
        ),
        "unknown-account" | "account-missing" => {
            ("", "accounts.APP = { unknown-to-resolver = false }", "Account JWT lookup error: account missing")
        }
        "account-expired" => {
            ("", "accounts.APP = { expires = \"+1h\" }", "Account JWT lookup error: account validation failed")
        }
        "signing-key-not-listed" => (
            "signing-key = \"other-ops\"\nissuer-account = true",
            "accounts.APP = { signing-keys = [\"app-ops\", \"other-ops\"] }",
            "User JWT issuer is not known",
        ),
        other => return Err(EmitError(format!("no scenario template for {cause} ({other}) yet"))),
    };
    let name = dec.jwt.as_ref().map(|j| j.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| "app".into());
    header(s, d, cause, &format!("user `{name}`: {detail}"));
    let account = match detail {
        "missing-issuer-account" => "signing-keys = [\"app-ops\"]\n",
        "signing-key-not-listed" => {
            "signing-keys = [\"app-ops\"]\n\n[accounts.OTHER]\nsigning-keys = [\"other-ops\"]\n"
        }
        "unknown-account" | "account-missing" => "unknown-to-resolver = true\n",
        "revoked" => "revoke = [\"app\"]\n",
        "account-expired" => "expires = \"-1h\"\n",
        _ => "",
    };
    let _ = writeln!(
        s,
        "[operator]\n\n[accounts.APP]\n{account}\n[users.app]\naccount = \"APP\"\nname = {}\n{user}\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\ncreds = \"app\"\nmax-reconnects = 1\n",
        q(&name),
        operator_config()
    );
    let versions = if reason.is_empty() { String::new() } else { format!(", reason = {}", q(reason)) };
    refused_connect(s, "app", &versions);
    let summary = match detail {
        "expired" => "issue the user a new JWT that expires in the future",
        "bad-signature" => "reissue the JWT with nsc instead of editing it",
        "revoked" => "remove the revocation",
        "missing-issuer-account" => "reissue the JWT with `issuer_account`",
        "unknown-account" | "account-missing" => "give the resolver the account JWT",
        "not-yet-valid" => "issue the JWT without a `nbf` in the future",
        "account-expired" => "reissue the account JWT with a future expiry",
        _ => "list the signing key on the account",
    };
    let _ = writeln!(s, "[fix]\nsummary = {}\n{fix}", q(summary));
    Ok(())
}
