//! Reading one callout message: open it when sealed, verify the JWT, and
//! check it is an authorization request for a user key.
//!
//! A sealed request carries the server's curve public key in the
//! `Nats-Server-Xkey` header and is `xkv1 | nonce | box` (nkeys `XKey::seal`).
//!
//! ```
//! use natsfault::auth_bridge::{FailureKind, open_request};
//!
//! let err = open_request(b"payload", Some("XSERVER"), None).unwrap_err();
//! assert_eq!(err.kind, FailureKind::Unseal);
//! let err = open_request(b"not a jwt", None, None).unwrap_err();
//! assert_eq!(err.kind, FailureKind::BadRequest);
//! ```

use nkeys::{KeyPair, KeyPairType, XKey};

use super::claims::{AuthorizationRequestClaims, REQUEST_AUDIENCE, REQUEST_TYPE};
use super::failure::Failure;
use crate::credentials::verify;

/// The header naming the server's curve key on sealed requests.
pub const XKEY_HEADER: &str = "Nats-Server-Xkey";

/// A request read and verified.
#[derive(Debug, Clone)]
pub struct OpenedRequest {
    /// The request claims.
    pub claims: AuthorizationRequestClaims,
    /// The server's curve key when the request was sealed; the response is
    /// sealed to it.
    pub server_xkey: Option<String>,
}

fn is_public_key(key: &str, kind: KeyPairType) -> bool {
    KeyPair::from_public_key(key).is_ok_and(|kp| kp.key_pair_type() == kind)
}

/// Opens (when `server_xkey` is given), verifies and checks a request.
pub fn open_request(payload: &[u8], server_xkey: Option<&str>, xkey: Option<&XKey>) -> Result<OpenedRequest, Failure> {
    let opened;
    let bytes = match server_xkey {
        None => payload,
        Some(sender) => {
            let ours = xkey.ok_or_else(Failure::sealed_without_xkey)?;
            let sender = XKey::from_public_key(sender).map_err(Failure::unseal)?;
            opened = ours.open(payload, &sender).map_err(Failure::unseal)?;
            &opened[..]
        }
    };
    let text = std::str::from_utf8(bytes).map_err(Failure::bad_request)?;
    let decoded = verify(text).map_err(Failure::bad_request)?;
    let claims: AuthorizationRequestClaims = decoded.claims_as().map_err(Failure::bad_request)?;
    if !is_public_key(&claims.data.iss, KeyPairType::Server) {
        return Err(Failure::bad_request(format!("expected a server key as `iss`, found `{}`", claims.data.iss)));
    }
    if claims.nats.claim_type != REQUEST_TYPE {
        return Err(Failure::bad_request(format!(
            "expected type `{REQUEST_TYPE}`, found `{}`",
            claims.nats.claim_type
        )));
    }
    if claims.data.aud.as_deref() != Some(REQUEST_AUDIENCE) {
        let aud = claims.data.aud.clone().unwrap_or_default();
        return Err(Failure::bad_request(format!("expected aud `{REQUEST_AUDIENCE}`, found `{aud}`")));
    }
    if !is_public_key(&claims.nats.user_nkey, KeyPairType::User) {
        let found = &claims.nats.user_nkey;
        return Err(Failure::bad_request(format!("expected a user key as `user_nkey`, found `{found}`")));
    }
    if !is_public_key(&claims.nats.server_id.id, KeyPairType::Server) {
        let found = &claims.nats.server_id.id;
        return Err(Failure::bad_request(format!("expected a server key as `server_id.id`, found `{found}`")));
    }
    Ok(OpenedRequest { claims, server_xkey: server_xkey.map(str::to_string) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_bridge::FailureKind;
    use crate::auth_bridge::claims::{AuthorizationRequest, ServerId};
    use crate::credentials::jwt::encode_signed_by;
    use crate::credentials::{ClaimsData, keys};

    fn request(server: &KeyPair, user: &str) -> String {
        let mut data = ClaimsData::new("ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA", "");
        data.aud = Some(REQUEST_AUDIENCE.into());
        let mut claims = AuthorizationRequestClaims {
            data,
            nats: AuthorizationRequest {
                server_id: ServerId { id: server.public_key(), ..Default::default() },
                user_nkey: user.into(),
                claim_type: REQUEST_TYPE.into(),
                version: 2,
                ..Default::default()
            },
        };
        encode_signed_by(&mut claims, &server.public_key(), server).unwrap()
    }

    #[test]
    fn plain_and_sealed_requests_open() {
        let server = KeyPair::new(KeyPairType::Server);
        let user = keys::user();
        let jwt = request(&server, user.public_key());
        let opened = open_request(jwt.as_bytes(), None, None).unwrap();
        assert_eq!(opened.claims.nats.user_nkey, user.public_key());

        let server_x = XKey::new();
        let ours = XKey::new();
        let sealed = server_x.seal(jwt.as_bytes(), &ours).unwrap();
        let opened = open_request(&sealed, Some(&server_x.public_key()), Some(&ours)).unwrap();
        assert_eq!(opened.server_xkey, Some(server_x.public_key()));
        let wrong = XKey::new();
        let err = open_request(&sealed, Some(&server_x.public_key()), Some(&wrong)).unwrap_err();
        assert_eq!(err.kind, FailureKind::Unseal);
    }

    #[test]
    fn requests_must_name_a_user_and_come_from_a_server() {
        let server = KeyPair::new(KeyPairType::Server);
        let err = open_request(request(&server, "nope").as_bytes(), None, None).unwrap_err();
        assert!(err.message.contains("user_nkey"), "{}", err.message);
        let account = KeyPair::new(KeyPairType::Account);
        let err = open_request(request(&account, keys::user().public_key()).as_bytes(), None, None).unwrap_err();
        assert!(err.message.contains("server key as `iss`"), "{}", err.message);
    }
}
