//! Encoding, decoding and verifying NATS JWTs.
//!
//! A NATS JWT is `base64url(header) . base64url(claims) . base64url(sig)`,
//! all without padding, where the header is
//! `{"typ":"JWT","alg":"ed25519-nkey"}` and `sig` is the ed25519 signature,
//! by the key named in `iss`, over the ASCII text of the first two parts.
//!
//! The `jti` is computed as nats-io/jwt v2 does (`ClaimsData.hash`): the
//! JSON of the standard claims alone (`aud, exp, iat, iss, name, nbf, sub`,
//! empty ones omitted, `jti` empty and so omitted), hashed with SHA-512/256
//! and written in base32 (standard alphabet, no padding). `iss` is set
//! before hashing. The server does not check the jti.
//!
//! JSON is written like Go's `encoding/json`: serde_json's output, with `<`,
//! `>`, `&`, U+2028 and U+2029 escaped as `\u003c` etc., so names with those
//! characters hash to the same jti as with the Go library.

use std::fmt;

use data_encoding::{BASE32_NOPAD, BASE64URL_NOPAD};
use nkeys::KeyPair;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512_256};
use thiserror::Error;

use super::claims::{AccountClaims, ClaimsData, OperatorClaims, UserClaims};
use super::keys::Identity;

/// The header every NATS v2 JWT carries, as JSON.
pub const HEADER_JSON: &str = r#"{"typ":"JWT","alg":"ed25519-nkey"}"#;

/// The `alg` of NATS v2 JWTs.
pub const ALGORITHM: &str = "ed25519-nkey";

/// Claims types that can be encoded as a NATS JWT.
pub trait NatsClaims: Serialize + DeserializeOwned {
    /// The standard claims.
    fn claims_data(&self) -> &ClaimsData;
    /// The standard claims, mutable (encoding sets `iss` and `jti`).
    fn claims_data_mut(&mut self) -> &mut ClaimsData;
}

macro_rules! impl_nats_claims {
    ($($t:ty),*) => {$(
        impl NatsClaims for $t {
            fn claims_data(&self) -> &ClaimsData { &self.data }
            fn claims_data_mut(&mut self) -> &mut ClaimsData { &mut self.data }
        }
    )*};
}
impl_nats_claims!(OperatorClaims, AccountClaims, UserClaims);

/// The three parts of a JWT, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtPart {
    /// The first part, the header.
    Header,
    /// The second part, the claims.
    Claims,
    /// The third part, the signature.
    Signature,
}

impl fmt::Display for JwtPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtPart::Header => "header",
            JwtPart::Claims => "claims",
            JwtPart::Signature => "signature",
        })
    }
}

