//! From what happened to a verdict, its evidence and the fix.

use serde_json::Value;

use super::decode::Decoded;
use super::fix::{parse_violation, permission_fix};
use super::input::{Credentials, Prepared, ServerState};
use super::model::{Diagnosis, Evidence, Verdict};
use super::play::Outcome;
use crate::natsconf::FindingKind;
use crate::spec::Cause;

struct Found {
    verdict: Verdict,
    detail: &'static str,
    summary: String,
    fix: Option<String>,
}

fn cause(cause: Cause, detail: &'static str, summary: impl Into<String>, fix: impl Into<String>) -> Found {
    Found { verdict: Verdict::Cause { cause }, detail, summary: summary.into(), fix: Some(fix.into()) }
}

/// Classifies the outcome.
pub fn classify(p: &Prepared, d: &Decoded, out: &Outcome) -> Diagnosis {
    let found = if let Some(msg) = &out.refused {
        refused(p, d, out, msg)
    } else if let Some(f) = &out.connect_error {
        connect_failed(p, d, out, &f.kind, &f.message)
    } else if let Some((op, err)) = &out.failed_op {
        match parse_violation(err) {
            Some(v) if matches!(op, crate::diagnose::Operation::Js(_)) => cause(
                Cause::Permissions,
                if v.publish { "js-publish-denied" } else { "js-subscribe-denied" },
                format!(
                    "the server refused the JetStream API subject `{}` of {} `{}` (`-ERR '{err}'`) and kept the connection; async-nats reports only {}",
                    v.subject,
                    op.verb(),
                    op.subject(),
                    out.js_error.as_ref().map_or_else(
                        || "a server-error event".to_string(),
                        |f| format!("`{}` ({})", f.kind, f.message)
                    )
                ),
                match crate::diagnose::js_op::api_grant_hint(&v.subject) {
                    Some(hint) => format!("{}; {hint}", permission_fix(d, &v)),
                    None => permission_fix(d, &v),
                },
            ),
            Some(v) => cause(
                Cause::Permissions,
                if v.publish { "publish-denied" } else { "subscribe-denied" },
                format!(
                    "the server refused to {} `{}` (`-ERR '{err}'`) and kept the connection; async-nats returns Ok and reports it only as a server-error event",
                    op.verb(),
                    op.subject()
                ),
                permission_fix(d, &v),
            ),
            None => Found {
                verdict: Verdict::Works,
                detail: "operation-failed",
                summary: format!(
                    "connected; {} `{}` failed without a permission violation: {err}",
                    op.verb(),
                    op.subject()
                ),
                fix: None,
            },
        }
    } else if let Some(e) = out.server_errs.iter().find(|e| e.contains("Expired")) {
        cause(
            Cause::JwtInvalid,
            "expired-while-connected",
            format!("the server closed the connection: `-ERR '{e}'`"),
            expiry_fix(d),
        )
    } else {
        Found {
            verdict: Verdict::Works,
            detail: "works",
            summary: "the client connected and every operation succeeded on this config".into(),
            fix: None,
        }
    };
    let failed_operation = out.failed_op.as_ref().map(|(op, _)| (op.verb().to_string(), op.subject().to_string()));
    let mut evidence = Evidence {
        client_error: out.connect_error.as_ref().map(|f| format!("{}: {}: {}", f.op, f.kind, f.message)),
        server_errs: out.server_errs.clone(),
        reason: out.reason.clone(),
        log: out.log.clone(),
    };
    if let Some(m) = &out.refused {
        let note = match server_position(m) {
            Some((file, line, col)) => match out.source_position(file, line, col) {
                Some(at) => format!(" (a position in the rewritten config; {at} in the customer's)"),
                None => " (position in the rewritten config)".to_string(),
            },
            None => String::new(),
        };
        evidence.log.push(format!("nats-server: {m}{note}"));
    }
    if let Some((_, err)) = &out.failed_op
        && !err.starts_with("Permissions")
    {
        evidence.client_error = Some(err.clone());
    }
    let mut summary = found.summary;
    for n in &out.notes {
        summary.push_str("; ");
        summary.push_str(n);
    }
    Diagnosis {
        verdict: found.verdict,
        detail: found.detail.to_string(),
        summary,
        evidence,
        fix: found.fix,
        decoded: Vec::new(),
        rewrites: Vec::new(),
        failed_operation,
        confinement: None,
        library: None,
        sockets: None,
    }
}

