//! Building the reply to one request: a signed authorization response,
//! sealed to the server's curve key when the request was sealed.
//!
//! A grant carries a user JWT with `sub` = the request's `user_nkey`, `name`
//! = the endpoint's `user`, and the endpoint's permissions. In config mode it
//! is signed by the issuer with `aud` = the target account name; in operator
//! mode it is signed by the target account's key and has no `aud`. With a
//! user expiry it has `exp` = its `iat` plus the expiry.

use nkeys::XKey;

use super::claims::AuthorizationResponseClaims;
use super::contract::Grant;
use super::failure::Failure;
use super::request::OpenedRequest;
use super::signers::Signers;
use crate::credentials::{UserClaims, encode};

/// The user JWT for `grant`, for the request's user key.
pub fn user_jwt(signers: &Signers, request: &OpenedRequest, grant: &Grant) -> Result<String, Failure> {
    let mut claims = UserClaims::new(&request.claims.nats.user_nkey, &grant.user);
    claims.data.aud = signers.audience.clone();
    if let Some(expiry) = signers.user_expiry {
        // The server counts whole seconds: a part of one rounds up.
        let secs = expiry.as_secs() + u64::from(expiry.subsec_nanos() > 0);
        claims.data.exp = Some(claims.data.iat + secs as i64);
    }
    claims.nats.permissions = grant.nats_permissions();
    encode(&mut claims, &signers.user_issuer).map_err(Failure::respond)
}

/// The reply granting `grant`.
pub fn grant_reply(signers: &Signers, request: &OpenedRequest, grant: &Grant) -> Result<Vec<u8>, Failure> {
    let jwt = user_jwt(signers, request, grant)?;
    let n = &request.claims.nats;
    finish(signers, request, AuthorizationResponseClaims::allow(&n.user_nkey, &n.server_id.id, &jwt))
}

/// The reply refusing with `message` (logged by the server after
/// `Auth callout service returned an error: `).
pub fn error_reply(signers: &Signers, request: &OpenedRequest, message: &str) -> Result<Vec<u8>, Failure> {
    let n = &request.claims.nats;
    finish(signers, request, AuthorizationResponseClaims::deny(&n.user_nkey, &n.server_id.id, message))
}

fn finish(
    signers: &Signers,
    request: &OpenedRequest,
    mut claims: AuthorizationResponseClaims,
) -> Result<Vec<u8>, Failure> {
    let jwt = encode(&mut claims, &signers.issuer).map_err(Failure::respond)?;
    match (&request.server_xkey, &signers.xkey) {
        (Some(server), Some(ours)) => {
            let server = XKey::from_public_key(server).map_err(Failure::respond)?;
            ours.seal(jwt.as_bytes(), &server).map_err(Failure::respond)
        }
        _ => Ok(jwt.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_bridge::claims::{AuthorizationRequest, AuthorizationRequestClaims, ServerId};
    use crate::credentials::{ClaimsData, Identity, keys, verify};
    use nkeys::{KeyPair, KeyPairType};

    fn opened(server_xkey: Option<String>) -> (OpenedRequest, String) {
        let user = keys::user().public_key().to_string();
        let server = KeyPair::new(KeyPairType::Server).public_key();
        let claims = AuthorizationRequestClaims {
            data: ClaimsData::default(),
            nats: AuthorizationRequest {
                server_id: ServerId { id: server.clone(), ..Default::default() },
                user_nkey: user,
                ..Default::default()
            },
        };
        (OpenedRequest { claims, server_xkey }, server)
    }

    fn signers(issuer: &Identity, xkey: Option<XKey>) -> Signers {
        Signers {
            issuer: issuer.clone(),
            user_issuer: issuer.clone(),
            audience: Some("APP".into()),
            xkey,
            user_expiry: None,
        }
    }

    #[test]
    fn grant_in_config_mode_names_the_account_as_audience() {
        let issuer = keys::account();
        let (req, server) = opened(None);
        let grant = Grant::parse(br#"{"user":"alice","permissions":{"pub":["data.>"],"sub":["data.>"]}}"#).unwrap();
        let reply = grant_reply(&signers(&issuer, None), &req, &grant).unwrap();
        let resp = verify(std::str::from_utf8(&reply).unwrap()).unwrap();
        assert_eq!(resp.claims["aud"], server.as_str());
        assert_eq!(resp.claims["sub"], req.claims.nats.user_nkey.as_str());
        assert_eq!(resp.claims["iss"], issuer.public_key());
        let user = verify(resp.claims["nats"]["jwt"].as_str().unwrap()).unwrap();
        assert_eq!(user.claims["aud"], "APP");
        assert_eq!(user.claims["name"], "alice");
        assert_eq!(user.claims["sub"], req.claims.nats.user_nkey.as_str());
        assert_eq!(user.claims["nats"]["pub"]["allow"][0], "data.>");
    }

    #[test]
    fn a_user_expiry_sets_exp_in_whole_seconds() {
        let issuer = keys::account();
        let (req, _) = opened(None);
        let grant = Grant::parse(br#"{"user":"alice","permissions":{}}"#).unwrap();
        let user = |expiry| {
            let s = Signers { user_expiry: expiry, ..signers(&issuer, None) };
            let reply = grant_reply(&s, &req, &grant).unwrap();
            let resp = verify(std::str::from_utf8(&reply).unwrap()).unwrap();
            verify(resp.claims["nats"]["jwt"].as_str().unwrap()).unwrap().claims
        };
        let short = user(Some(std::time::Duration::from_millis(1500)));
        assert_eq!(short["exp"].as_i64().unwrap() - short["iat"].as_i64().unwrap(), 2);
        assert!(user(None).get("exp").is_none_or(|e| e.is_null()));
    }

    #[test]
    fn sealed_requests_get_sealed_replies() {
        let issuer = keys::account();
        let server_x = XKey::new();
        let ours = XKey::new();
        let (req, _) = opened(Some(server_x.public_key()));
        let reply = error_reply(&signers(&issuer, Some(ours.clone())), &req, "no").unwrap();
        assert!(reply.starts_with(b"xkv1"));
        let opened = server_x.open(&reply, &XKey::from_public_key(&ours.public_key()).unwrap()).unwrap();
        let resp = verify(std::str::from_utf8(&opened).unwrap()).unwrap();
        assert_eq!(resp.claims["nats"]["error"], "no");
    }
}
