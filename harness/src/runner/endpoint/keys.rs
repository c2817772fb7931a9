//! The phase's callout keys, made before its config is rendered.

use nkeys::XKey;

use crate::credentials::{Identity, keys};
use crate::render::{Provider, Secrets};

/// The phase's callout keys, made before the config is rendered: they fill
/// `{{auth-endpoint.issuer}}` and `{{auth-endpoint.xkey}}`.
pub struct EndpointKeys {
    pub(super) issuer: Identity,
    pub(super) xkey: XKey,
}

impl EndpointKeys {
    /// Fresh keys; their seeds are registered in `secrets`.
    pub fn new(secrets: &Secrets) -> EndpointKeys {
        let keys = EndpointKeys { issuer: keys::account(), xkey: XKey::new() };
        secrets.add(keys.issuer.seed());
        if let Ok(seed) = keys.xkey.seed() {
            secrets.add(&seed);
        }
        keys
    }
}

impl Provider for EndpointKeys {
    fn value(&self, key: &str) -> Option<String> {
        match key {
            "auth-endpoint.issuer" => Some(self.issuer.public_key().to_string()),
            "auth-endpoint.xkey" => Some(self.xkey.public_key()),
            _ => None,
        }
    }

    fn describe(&self) -> &'static str {
        "auth-endpoint.issuer`, `auth-endpoint.xkey"
    }
}