fn refused(p: &Prepared, d: &Decoded, out: &Outcome, msg: &str) -> Found {
    let field = msg.split("unknown field \"").nth(1).and_then(|r| r.split('"').next()).map(str::to_string);
    let finding = |pred: &dyn Fn(&crate::natsconf::Finding) -> bool| d.findings.iter().find(|f| pred(f)).cloned();
    let reason = msg.rsplit(": ").next().unwrap_or(msg).trim().to_string();
    if msg.contains("Not a valid public nkey") {
        let f = finding(&|f| f.key.to_ascii_lowercase().ends_with("nkey") && f.kind == FindingKind::WrongType);
        let public = p
            .config
            .users()
            .iter()
            .filter_map(|u| u.nkey.clone())
            .find(|k| k.starts_with('S'))
            .and_then(|seed| nkeys::KeyPair::from_seed(&seed).ok())
            .map(|kp| kp.public_key());
        let at = f.as_ref().map(|f| f.at.to_string());
        let fix = format!(
            "replace the seed{} with its public key {}; the seed belongs only in the client's nkey or creds file. It has been in a config file: treat it as leaked, make a new key pair (`nsc generate nkey --user`) and put only the new public key in the config",
            at.as_deref().map(|a| format!(" at {a}")).unwrap_or_default(),
            public.map_or("(`U...`)".to_string(), |k| format!("`{k}`"))
        );
        return Found {
            verdict: Verdict::ConfigRefused { cause: Some(Cause::NkeyMismatch), reason, at },
            detail: "seed-in-config",
            summary: "nats-server refuses to start: the config has an nkey seed (private key) where a user's public key belongs".into(),
            fix: Some(fix),
        };
    }
    let at = field.as_ref().and_then(|k| {
        finding(&|f| f.key.rsplit('.').next().is_some_and(|last| last.eq_ignore_ascii_case(k)))
            .map(|f| f.at.to_string())
    });
    let is_endpoint = field.as_deref().is_some_and(|f| matches!(f, "auth_url" | "auth_callout" | "auth_hook"));
    if is_endpoint {
        let key = field.clone().unwrap_or_default();
        let fix = if key == "auth_url" {
            format!(
                "remove `auth_url`{}: no nats-server version calls an HTTP endpoint for auth. External auth is auth callout (2.10+): `authorization {{ auth_callout {{ issuer: A..., account: AUTH, auth_users: [auth] }} }}` with a service answering `$SYS.REQ.USER.AUTH`; `natsfault auth-bridge --auth-url URL` is such a service in front of the existing HTTP endpoint",
                at.as_deref().map(|a| format!(" at {a}")).unwrap_or_default()
            )
        } else {
            "`auth_callout` needs nats-server 2.10 or newer: upgrade the server".to_string()
        };
        return Found {
            verdict: Verdict::ConfigRefused { cause: Some(Cause::AuthEndpoint), reason, at },
            detail: if key == "auth_url" { "auth-url" } else { "auth-callout-unsupported" },
            summary: format!("nats-server refuses to start: `{key}` is not a field it knows"),
            fix: Some(fix),
        };
    }
    if msg.contains("could not fetch") && matches!(p.config.resolver(), Some(crate::natsconf::Resolver::Url { .. })) {
        return Found {
            verdict: Verdict::ConfigRefused { cause: None, reason: reason.clone(), at: None },
            detail: "url-resolver-not-contacted",
            summary: "the config's `resolver: URL(...)` account server is not contacted from here (the rewrite points it at 127.0.0.1:1), and nats-server will not start without it".into(),
            fix: Some("to diagnose here, give the account JWTs to the server directly: `resolver: MEMORY` with `resolver_preload { A...: <account jwt> }` (`nsc describe account --raw`); at the customer, check the account server answers".into()),
        };
    }
    let at = at.or_else(|| refused_position(p, out, msg));
    Found {
        verdict: Verdict::ConfigRefused { cause: None, reason: reason.clone(), at: at.clone() },
        detail: "config-refused",
        summary: format!("nats-server refuses to start with this config: {reason}"),
        fix: Some(match (&field, &at) {
            (Some(k), Some(a)) if !a.contains("rewritten") => format!(
                "remove `{k}` at {a}: nats-server does not know it there (if it is a misspelled key, write the key nats-server knows instead)"
            ),
            _ => format!("correct the config{}: {reason}", at.map(|a| format!(" at {a}")).unwrap_or_default()),
        }),
    }
}

/// The server's `FILE:LINE:COL` (of the rewritten files) in the customer's own file and line;
/// when no key of theirs is there, the rewritten position, marked so.
fn refused_position(p: &Prepared, out: &Outcome, msg: &str) -> Option<String> {
    let (file, line, col) = server_position(msg)?;
    if let Some(at) = out.source_position(file, line, col) {
        return Some(at);
    }
    let main = p.input.config.display().to_string();
    Some(format!("{main}:{line}:{col} (position in the rewritten config)"))
}

