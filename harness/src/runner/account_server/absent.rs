//! Without the `http` feature no account server can start: [`RunningAccountServer`] has no
//! value, and `start` says which feature the scenario needs.

use std::net::IpAddr;

use crate::backend::ServerError;
use crate::keyring::Keyring;
use crate::render::Provider;
use crate::spec::AccountServerSpec;

/// No account server runs in this build; the type has no value.
pub enum RunningAccountServer {}

impl RunningAccountServer {
    /// Refuses: the account server needs the `http` feature.
    pub async fn start(
        _spec: &AccountServerSpec,
        _ring: &Keyring,
        _system: &str,
        _host: IpAddr,
    ) -> Result<RunningAccountServer, String> {
        Err(ServerError::feature_missing("http", "a scenario's account server (`[account-server]`)").to_string())
    }

    /// Never called: there is no running account server.
    pub fn serve(&self, _ring: &Keyring) {
        match *self {}
    }

    /// Never called: there is no running account server.
    pub fn stop(self) {
        match self {}
    }
}

impl Provider for RunningAccountServer {
    fn value(&self, _key: &str) -> Option<String> {
        match *self {}
    }

    fn describe(&self) -> &'static str {
        "account-server.url"
    }
}
