//! Server configs for auth callout, and the matching bridge specs.

use std::time::Duration;

use natsfault::auth_bridge::{BridgeMode, BridgeSpec, ServiceAuth};
use natsfault::credentials::{
    AccountClaims, ExternalAuthorization, Identity, OperatorClaims, UserClaims, encode, format_creds, keys,
};
use nkeys::XKey;

/// The config-mode service user.
pub const AUTH_USER: &str = "auth";
/// Its password.
pub const AUTH_PASSWORD: &str = "auth";

/// Config mode: `AUTH` (callout), `APP` (target), `SYS`.
pub struct ConfigMode {
    /// The callout issuer account key.
    pub issuer: Identity,
    /// The curve key, when requests are sealed.
    pub xkey: Option<XKey>,
    /// `authorization { timeout }`, seconds.
    pub auth_timeout: f64,
}

impl ConfigMode {
    /// Config mode with the given auth timeout and no xkey.
    pub fn new(auth_timeout: f64) -> ConfigMode {
        ConfigMode { issuer: keys::account(), xkey: None, auth_timeout }
    }

    /// With a curve key: the server seals requests.
    pub fn sealed(mut self) -> ConfigMode {
        self.xkey = Some(XKey::new());
        self
    }

    /// The server config.
    pub fn config(&self) -> String {
        let xkey = match &self.xkey {
            Some(x) => format!("\n    xkey: {}", x.public_key()),
            None => String::new(),
        };
        format!(
            "accounts {{\n  AUTH {{ users: [ {{ user: {AUTH_USER}, password: {AUTH_PASSWORD} }} ] }}\n  APP {{}}\n  SYS {{}}\n}}\n\
             system_account: SYS\n\
             authorization {{\n  timeout: {}\n  auth_callout {{\n    issuer: {}\n    account: AUTH\n    auth_users: [ {AUTH_USER} ]{xkey}\n  }}\n}}\n",
            self.auth_timeout,
            self.issuer.public_key(),
        )
    }

    /// A bridge spec for this setup (with the xkey seed when sealed).
    pub fn spec(&self, nats_url: &str, auth_url: &str, timeout: Duration) -> BridgeSpec {
        let spec = BridgeSpec::new(
            nats_url,
            auth_url,
            self.issuer.seed(),
            BridgeMode::Config { target_account: "APP".into() },
            ServiceAuth::UserPassword { user: AUTH_USER.into(), password: AUTH_PASSWORD.into() },
        )
        .with_request_timeout(timeout);
        match &self.xkey {
            Some(x) => spec.with_xkey_seed(x.seed().unwrap()),
            None => spec,
        }
    }
}

/// Operator mode: operator, `SYS`, `AUTH` (callout account with
/// `authorization`), `APP` (allowed target).
pub struct OperatorMode {
    /// The operator.
    pub operator: Identity,
    /// The system account.
    pub sys: Identity,
    /// The callout account (signs responses).
    pub auth: Identity,
    /// The target account (signs user JWTs).
    pub app: Identity,
    /// The bridge's own user in AUTH (listed in `auth_users`).
    pub service: Identity,
    /// The curve key, when requests are sealed.
    pub xkey: Option<XKey>,
    /// `authorization { timeout }`, seconds; `None` leaves the default.
    pub auth_timeout: Option<f64>,
}

fn user_jwt(user: &Identity, name: &str, signer: &Identity, edit: impl FnOnce(&mut UserClaims)) -> String {
    let mut uc = UserClaims::new(user.public_key(), name);
    edit(&mut uc);
    encode(&mut uc, signer).unwrap()
}

impl OperatorMode {
    /// A fresh trust chain.
    pub fn new(auth_timeout: Option<f64>) -> OperatorMode {
        OperatorMode {
            operator: keys::operator(),
            sys: keys::account(),
            auth: keys::account(),
            app: keys::account(),
            service: keys::user(),
            xkey: None,
            auth_timeout,
        }
    }

    /// With a curve key in AUTH's `authorization`.
    pub fn sealed(mut self) -> OperatorMode {
        self.xkey = Some(XKey::new());
        self
    }

    /// The server config: MEMORY resolver preloaded with the three accounts.
    pub fn config(&self) -> String {
        let mut oc = OperatorClaims::new(self.operator.public_key(), "OP");
        oc.nats.system_account = self.sys.public_key().to_string();
        let operator_jwt = encode(&mut oc, &self.operator).unwrap();
        let account = |id: &Identity, name: &str, edit: &dyn Fn(&mut AccountClaims)| {
            let mut ac = AccountClaims::new(id.public_key(), name);
            edit(&mut ac);
            encode(&mut ac, &self.operator).unwrap()
        };
        let sys_jwt = account(&self.sys, "SYS", &|_| {});
        let app_jwt = account(&self.app, "APP", &|_| {});
        let auth_jwt = account(&self.auth, "AUTH", &|ac| {
            ac.nats.authorization = Some(ExternalAuthorization {
                auth_users: vec![self.service.public_key().to_string()],
                allowed_accounts: vec![self.app.public_key().to_string()],
                xkey: self.xkey.as_ref().map(XKey::public_key).unwrap_or_default(),
            });
        });
        let timeout = match self.auth_timeout {
            Some(t) => format!("authorization {{ timeout: {t} }}\n"),
            None => String::new(),
        };
        format!(
            "operator: \"{operator_jwt}\"\nsystem_account: {}\nresolver: MEMORY\nresolver_preload: {{\n  {}: \"{sys_jwt}\"\n  {}: \"{auth_jwt}\"\n  {}: \"{app_jwt}\"\n}}\n{timeout}",
            self.sys.public_key(),
            self.sys.public_key(),
            self.auth.public_key(),
            self.app.public_key(),
        )
    }

    /// The bridge's creds (a user of AUTH listed in `auth_users`).
    pub fn service_creds(&self) -> String {
        format_creds(&user_jwt(&self.service, "auth-service", &self.auth, |_| {}), self.service.seed())
    }

    /// Creds for a client: a user of AUTH that may do nothing itself; the
    /// callout replaces it.
    pub fn client_creds(&self) -> String {
        let user = keys::user();
        let jwt = user_jwt(&user, "auth-client", &self.auth, |uc| {
            uc.nats.permissions.publish.deny = vec![">".into()];
            uc.nats.permissions.subscribe.deny = vec![">".into()];
        });
        format_creds(&jwt, user.seed())
    }

    /// A bridge spec for this setup.
    pub fn spec(&self, nats_url: &str, auth_url: &str, timeout: Duration) -> BridgeSpec {
        let spec = BridgeSpec::new(
            nats_url,
            auth_url,
            self.auth.seed(),
            BridgeMode::Operator { target_account_seed: self.app.seed().into() },
            ServiceAuth::Credentials(self.service_creds()),
        )
        .with_request_timeout(timeout);
        match &self.xkey {
            Some(x) => spec.with_xkey_seed(x.seed().unwrap()),
            None => spec,
        }
    }
}