/// The `FILE:LINE:COL` that starts a server's config error, if it has one.
fn server_position(msg: &str) -> Option<(&str, u32, u32)> {
    let head = msg.split(": ").next()?;
    let mut pos = head.rsplitn(3, ':');
    let (col, line, file) = (pos.next()?, pos.next()?, pos.next()?);
    Some((file, line.parse().ok()?, col.parse().ok()?))
}

fn expiry_fix(d: &Decoded) -> String {
    match &d.jwt {
        Some(j) => format!(
            "the user JWT `{}` ({}) has exp {}: issue a new one, `nsc edit user --name {} --expiry <duration or 0 for none>` then `nsc generate creds --name {}`, and give the client the new creds file",
            j.name,
            j.sub,
            j.exp.map_or("unset".into(), |e| e.to_string()),
            j.name,
            j.name
        ),
        None => "issue the user a new JWT that expires in the future".into(),
    }
}

fn account_signing_keys(p: &Prepared) -> Vec<(String, String, Vec<String>)> {
    p.config
        .resolver_preload()
        .into_iter()
        .filter_map(|e| {
            let claims = crate::credentials::decode(&e.jwt).ok()?.claims;
            let name = claims.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let keys = claims
                .pointer("/nats/signing_keys")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().or_else(|| k.get("key").and_then(Value::as_str)).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            Some((e.account, name, keys))
        })
        .collect()
}

