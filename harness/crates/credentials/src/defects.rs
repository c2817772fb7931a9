//! Deliberate JWT defects for fault scenarios.
//!
//! Each helper takes a good JWT (or good claims) and breaks exactly one
//! thing, so a scenario can show what the server and client do with it.
//! What nats-server 2.15.1 logs for each is listed in `scenarios/IDENTITIES.md`.

use data_encoding::BASE64URL_NOPAD;

use super::claims::{AccountClaims, now_unix};
use super::jwt::{JwtError, JwtPart, NatsClaims, decode, encode_signed_by, go_json};
use super::keys::Identity;

/// A defect that can be applied to an already encoded JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtDefect {
    /// Flip one byte of the signature: still three parts and valid base64,
    /// but the signature no longer verifies.
    TamperSignature,
    /// Drop the signature part and its dot, leaving two parts.
    Truncate,
    /// Keep three parts but leave the signature empty (`h.c.`).
    StripSignature,
    /// Put a character that is not base64url (`*`) into one part.
    CorruptBase64(JwtPart),
}

impl JwtDefect {
    /// Applies the defect to `jwt`.
    pub fn apply(self, jwt: &str) -> Result<String, JwtError> {
        match self {
            JwtDefect::TamperSignature => tamper_signature(jwt),
            JwtDefect::Truncate => Ok(truncate_jwt(jwt)),
            JwtDefect::StripSignature => Ok(strip_signature(jwt)),
            JwtDefect::CorruptBase64(part) => corrupt_base64(jwt, part),
        }
    }
}

fn split3(jwt: &str) -> Result<[&str; 3], JwtError> {
    let parts: Vec<&str> = jwt.split('.').collect();
    match parts[..] {
        [h, c, s] => Ok([h, c, s]),
        _ => Err(JwtError::NotThreeParts { found: parts.len() }),
    }
}

/// Flips the lowest bit of the first signature byte. The JWT still decodes;
/// verification fails. An empty signature gives `BadSignature`.
pub fn tamper_signature(jwt: &str) -> Result<String, JwtError> {
    let decoded = decode(jwt)?;
    let iss = decoded.issuer().unwrap_or_default().to_string();
    let mut sig = decoded.signature;
    match sig.first_mut() {
        Some(b) => *b ^= 0x01,
        None => return Err(JwtError::BadSignature { iss }),
    }
    Ok(format!("{}.{}", decoded.signing_input, BASE64URL_NOPAD.encode(&sig)))
}

/// Removes the signature part and its dot: `header.claims`.
pub fn truncate_jwt(jwt: &str) -> String {
    match jwt.rfind('.') {
        Some(i) => jwt[..i].to_string(),
        None => jwt.to_string(),
    }
}

/// Keeps only the first `keep` characters, as a copy-paste cut short would.
pub fn truncate_chars(jwt: &str, keep: usize) -> String {
    jwt.chars().take(keep).collect()
}

/// Empties the signature: `header.claims.` (three parts, no signature).
pub fn strip_signature(jwt: &str) -> String {
    format!("{}.", truncate_jwt(jwt))
}

/// Inserts `*` (not in the base64url alphabet) in the middle of `part`.
pub fn corrupt_base64(jwt: &str, part: JwtPart) -> Result<String, JwtError> {
    let mut parts = split3(jwt)?.map(str::to_string);
    let idx = match part {
        JwtPart::Header => 0,
        JwtPart::Claims => 1,
        JwtPart::Signature => 2,
    };
    let mid = parts[idx].len() / 2;
    parts[idx].insert(mid, '*');
    Ok(parts.join("."))
}

/// Re-encodes the claims after `edit` but keeps the original signature, as
/// someone hand-editing a JWT (say, to raise a limit) would. The result
/// decodes but no longer verifies.
pub fn tamper_claims(jwt: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Result<String, JwtError> {
    let [header, _, sig] = split3(jwt)?;
    let mut claims = decode(jwt)?.claims;
    edit(&mut claims);
    let payload = BASE64URL_NOPAD.encode(go_json(&claims)?.as_bytes());
    Ok(format!("{header}.{payload}.{sig}"))
}

/// Encodes `claims` with `iss` naming `named_issuer` but the signature made
/// by `actual_signer`: a JWT signed by the wrong key.
pub fn sign_with_wrong_key<C: NatsClaims>(
    claims: &mut C,
    named_issuer: &Identity,
    actual_signer: &Identity,
) -> Result<String, JwtError> {
    encode_signed_by(claims, named_issuer.public_key(), &actual_signer.key_pair())
}

/// Sets `exp` to `seconds_ago` seconds in the past (and moves `iat` before
/// it so the claims stay plausible).
pub fn expire<C: NatsClaims>(claims: &mut C, seconds_ago: i64) {
    let now = now_unix();
    let data = claims.claims_data_mut();
    data.exp = Some(now - seconds_ago);
    data.iat = data.iat.min(now - seconds_ago - 60);
}

/// Sets `nbf` to `seconds_ahead` seconds in the future.
pub fn not_yet_valid<C: NatsClaims>(claims: &mut C, seconds_ahead: i64) {
    claims.claims_data_mut().nbf = Some(now_unix() + seconds_ahead);
}

/// Revokes `user_public_key` in `account` as of `at` (Unix seconds): user
/// JWTs for that key issued at or before `at` are refused. Use `"*"` to
/// revoke every user.
pub fn revoke(account: &mut AccountClaims, user_public_key: &str, at: i64) {
    account.nats.revocations.insert(user_public_key.to_string(), at);
}
