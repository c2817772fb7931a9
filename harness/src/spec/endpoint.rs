//! The `[auth-endpoint]` table: a mocked HTTP auth endpoint and the auth callout bridge in front
//! of it, and the `endpoint = { ... }` change a `set-endpoint` step makes.

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::duration::Dur;

/// The target account when `account` is not set.
pub const DEFAULT_ENDPOINT_ACCOUNT: &str = "APP";
/// The user the bridge connects as (its password is `{{password.auth}}`).
pub const ENDPOINT_AUTH_USER: &str = "auth";
/// The `user` of the default success body (the guide's example).
pub const DEFAULT_GRANT_USER: &str = "authenticated_user";
/// The `pub`/`sub` subjects of the default success body (the guide's example).
pub const DEFAULT_GRANT_SUBJECTS: &[&str] = &["data.>"];

/// How the server is set up for auth callout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointMode {
    /// `authorization { auth_callout { ... } }` in the server config.
    #[default]
    Config,
    /// Operator mode: the callout account's JWT carries the `authorization` claim
    /// (`[accounts.NAME] auth-callout = { ... }`); the bridge connects with a user of that
    /// account and signs user JWTs with the target account's key.
    Operator,
}

/// One `[auth-endpoint]` table (or `[fix.auth-endpoint]`, whose set fields override it).
///
/// ```toml
/// [auth-endpoint]
/// status = 401
/// account = "APP"
/// bridge-timeout = "1s"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointSpec {
    /// The HTTP status the endpoint answers with (default 200).
    pub status: Option<Spanned<u16>>,
    /// The response body, as is (default: the guide's success shape built from `user`, `pub`
    /// and `sub`).
    pub body: Option<String>,
    /// The `user` of the default body.
    pub user: Option<String>,
    /// The `permissions.pub` of the default body.
    #[serde(rename = "pub")]
    pub publish: Option<Vec<String>>,
    /// The `permissions.sub` of the default body.
    #[serde(rename = "sub")]
    pub subscribe: Option<Vec<String>>,
    /// How long the endpoint waits before answering.
    pub delay: Option<Dur>,
    /// The bridge calls a closed port on 127.0.0.1 instead of the endpoint.
    pub unreachable: Option<bool>,
    /// `config` (default) or `operator`.
    pub mode: Option<EndpointMode>,
    /// The account authorized users are placed in (default `APP`).
    pub account: Option<String>,
    /// Operator mode: the account whose JWT has `auth-callout` (its key signs the responses).
    pub callout_account: Option<Spanned<String>>,
    /// Operator mode: the user (of the callout account, listed in its `auth-users`) the bridge
    /// connects as.
    pub service_user: Option<Spanned<String>>,
    /// The bridge's HTTP timeout (default 1.5s).
    pub bridge_timeout: Option<Dur>,
    /// When the bridge's HTTP timeout expires, send no response at all (the server then waits
    /// for its own `authorization { timeout }`).
    pub silent_on_timeout: Option<bool>,
    /// The bridge opens sealed requests and seals its responses with `{{auth-endpoint.xkey}}`.
    pub xkey: Option<bool>,
    /// The token the endpoint accepts (placeholders allowed, `"{{token.app}}"`): a request
    /// without `Authorization: Bearer <token>` is answered `401 Unauthorized`, as a service that
    /// checks tokens answers; the others get `status` and `body`.
    pub token: Option<Spanned<String>>,
    /// In a topology, the server the callout service connects to (default: the first declared).
    pub server: Option<Spanned<String>>,
    /// How long the user JWTs the callout service issues are valid (their `exp`, in whole
    /// seconds, rounded up); default: no expiry.
    pub expires: Option<Dur>,
}