fn connect_failed(p: &Prepared, d: &Decoded, out: &Outcome, kind: &str, message: &str) -> Found {
    let reason = out.reason.clone().unwrap_or_default();
    let line = out.auth_line.clone().unwrap_or_default();
    let state = p.input.server_state;
    if let Some(plan) = &p.tls
        && let Some(v) = super::tls::verdict::classify(plan, kind, message, &out.server_errs, &out.log)
    {
        return cause(v.cause, v.detail, v.summary, v.fix);
    }
    match kind {
        "Io" if message.contains("certificate") || message.to_ascii_lowercase().contains("tls") => {
            return cause(
                Cause::ServerUnreachable,
                "tls-handshake",
                format!(
                    "the server is up but the TLS handshake failed, so the client never reaches authentication: {message}"
                ),
                "make the client trust the server's certificate: give it the CA that signed the server certificate (async-nats `add_root_certificates`, `nats --tlsca`), and a client certificate if the server's `tls { verify: true }` asks for one",
            );
        }
        "Io" | "TimedOut" if out.server_errs.is_empty() => {
            let (detail, what) = match (state, kind) {
                (ServerState::Paused, _) | (_, "TimedOut") => (
                    "paused",
                    "the TCP connection was accepted but no INFO came: the server process is paused or stalled (SIGSTOP, a frozen VM, a black-holing network)",
                ),
                _ => (
                    "stopped",
                    "the connection was refused: nothing listens on the server's address (stopped or crashed)",
                ),
            };
            return cause(
                Cause::ServerUnreachable,
                detail,
                format!("{what}; async-nats reports `{kind}`"),
                "this is not an auth problem: bring the server back (`systemctl status nats-server`, check the process is running and not stopped; resume it with SIGCONT), and give clients `ping_interval` and `max_reconnects` so a stall is noticed in seconds, not minutes",
            );
        }
        "InvalidData" | "Other" | "NotFound" => {
            return cause(
                Cause::JwtInvalid,
                "damaged-creds-file",
                format!("async-nats cannot read the creds file: {message}"),
                "regenerate the creds file (`nsc generate creds --name USER`) and pass it unchanged: two blocks, the JWT then the seed, each on one line between its BEGIN and six-dash END lines",
            );
        }
        "Authentication" => {
            return cause(
                Cause::NkeyMismatch,
                "bad-seed",
                format!("the client could not sign the nonce: {message}"),
                "the client's seed is not a valid nkey seed (`SU...`): give it the user's seed, not the public key",
            );
        }
        _ => {}
    }
    if let Some(e) = out.server_errs.iter().find(|e| e.contains("Expired")) {
        return cause(
            Cause::JwtInvalid,
            "expired",
            format!("the server refused the connection: `-ERR '{e}'`"),
            expiry_fix(d),
        );
    }
    let via = format!(
        "the server refused the connection with `-ERR 'Authorization Violation'`; its debug log says: `{reason}`"
    );
    if reason.contains("claim is expired") {
        return cause(Cause::JwtInvalid, "expired", via, expiry_fix(d));
    }
    if reason.contains("not yet valid") {
        return cause(
            Cause::JwtInvalid,
            "not-yet-valid",
            via,
            "the user JWT's `nbf` is in the future: wait, or reissue it without `--start` (`nsc edit user --name USER --start 0`)",
        );
    }
    if reason.contains("revoked") {
        let fix = match &d.jwt {
            Some(j) => format!(
                "user `{}` is revoked in its account JWT: `nsc revocations delete-user --name {}` and push the account, or issue a new user",
                j.sub, j.name
            ),
            None => "the user is revoked in its account JWT: remove the revocation or issue a new user".into(),
        };
        return cause(Cause::JwtInvalid, "revoked", via, fix);
    }
    if d.operator_mode && !matches!(p.input.credentials, Credentials::CredsFile(_)) {
        return no_credentials(p, d, via);
    }
    if reason.contains("requires a user JWT") || reason.contains("V2 signature") || reason.contains("JWT not valid") {
        let fix = match &d.jwt {
            Some(j) => format!(
                "the user JWT's signature does not verify against its issuer `{}`{}: it was edited, truncated or signed by another key; reissue it with nsc (`nsc generate creds --name {}`) and never edit a JWT by hand",
                j.iss,
                j.signature_error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default(),
                j.name
            ),
            None => "reissue the user JWT with nsc; never edit a JWT by hand".into(),
        };
        return cause(Cause::JwtInvalid, "bad-signature", via, fix);
    }
    if reason.contains("account validation failed") {
        return cause(
            Cause::JwtInvalid,
            "account-expired",
            via,
            "the account JWT has expired: `nsc edit account --name ACCOUNT --expiry 0`, then push it (or update `resolver_preload`)",
        );
    }
    if reason.contains("account missing") || reason.contains("issuer is not known") {
        return account_claim(p, d, via, &reason);
    }
    if reason.contains("Signature not verified") {
        let fix = match (&d.jwt, &d.nkey_public) {
            (Some(j), _) => format!(
                "the seed in the creds file does not belong to the JWT's subject `{}`: put the user's own seed in the file (`nsc generate creds --name {}`)",
                j.sub, j.name
            ),
            (None, Some(k)) => format!(
                "the client signs the nonce with a seed whose key is not `{k}`: give it the seed of the key it announces"
            ),
            _ => "the client signs the nonce with a seed that does not belong to the key it announces".into(),
        };
        return cause(Cause::NkeyMismatch, "signature-not-verified", via, fix);
    }
    let callout = p.config.authorization().and_then(|a| a.auth_callout);
    if let Some(c) = callout {
        let why = out.log.iter().find(|l| l.to_ascii_lowercase().contains("callout")).cloned().unwrap_or_default();
        return cause(
            Cause::AuthEndpoint,
            "auth-callout-refused",
            format!("`auth_callout` (account `{}`) refused the client or did not answer: {why}", c.account),
            format!(
                "check the service answering `$SYS.REQ.USER.AUTH` in account `{}` for users {}: it must answer within `authorization {{ timeout }}` with a response JWT signed by `{}`",
                c.account,
                super::decode::list(&c.auth_users),
                c.issuer.unwrap_or_else(|| "the issuer".into())
            ),
        );
    }
    if let Some(public) = &d.nkey_public {
        let listed: Vec<String> = p.config.users().iter().filter_map(|u| u.nkey.clone()).collect();
        return cause(
            Cause::NkeyMismatch,
            "unknown-nkey",
            format!("the server does not know the client's nkey `{public}`: {line}"),
            format!(
                "add `{{ nkey: \"{public}\" }}` to the users of the config, or give the client the seed of a listed key ({})",
                super::decode::list(&listed)
            ),
        );
    }
    no_credentials(p, d, via_plain(&line))
}

fn via_plain(line: &str) -> String {
    format!(
        "the server refused the connection with `-ERR 'Authorization Violation'` and closed it; its log says `{}`",
        line.split(" - ").last().unwrap_or(line)
    )
}

