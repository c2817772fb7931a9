//! Identities of a first contract from creds files the user points at (operator mode: the
//! users are in JWTs, not in the config): one identity per creds file, `can` and `cannot` from
//! the user JWT's permissions, and whether the server's `resolver_preload` knows its account.
//! Only the JWT is read; the seed stays in the file.

use super::config::{identity_key, quote_all};
use crate::credentials::{Permission, UserClaims, decode, parse_creds};
use crate::natsconf::Config;

/// Why a creds file could not become an identity.
#[derive(Debug, thiserror::Error)]
#[error("creds file `{path}`: {why}")]
pub struct CredsIdentityError {
    /// The path as given.
    pub path: String,
    /// What was expected.
    pub why: String,
}

/// The `[identities.NAME]` block for the creds file at `path` (as the contract names it) with
/// contents `text`, and what the contract leaves out about it.
pub fn creds_identity(path: &str, text: &str, config: &Config) -> Result<(String, Vec<String>), CredsIdentityError> {
    let fail = |why: String| CredsIdentityError { path: path.to_string(), why };
    let (jwt, _) = parse_creds(text).map_err(|e| fail(format!("expected a creds file: {e}")))?;
    let claims: UserClaims = decode(&jwt)
        .map_err(|e| fail(format!("expected a user JWT: {e}")))?
        .claims_as()
        .map_err(|e| fail(format!("expected a user JWT: {e}")))?;
    if claims.nats.claim_type != "user" {
        return Err(fail(format!("expected a user JWT, found a `{}` JWT", claims.nats.claim_type)));
    }
    let account = if claims.nats.issuer_account.is_empty() {
        claims.data.iss.clone()
    } else {
        claims.nats.issuer_account.clone()
    };
    let stem = std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if claims.data.name.is_empty() { stem } else { claims.data.name.clone() };
    let key = identity_key(&name);
    let mut left = Vec::new();
    let mut can = Vec::new();
    let mut cannot = Vec::new();
    let p = &claims.nats.permissions;
    lines(&p.publish, "publish", &mut can, &mut cannot);
    lines(&p.subscribe, "subscribe", &mut can, &mut cannot);
    if let Some(r) = &p.resp {
        left.push(format!(
            "`{name}` ({path}) answers with response permissions ({} per request within {:?}): state them as `reply SUBJECT xN` lines",
            r.max,
            std::time::Duration::from_nanos(r.ttl.max(0) as u64)
        ));
    }
    let mut out = format!("# {path}: user `{name}` of account `{account}`\n");
    if let Some(at) = crate::contract::explain::preload_lacks(config, &account) {
        out.push_str(&format!("# its account is not in `resolver_preload` at {at}: the server will refuse it\n"));
    }
    out.push_str(&format!("[identities.{key}]\ncreds-file = \"{path}\"\n"));
    if can.is_empty() && cannot.is_empty() {
        out.push_str(
            "# no permissions in the JWT: everything is allowed; state what this service needs\ncan = [\"connect\"]\n",
        );
    } else {
        out.push_str(&format!("can = [\n{}]\ncannot = [\n{}]\n", quote_all(&can), quote_all(&cannot)));
    }
    Ok((out, left))
}

/// `can` from the allow list, `cannot` from the deny list; a publish line on a concrete subject.
fn lines(p: &Permission, kind: &str, can: &mut Vec<String>, cannot: &mut Vec<String>) {
    let line = |s: &String| {
        if kind == "publish" { format!("publish {}", super::config::concrete(s)) } else { format!("subscribe {s}") }
    };
    can.extend(p.allow.iter().map(line));
    cannot.extend(p.deny.iter().map(line));
}