/// The `endpoint = { ... }` of a `set-endpoint` step: what the endpoint does from now on.
///
/// ```toml
/// [[steps]]
/// do = "set-endpoint"
/// endpoint = { status = 500 }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointChange {
    /// New status.
    pub status: Option<Spanned<u16>>,
    /// New body.
    pub body: Option<String>,
    /// New `user` of the default body.
    pub user: Option<String>,
    /// New `permissions.pub` of the default body.
    #[serde(rename = "pub")]
    pub publish: Option<Vec<String>>,
    /// New `permissions.sub` of the default body.
    #[serde(rename = "sub")]
    pub subscribe: Option<Vec<String>>,
    /// New delay.
    pub delay: Option<Dur>,
    /// `true`: the endpoint goes down (the bridge is pointed at a closed port); `false`: it
    /// comes back.
    pub unreachable: Option<bool>,
}

impl EndpointSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &EndpointSpec) -> EndpointSpec {
        let mut out = self.clone();
        pick!(out, over; status, body, user, publish, subscribe, delay, unreachable, mode, account,
            callout_account, service_user, bridge_timeout, silent_on_timeout, xkey, token, server, expires);
        out
    }

    /// This spec after a `set-endpoint` change.
    pub fn changed(&self, change: &EndpointChange) -> EndpointSpec {
        let mut out = self.clone();
        pick!(out, change; status, body, user, publish, subscribe, delay, unreachable);
        out
    }

    /// The status, default 200.
    pub fn status(&self) -> u16 {
        self.status.as_ref().map_or(200, |s| *s.get_ref())
    }

    /// The body the endpoint sends.
    pub fn body(&self) -> String {
        if let Some(b) = &self.body {
            return b.clone();
        }
        let subjects = |v: &Option<Vec<String>>| {
            v.clone().unwrap_or_else(|| DEFAULT_GRANT_SUBJECTS.iter().map(|s| s.to_string()).collect())
        };
        serde_json::json!({
            "user": self.user.as_deref().unwrap_or(DEFAULT_GRANT_USER),
            "permissions": { "pub": subjects(&self.publish), "sub": subjects(&self.subscribe) },
        })
        .to_string()
    }

    /// The status for a request with `authorization` (its header): 401 when `token` is set and
    /// the request does not carry it as a bearer token, else `status`.
    pub fn status_for(&self, authorization: Option<&str>) -> u16 {
        match &self.token {
            Some(t) if authorization != Some(format!("Bearer {}", t.get_ref()).as_str()) => 401,
            _ => self.status(),
        }
    }

    /// The delay before answering.
    pub fn delay(&self) -> Duration {
        self.delay.map(|d| d.get()).unwrap_or_default()
    }

    /// Whether the bridge calls a closed port.
    pub fn is_unreachable(&self) -> bool {
        self.unreachable == Some(true)
    }

    /// The target account.
    pub fn account(&self) -> &str {
        self.account.as_deref().unwrap_or(DEFAULT_ENDPOINT_ACCOUNT)
    }

    /// The mode, default config.
    pub fn mode(&self) -> EndpointMode {
        self.mode.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_body_is_the_guides_success_shape() {
        let s = EndpointSpec::default();
        assert_eq!(s.status(), 200);
        assert_eq!(s.body(), r#"{"permissions":{"pub":["data.>"],"sub":["data.>"]},"user":"authenticated_user"}"#);
    }

    #[test]
    fn fix_and_change_override_set_fields_only() {
        let base: EndpointSpec = toml::from_str("status = 401\naccount = \"APP\"").unwrap();
        let fix: EndpointSpec = toml::from_str("status = 200").unwrap();
        let m = base.merged(&fix);
        assert_eq!((m.status(), m.account()), (200, "APP"));
        let c: EndpointChange = toml::from_str("unreachable = true").unwrap();
        let m = m.changed(&c);
        assert!(m.is_unreachable() && m.status() == 200);
        assert!(toml::from_str::<EndpointChange>("account = \"X\"").is_err());
    }

    #[test]
    fn a_required_token_refuses_requests_without_it() {
        let s: EndpointSpec = toml::from_str("token = \"s3cret\"\nstatus = 200").unwrap();
        assert_eq!(s.status_for(Some("Bearer s3cret")), 200);
        assert_eq!(s.status_for(Some("Bearer other")), 401);
        assert_eq!(s.status_for(None), 401);
        assert_eq!(EndpointSpec::default().status_for(None), 200);
    }
}