fn account_claim(p: &Prepared, d: &Decoded, via: String, reason: &str) -> Found {
    let Some(j) = &d.jwt else {
        return cause(
            Cause::AccountClaim,
            "account-missing",
            via,
            "the account of the user JWT is not known to the resolver: push the account JWT (`nsc push -a ACCOUNT`) or add it to `resolver_preload`",
        );
    };
    let accounts = account_signing_keys(p);
    let listing = accounts.iter().find(|(_, _, keys)| keys.contains(&j.iss));
    if reason.contains("issuer is not known") {
        let acc = j.issuer_account.clone().unwrap_or_default();
        let name =
            accounts.iter().find(|(k, _, _)| *k == acc).map(|(_, n, _)| n.clone()).unwrap_or_else(|| acc.clone());
        return cause(
            Cause::AccountClaim,
            "signing-key-not-listed",
            via,
            format!(
                "the JWT's `issuer_account` is `{acc}` but its issuer `{}` is not among that account's signing keys: `nsc edit account --name {name} --sk {}`, then push the account JWT (or update `resolver_preload`)",
                j.iss, j.iss
            ),
        );
    }
    match (&j.issuer_account, listing) {
        (None, Some((acc, name, _))) => cause(
            Cause::AccountClaim,
            "missing-issuer-account",
            via,
            format!(
                "the user JWT is signed by `{}`, a signing key of account `{name}` (`{acc}`), but has no `issuer_account`: reissue it with nsc, which sets `issuer_account: \"{acc}\"` when a signing key signs (`nsc edit user --name {}` then `nsc generate creds --name {}`)",
                j.iss, j.name, j.name
            ),
        ),
        (Some(acc), _) => cause(
            Cause::AccountClaim,
            "unknown-account",
            via,
            format!(
                "the user's account `{acc}` (its `issuer_account`) is not known to the resolver: push its JWT (`nsc push -a ACCOUNT`) or add `{acc}: <account jwt>` to `resolver_preload`"
            ),
        ),
        (None, None) => {
            let known: Vec<String> = accounts.iter().map(|(k, n, _)| format!("{n} {k}")).collect();
            cause(
                Cause::AccountClaim,
                "unknown-account",
                via,
                format!(
                    "the user JWT's issuer `{}` is neither an account the resolver knows (known: {}) nor a signing key one lists: push the account JWT that `{}` belongs to (`nsc push -a ACCOUNT`), or, if `{}` is a signing key, list it on its account and reissue the user with `issuer_account` set",
                    j.iss,
                    super::decode::list(&known),
                    j.iss,
                    j.iss
                ),
            )
        }
    }
}

fn no_credentials(p: &Prepared, d: &Decoded, via: String) -> Found {
    let auth = p.config.authorization();
    let users: Vec<String> = p.config.users().iter().filter_map(|u| u.user.clone()).collect();
    if d.operator_mode && !matches!(p.input.credentials, Credentials::CredsFile(_)) {
        return cause(
            Cause::NoCredentials,
            "operator-mode-needs-jwt",
            via,
            "the server is in operator (JWT) mode and accepts only user JWTs: give the client a `.creds` file (`nsc generate creds --name USER`)",
        );
    }
    match &p.input.credentials {
        Credentials::None => {
            let required = if auth.as_ref().is_some_and(|a| a.token.is_some()) {
                format!(
                    "a token (`authorization {{ token }}` at {})",
                    auth.as_ref().map(|a| a.at.to_string()).unwrap_or_default()
                )
            } else if !users.is_empty() {
                format!("one of the users {}", super::decode::list(&users))
            } else {
                "credentials".into()
            };
            cause(
                Cause::NoCredentials,
                "none-sent",
                via,
                format!(
                    "the client sent no credentials but the server requires {required}: connect with them (async-nats `user_and_password`, `token`, `credentials_file`), or set `no_auth_user` to the user anonymous clients should be"
                ),
            )
        }
        Credentials::UserPassword { user, .. } => match &d.user {
            Some(u) => cause(
                Cause::NoCredentials,
                "wrong-password",
                via,
                format!(
                    "user `{user}` exists (at {}) but the password the client sent is not its password: send the configured one, or set a new one there (`nats server passwd` makes a bcrypt hash)",
                    u.at
                ),
            ),
            None => cause(
                Cause::NoCredentials,
                "unknown-user",
                via,
                format!(
                    "there is no user `{user}` in this config (users: {}): use one of them, or add `{{ user: {user}, password: ... }}`",
                    super::decode::list(&users)
                ),
            ),
        },
        Credentials::Token(_) => cause(
            Cause::NoCredentials,
            "wrong-token",
            via,
            format!(
                "the token the client sent is not the one in `authorization {{ token }}`{}: send that token",
                auth.map(|a| format!(" at {}", a.at)).unwrap_or_default()
            ),
        ),
        _ => cause(
            Cause::NoCredentials,
            "refused",
            via,
            "the server does not accept these credentials: compare them with the config's users",
        ),
    }
}
