//! The HTTP contract the troubleshooting guide describes for `auth_url`
//! (which nats-server does not have; this bridge gives it one):
//!
//! - `POST`, `Content-Type: application/json`, and `Authorization: Bearer
//!   <token>` when the client sent a token;
//! - body `{"token": ..., "user": ..., "pass": ...}` with what the client sent
//!   (fields the client did not send are left out);
//! - success is a 2xx with `{"user": "...", "permissions": {"pub": [...],
//!   "sub": [...]}}`.
//!
//! Mapping to NATS permissions: a listed subject list is the allow list; an
//! empty list (`"pub": []`) allows nothing in that direction (deny `>`); a
//! missing `pub`, `sub` or `permissions` leaves that direction unrestricted.
//! Unknown fields are refused, so a typo (`"publish"`) cannot silently lift a
//! restriction.
//!
//! ```
//! use natsfault::auth_bridge::{EndpointRequest, Grant};
//!
//! let req = EndpointRequest { token: Some("s3cret".into()), user: None, pass: None };
//! assert_eq!(req.bearer().as_deref(), Some("Bearer s3cret"));
//! assert_eq!(req.to_json(), r#"{"token":"s3cret"}"#);
//!
//! let grant = Grant::parse(br#"{"user":"alice","permissions":{"pub":["data.>"],"sub":["data.>"]}}"#).unwrap();
//! assert_eq!(grant.user, "alice");
//! let perms = grant.nats_permissions();
//! assert_eq!(perms.publish.allow, vec!["data.>".to_string()]);
//! assert!(Grant::parse(b"<html>").is_err());
//! assert!(Grant::parse(br#"{"permissions":{}}"#).is_err());
//! ```

use serde::{Deserialize, Serialize};

use super::claims::ConnectOptions;
use super::failure::Failure;
use crate::credentials::{Permission, Permissions};

/// The JSON body POSTed to the endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointRequest {
    /// The client's token (`auth_token` in CONNECT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The client's user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The client's password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl EndpointRequest {
    /// The body for a client's CONNECT options.
    pub fn from_connect(opts: &ConnectOptions) -> EndpointRequest {
        EndpointRequest { token: non_empty(&opts.auth_token), user: non_empty(&opts.user), pass: non_empty(&opts.pass) }
    }

    /// The `Authorization` header value, when the client sent a token.
    pub fn bearer(&self) -> Option<String> {
        self.token.as_ref().map(|t| format!("Bearer {t}"))
    }

    /// The body as JSON text.
    pub fn to_json(&self) -> String {
        // Serializing three optional strings cannot fail.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The permissions of a grant, as the guide writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantPermissions {
    /// Subjects the user may publish to.
    #[serde(rename = "pub", default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<Vec<String>>,
    /// Subjects the user may subscribe to.
    #[serde(rename = "sub", default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Vec<String>>,
}

/// A successful answer: who the user is and what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The user name; becomes the user JWT's `name`.
    pub user: String,
    /// Permissions; `None` leaves the user unrestricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<GrantPermissions>,
}

fn direction(list: &Option<Vec<String>>) -> Permission {
    match list {
        None => Permission::default(),
        Some(subjects) if subjects.is_empty() => Permission { allow: Vec::new(), deny: vec![">".into()] },
        Some(subjects) => Permission { allow: subjects.clone(), deny: Vec::new() },
    }
}

impl Grant {
    /// Parses a 2xx body; the failure says whether it was not JSON or not
    /// the expected shape.
    pub fn parse(body: &[u8]) -> Result<Grant, Failure> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(Failure::not_json)?;
        let grant: Grant = serde_json::from_value(value).map_err(Failure::bad_shape)?;
        if grant.user.is_empty() {
            return Err(Failure::bad_shape("expected a non-empty `user`"));
        }
        Ok(grant)
    }

    /// The permissions as NATS JWT user permissions.
    pub fn nats_permissions(&self) -> Permissions {
        let none = GrantPermissions::default();
        let p = self.permissions.as_ref().unwrap_or(&none);
        Permissions { publish: direction(&p.publish), subscribe: direction(&p.subscribe), resp: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_bridge::FailureKind;

    #[test]
    fn body_carries_only_what_the_client_sent() {
        let opts = ConnectOptions { user: "bob".into(), pass: "pw".into(), ..Default::default() };
        let req = EndpointRequest::from_connect(&opts);
        assert_eq!(req.to_json(), r#"{"user":"bob","pass":"pw"}"#);
        assert_eq!(req.bearer(), None);
    }

    #[test]
    fn shapes_are_told_apart() {
        assert_eq!(Grant::parse(b"not json").unwrap_err().kind, FailureKind::NotJson);
        assert_eq!(Grant::parse(b"[1]").unwrap_err().kind, FailureKind::BadShape);
        let missing = Grant::parse(br#"{"permissions":{"pub":[]}}"#).unwrap_err();
        assert_eq!(missing.kind, FailureKind::BadShape);
        assert!(missing.message.contains("missing field `user`"), "{}", missing.message);
        let typo = Grant::parse(br#"{"user":"a","permissions":{"publish":["x"]}}"#).unwrap_err();
        assert!(typo.message.contains("unknown field `publish`"), "{}", typo.message);
        assert_eq!(Grant::parse(br#"{"user":""}"#).unwrap_err().kind, FailureKind::BadShape);
    }

    #[test]
    fn empty_list_allows_nothing_missing_list_allows_all() {
        let g = Grant::parse(br#"{"user":"a","permissions":{"pub":[]}}"#).unwrap();
        let p = g.nats_permissions();
        assert_eq!(p.publish.deny, vec![">".to_string()]);
        assert_eq!(p.subscribe, Permission::default());
    }
}
