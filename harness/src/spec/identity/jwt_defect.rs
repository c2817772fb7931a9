//! `defect = "..."`: one deliberate flaw in a user JWT.

use serde::Deserialize;

/// A deliberate flaw in a user JWT, applied after it is signed.
///
/// ```toml
/// [users.mallory]
/// account = "APP"
/// defect = "tamper-signature"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JwtDefectKind {
    /// No defect (a `[fix]` uses this to remove one).
    None,
    /// One bit of the signature flipped: the JWT decodes but does not verify.
    TamperSignature,
    /// `iss` names the intended signer, but another key signed it.
    WrongSigner,
    /// The signature part and its dot dropped (`header.claims`).
    Truncate,
    /// The signature emptied (`header.claims.`).
    StripSignature,
    /// The claims edited after signing (the subscription limit raised), signature kept.
    EditClaims,
}

impl JwtDefectKind {
    /// The name used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtDefectKind::None => "none",
            JwtDefectKind::TamperSignature => "tamper-signature",
            JwtDefectKind::WrongSigner => "wrong-signer",
            JwtDefectKind::Truncate => "truncate",
            JwtDefectKind::StripSignature => "strip-signature",
            JwtDefectKind::EditClaims => "edit-claims",
        }
    }
}
