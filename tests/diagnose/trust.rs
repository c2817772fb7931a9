//! An operator-mode setup made at test time: operator, SYS, APP (with one listed signing key),
//! its config in a temp dir, and creds files.

use std::path::PathBuf;

use natsfault::credentials::{AccountClaims, Identity, OperatorClaims, UserClaims, encode, format_creds, keys};
use tempfile::TempDir;

/// Keys, JWTs and the folder holding the config.
pub struct Trust {
    /// Holds `nats.conf` and creds files.
    pub dir: TempDir,
    /// The APP account.
    pub app: Identity,
    /// A signing key listed on APP.
    pub app_signing: Identity,
}

impl Trust {
    /// A fresh setup; `edit` adjusts APP's claims before they are signed.
    pub fn new(edit: impl FnOnce(&mut AccountClaims)) -> Trust {
        let operator = keys::operator();
        let sys = keys::account();
        let app = keys::account();
        let app_signing = keys::account_signing_key();
        let mut oc = OperatorClaims::new(operator.public_key(), "ACME");
        oc.nats.system_account = sys.public_key().to_string();
        let operator_jwt = encode(&mut oc, &operator).unwrap();
        let sys_jwt = encode(&mut AccountClaims::new(sys.public_key(), "SYS"), &operator).unwrap();
        let mut ac = AccountClaims::new(app.public_key(), "APP");
        ac.nats.signing_keys.push(app_signing.public_key().into());
        edit(&mut ac);
        let app_jwt = encode(&mut ac, &operator).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("operator.jwt"), &operator_jwt).unwrap();
        let config = format!(
            "# prod-east\nport: 4222\noperator: operator.jwt\nsystem_account: {sys}\nresolver: MEMORY\nresolver_preload: {{\n  {sys}: \"{sys_jwt}\"\n  {app_key}: \"{app_jwt}\"\n}}\n",
            sys = sys.public_key(),
            app_key = app.public_key(),
        );
        std::fs::write(dir.path().join("nats.conf"), config).unwrap();
        Trust { dir, app, app_signing }
    }

    /// The config file.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("nats.conf")
    }

    /// Writes a creds file for a new user signed by `signer` after `edit`; returns its path, the
    /// user's seed and the JWT's signature (secrets that must not show).
    pub fn creds(&self, name: &str, signer: &Identity, edit: impl FnOnce(&mut UserClaims)) -> (PathBuf, Vec<String>) {
        let user = keys::user();
        let mut claims = UserClaims::new(user.public_key(), name);
        edit(&mut claims);
        let jwt = encode(&mut claims, signer).unwrap();
        self.write_creds(name, &jwt, user.seed())
    }

    /// Writes `jwt` and `seed` as a creds file.
    pub fn write_creds(&self, name: &str, jwt: &str, seed: &str) -> (PathBuf, Vec<String>) {
        let path = self.dir.path().join(format!("{name}.creds"));
        std::fs::write(&path, format_creds(jwt, seed)).unwrap();
        let sig = jwt.rsplit('.').next().unwrap().to_string();
        (path, vec![seed.to_string(), sig])
    }
}
