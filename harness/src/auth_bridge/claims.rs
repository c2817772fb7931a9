//! Authorization request and response claims of auth callout, with the field
//! names of nats-io/jwt v2 (`authorization_claims.go`).
//!
//! The server signs an [`AuthorizationRequestClaims`] with its own key
//! (`iss` = `N...`) and sends it on `$SYS.REQ.USER.AUTH`; the service answers
//! with an [`AuthorizationResponseClaims`] signed by the issuer account key,
//! `sub` = the request's `user_nkey`, `aud` = the server id, carrying either a
//! user JWT or an error.
//!
//! Requests are read leniently (unknown fields are ignored: newer servers add
//! some); responses are written the way the Go library writes them.
//!
//! ```
//! use natsfault::auth_bridge::AuthorizationResponseClaims;
//!
//! let deny = AuthorizationResponseClaims::deny("UUSER", "NSERVER", "auth endpoint returned status 401");
//! assert_eq!(deny.data.sub, "UUSER");
//! assert_eq!(deny.data.aud.as_deref(), Some("NSERVER"));
//! assert_eq!(deny.nats.error, "auth endpoint returned status 401");
//! assert_eq!(deny.nats.claim_type, "authorization_response");
//! ```

use serde::{Deserialize, Serialize};

use crate::credentials::ClaimsData;
use crate::credentials::jwt::NatsClaims;

/// The `aud` of every authorization request.
pub const REQUEST_AUDIENCE: &str = "nats-authorization-request";

/// The `nats.type` of an authorization request.
pub const REQUEST_TYPE: &str = "authorization_request";

/// The `nats.type` of an authorization response.
pub const RESPONSE_TYPE: &str = "authorization_response";

fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}

/// The server that asks (Go `ServerID`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerId {
    /// Server name.
    #[serde(default)]
    pub name: String,
    /// Host the server listens on.
    #[serde(default)]
    pub host: String,
    /// Server public key (`N...`): the `aud` of the response.
    #[serde(default)]
    pub id: String,
    /// Server version, e.g. `"2.15.1"`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Cluster name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    /// Server tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The server's curve public key (`X...`) when requests are sealed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub xkey: String,
}

/// The connecting client as the server sees it (Go `ClientInformation`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInformation {
    /// Client address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Connection id (`cid`).
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub id: u64,
    /// The user the client authenticated as, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Client name from CONNECT.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Connection kind (`"Client"`, `"Leafnode"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Client type (`"nats"`, `"mqtt"`, `"websocket"`).
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub client_type: String,
}

/// What the client sent in CONNECT (Go `ConnectOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectOptions {
    /// User JWT (operator mode sentinel credentials).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jwt: String,
    /// Nkey public key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nkey: String,
    /// Token (`auth_token`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub auth_token: String,
    /// User name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Password.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pass: String,
    /// Client name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Client language (`"rust"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lang: String,
    /// Client library version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Protocol number.
    #[serde(default)]
    pub protocol: i64,
}

/// The `nats` section of an authorization request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    /// The asking server.
    #[serde(default)]
    pub server_id: ServerId,
    /// The user key the response and the user JWT must name as `sub`.
    #[serde(default)]
    pub user_nkey: String,
    /// The client.
    #[serde(default)]
    pub client_info: ClientInformation,
    /// The client's CONNECT options.
    #[serde(default)]
    pub connect_opts: ConnectOptions,
    /// `"authorization_request"`.
    #[serde(default, rename = "type")]
    pub claim_type: String,
    /// Always 2.
    #[serde(default)]
    pub version: u32,
}

/// An authorization request JWT's claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationRequestClaims {
    /// Standard claims: `iss` = server key, `aud` = [`REQUEST_AUDIENCE`].
    #[serde(flatten)]
    pub data: ClaimsData,
    /// Request section.
    pub nats: AuthorizationRequest,
}

