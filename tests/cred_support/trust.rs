//! An operator-mode trust chain: operator, system account, and an APP
//! account with one signing key, preloaded into a MEMORY resolver.

use natsfault::credentials::{AccountClaims, Identity, OperatorClaims, UserClaims, encode, format_creds, keys};

/// Keys and JWTs of one operator-mode setup.
pub struct Trust {
    /// The operator.
    pub operator: Identity,
    /// The system account.
    pub sys: Identity,
    /// The application account.
    pub app: Identity,
    /// A signing key listed in APP's JWT.
    pub app_signing: Identity,
    /// The operator JWT.
    pub operator_jwt: String,
    /// The system account JWT.
    pub sys_jwt: String,
    /// The APP account JWT.
    pub app_jwt: String,
}

impl Trust {
    /// A fresh trust chain with default account claims.
    pub fn new() -> Trust {
        Trust::with_app(|_| {})
    }

    /// A fresh trust chain whose APP account claims are adjusted by `edit`
    /// before signing.
    pub fn with_app(edit: impl FnOnce(&mut AccountClaims)) -> Trust {
        let operator = keys::operator();
        let sys = keys::account();
        let app = keys::account();
        let app_signing = keys::account_signing_key();

        let mut oc = OperatorClaims::new(operator.public_key(), "OP");
        oc.nats.system_account = sys.public_key().to_string();
        let operator_jwt = encode(&mut oc, &operator).unwrap();

        let mut sc = AccountClaims::new(sys.public_key(), "SYS");
        let sys_jwt = encode(&mut sc, &operator).unwrap();

        let mut ac = AccountClaims::new(app.public_key(), "APP");
        ac.nats.signing_keys.push(app_signing.public_key().into());
        edit(&mut ac);
        let app_jwt = encode(&mut ac, &operator).unwrap();

        Trust { operator, sys, app, app_signing, operator_jwt, sys_jwt, app_jwt }
    }

    /// The server config: operator mode, MEMORY resolver (the backend listens on 127.0.0.1).
    pub fn config(&self) -> String {
        format!(
            "\
             operator: \"{}\"\n\
             system_account: \"{}\"\n\
             resolver: MEMORY\n\
             resolver_preload: {{\n  {}: \"{}\"\n  {}: \"{}\"\n}}\n",
            self.operator_jwt,
            self.sys.public_key(),
            self.sys.public_key(),
            self.sys_jwt,
            self.app.public_key(),
            self.app_jwt,
        )
    }

    /// A user JWT for a new user, signed by `signer`, after `edit`;
    /// returns the JWT and the user (whose seed signs the nonce).
    pub fn user_signed_by(&self, signer: &Identity, edit: impl FnOnce(&mut UserClaims)) -> (String, Identity) {
        let user = keys::user();
        (jwt_for(&user, signer, edit), user)
    }

    /// Creds text for a new APP user signed by the APP account key.
    pub fn app_user_creds(&self, edit: impl FnOnce(&mut UserClaims)) -> String {
        let (jwt, user) = self.user_signed_by(&self.app, edit);
        format_creds(&jwt, user.seed())
    }
}

/// A user JWT for `user`, signed by `signer`, after `edit`.
pub fn jwt_for(user: &Identity, signer: &Identity, edit: impl FnOnce(&mut UserClaims)) -> String {
    let mut uc = UserClaims::new(user.public_key(), "alice");
    edit(&mut uc);
    encode(&mut uc, signer).unwrap()
}