/// Why a JWT could not be encoded, decoded or verified.
#[derive(Debug, Error)]
pub enum JwtError {
    /// The text does not split into exactly three parts on `.`.
    #[error("expected three dot-separated parts (header.claims.signature), found {found}")]
    NotThreeParts {
        /// How many parts there were.
        found: usize,
    },
    /// A part is not base64url without padding.
    #[error("expected base64url without padding in the {part} part")]
    BadBase64 {
        /// Which part.
        part: JwtPart,
    },
    /// A part decodes but is not the JSON expected there.
    #[error("expected a JSON object in the {part} part: {source}")]
    BadJson {
        /// Which part.
        part: JwtPart,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The header's `alg` is not `ed25519-nkey`.
    #[error("expected header alg \"ed25519-nkey\", found {alg:?}")]
    BadAlgorithm {
        /// The `alg` found.
        alg: String,
    },
    /// `iss` is missing or is not an nkeys public key.
    #[error("expected an nkeys public key in iss, found {iss:?}")]
    BadIssuer {
        /// The `iss` found (empty when missing).
        iss: String,
    },
    /// The signature does not verify against the `iss` public key.
    #[error("expected a valid ed25519 signature by {iss} over the first two parts")]
    BadSignature {
        /// The public key the signature was checked against.
        iss: String,
    },
    /// The claims could not be serialized.
    #[error("expected claims that serialize to JSON: {0}")]
    Serialize(#[source] serde_json::Error),
    /// The signing key could not sign (it has no seed).
    #[error("expected a key pair with a seed to sign with: {0}")]
    Signing(#[source] nkeys::error::Error),
}

/// The JWT header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtHeader {
    /// Token type, `"JWT"`.
    pub typ: String,
    /// Algorithm, `"ed25519-nkey"`.
    pub alg: String,
}

/// A JWT split and decoded, not necessarily verified.
#[derive(Debug, Clone)]
pub struct DecodedJwt {
    /// The decoded header.
    pub header: JwtHeader,
    /// The decoded claims, as generic JSON.
    pub claims: serde_json::Value,
    /// The signed text: the first two parts joined by `.`.
    pub signing_input: String,
    /// The raw signature bytes.
    pub signature: Vec<u8>,
}

impl DecodedJwt {
    /// The `iss` claim, if present and a string.
    pub fn issuer(&self) -> Option<&str> {
        self.claims.get("iss").and_then(|v| v.as_str())
    }

    /// The claims parsed into a typed struct.
    pub fn claims_as<C: DeserializeOwned>(&self) -> Result<C, JwtError> {
        serde_json::from_value(self.claims.clone())
            .map_err(|source| JwtError::BadJson { part: JwtPart::Claims, source })
    }
}

/// Serializes `value` to JSON the way Go's `encoding/json` does.
pub fn go_json<T: Serialize + ?Sized>(value: &T) -> Result<String, JwtError> {
    let plain = serde_json::to_string(value).map_err(JwtError::Serialize)?;
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The jti of `data`: base32-nopad SHA-512/256 of its JSON with `jti` empty.
pub fn compute_jti(data: &ClaimsData) -> Result<String, JwtError> {
    let mut d = data.clone();
    d.jti.clear();
    let json = go_json(&d)?;
    Ok(BASE32_NOPAD.encode(&Sha512_256::digest(json.as_bytes())))
}

/// Encodes `claims` signed by `signer`: sets `iss` to the signer's public
/// key, computes `jti`, and signs. `iat` is kept as the claims have it.
pub fn encode<C: NatsClaims>(claims: &mut C, signer: &Identity) -> Result<String, JwtError> {
    let iss = signer.public_key().to_string();
    encode_signed_by(claims, &iss, &signer.key_pair())
}

/// Encodes `claims` naming `iss` as the issuer but signing with `signer`.
/// With a different key than `iss` names this makes a JWT that fails
/// verification; [`encode`] is the honest form.
pub fn encode_signed_by<C: NatsClaims>(claims: &mut C, iss: &str, signer: &KeyPair) -> Result<String, JwtError> {
    let data = claims.claims_data_mut();
    data.iss = iss.to_string();
    data.jti = compute_jti(data)?;
    let payload = go_json(claims)?;
    let signing_input =
        format!("{}.{}", BASE64URL_NOPAD.encode(HEADER_JSON.as_bytes()), BASE64URL_NOPAD.encode(payload.as_bytes()));
    let sig = signer.sign(signing_input.as_bytes()).map_err(JwtError::Signing)?;
    Ok(format!("{signing_input}.{}", BASE64URL_NOPAD.encode(&sig)))
}

fn decode_part(text: &str, part: JwtPart) -> Result<Vec<u8>, JwtError> {
    BASE64URL_NOPAD.decode(text.as_bytes()).map_err(|_| JwtError::BadBase64 { part })
}

/// Splits and decodes a JWT without verifying its signature.
pub fn decode(jwt: &str) -> Result<DecodedJwt, JwtError> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::NotThreeParts { found: parts.len() });
    }
    let header_bytes = decode_part(parts[0], JwtPart::Header)?;
    let claims_bytes = decode_part(parts[1], JwtPart::Claims)?;
    let signature = decode_part(parts[2], JwtPart::Signature)?;
    let header =
        serde_json::from_slice(&header_bytes).map_err(|source| JwtError::BadJson { part: JwtPart::Header, source })?;
    let claims: serde_json::Value =
        serde_json::from_slice(&claims_bytes).map_err(|source| JwtError::BadJson { part: JwtPart::Claims, source })?;
    Ok(DecodedJwt { header, claims, signing_input: format!("{}.{}", parts[0], parts[1]), signature })
}

/// Decodes a JWT and verifies its signature against the `iss` public key.
pub fn verify(jwt: &str) -> Result<DecodedJwt, JwtError> {
    let decoded = decode(jwt)?;
    if decoded.header.alg != ALGORITHM {
        return Err(JwtError::BadAlgorithm { alg: decoded.header.alg.clone() });
    }
    let iss = decoded.issuer().unwrap_or_default().to_string();
    let key = KeyPair::from_public_key(&iss).map_err(|_| JwtError::BadIssuer { iss: iss.clone() })?;
    key.verify(decoded.signing_input.as_bytes(), &decoded.signature).map_err(|_| JwtError::BadSignature { iss })?;
    Ok(decoded)
}