/// The `nats` section of an authorization response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationResponse {
    /// The user JWT granting access (exclusive with `error`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jwt: String,
    /// The refusal text; the server logs it after
    /// `Auth callout service returned an error: `.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// The account a signing key signed for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_account: String,
    /// `"authorization_response"`.
    #[serde(rename = "type")]
    pub claim_type: String,
    /// Always 2.
    pub version: u32,
}

/// An authorization response JWT's claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationResponseClaims {
    /// Standard claims: `sub` = user nkey, `aud` = server id.
    #[serde(flatten)]
    pub data: ClaimsData,
    /// Response section.
    pub nats: AuthorizationResponse,
}

impl AuthorizationResponseClaims {
    fn new(user_nkey: &str, server_id: &str, jwt: String, error: String) -> Self {
        let mut data = ClaimsData::new(user_nkey, "");
        data.aud = Some(server_id.to_string());
        AuthorizationResponseClaims {
            data,
            nats: AuthorizationResponse {
                jwt,
                error,
                issuer_account: String::new(),
                claim_type: RESPONSE_TYPE.into(),
                version: 2,
            },
        }
    }

    /// A response granting `user_jwt` to `user_nkey` on server `server_id`.
    pub fn allow(user_nkey: &str, server_id: &str, user_jwt: &str) -> Self {
        Self::new(user_nkey, server_id, user_jwt.to_string(), String::new())
    }

    /// A response refusing `user_nkey` on server `server_id` with `error`.
    pub fn deny(user_nkey: &str, server_id: &str, error: &str) -> Self {
        Self::new(user_nkey, server_id, String::new(), error.to_string())
    }
}

impl NatsClaims for AuthorizationRequestClaims {
    fn claims_data(&self) -> &ClaimsData {
        &self.data
    }
    fn claims_data_mut(&mut self) -> &mut ClaimsData {
        &mut self.data
    }
}

impl NatsClaims for AuthorizationResponseClaims {
    fn claims_data(&self) -> &ClaimsData {
        &self.data
    }
    fn claims_data_mut(&mut self) -> &mut ClaimsData {
        &mut self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{encode, keys, verify};

    #[test]
    fn response_json_matches_go_layout() {
        let issuer = keys::account();
        let mut claims = AuthorizationResponseClaims::allow("UUSER", "NSERVER", "a.b.c");
        claims.data.iat = 1;
        let jwt = encode(&mut claims, &issuer).unwrap();
        let decoded = verify(&jwt).unwrap();
        let nats = &decoded.claims["nats"];
        assert_eq!(nats["jwt"], "a.b.c");
        assert!(nats.get("error").is_none());
        assert_eq!(nats["type"], "authorization_response");
        assert_eq!(nats["version"], 2);
        assert_eq!(decoded.claims["aud"], "NSERVER");
        assert_eq!(decoded.claims["sub"], "UUSER");
        assert_eq!(decoded.claims["iss"], issuer.public_key());
    }

    #[test]
    fn request_reads_what_the_server_sends() {
        let json = r#"{"aud":"nats-authorization-request","iat":1,"iss":"NABC","jti":"J",
            "sub":"ABJ","exp":3,"nats":{"server_id":{"name":"n","host":"127.0.0.1","id":"NABC",
            "version":"2.15.1","xkey":"XKEY"},"user_nkey":"UNEW","client_info":{"host":"127.0.0.1",
            "id":5,"kind":"Client","type":"nats","start":"2026"},"connect_opts":{"auth_token":"t",
            "user":"u","pass":"p","lang":"rust","version":"0.51.0","protocol":1},
            "type":"authorization_request","version":2}}"#;
        let claims: AuthorizationRequestClaims = serde_json::from_str(json).unwrap();
        assert_eq!(claims.nats.server_id.id, "NABC");
        assert_eq!(claims.nats.server_id.xkey, "XKEY");
        assert_eq!(claims.nats.user_nkey, "UNEW");
        assert_eq!(claims.nats.client_info.id, 5);
        assert_eq!(claims.nats.connect_opts.auth_token, "t");
        assert_eq!(claims.nats.connect_opts.pass, "p");
        assert_eq!(claims.data.aud.as_deref(), Some(REQUEST_AUDIENCE));
    }
}
