//! The state of one phase while it runs.

use std::collections::BTreeMap;
use std::time::Instant;

use super::account_server::RunningAccountServer;
use super::client_state::ClientState;
use super::endpoint::{EndpointKeys, RunningEndpoint};
use crate::backend::RunningServer;
use crate::keyring::Keyring;
use crate::observe::{Observation, ObservationKind};
use crate::render::{Provider, SecretProvider, Secrets};
use crate::report::Mismatch;
use crate::spec::{Identities, Phase, Scenario, Version};

/// Everything a phase's steps act on and record into.
pub struct PhaseCtx<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Which phase.
    pub phase: Phase,
    /// The server version.
    pub version: Version,
    /// Secrets to keep out of the records.
    pub secrets: Secrets,
    /// The identities in force (a `reload-server` step may change them).
    pub identities: Identities,
    /// Their keys and JWTs.
    pub keyring: Keyring,
    /// The server, once started.
    pub server: Option<Box<dyn RunningServer>>,
    /// The auth endpoint and its bridge, once started.
    pub endpoint: Option<RunningEndpoint>,
    /// The phase's callout keys (`{{auth-endpoint.issuer}}`, `{{auth-endpoint.xkey}}`), made
    /// before any config is rendered: every server of a topology and a reload's config name them.
    pub endpoint_keys: Option<EndpointKeys>,
    /// The mocked URL account resolver, started before the server.
    pub account_server: Option<RunningAccountServer>,
    /// Clients by name.
    pub clients: BTreeMap<String, ClientState>,
    /// The run's certificates (`[tls]`), once issued.
    pub pki: Option<crate::pki::Pki>,
    /// Extra listeners (websocket, MQTT) and their ports.
    pub listeners: super::listeners::Listeners,
    /// The other servers of a topology (`[servers.NAME]`) and every server's addresses.
    pub topology: Option<super::topology::Topology>,
    /// When the phase started.
    pub started: Instant,
    /// What was observed.
    pub observations: Vec<Observation>,
    /// What did not hold.
    pub failures: Vec<Mismatch>,
}

impl PhaseCtx<'_> {
    /// Records an observation (secrets removed).
    pub fn observe(&mut self, step: Option<usize>, client: Option<&str>, kind: ObservationKind) {
        self.observe_at(Instant::now(), step, client, kind);
    }

    /// Records an observation made at `at`.
    pub fn observe_at(&mut self, at: Instant, step: Option<usize>, client: Option<&str>, kind: ObservationKind) {
        let at_ms = at.saturating_duration_since(self.started).as_millis() as u64;
        self.observations.push(Observation {
            at_ms,
            step,
            client: client.map(str::to_string),
            kind: kind.redacted(&self.secrets),
        });
    }

    /// Records an expectation that did not hold (secrets removed).
    pub fn fail(
        &mut self,
        step: Option<usize>,
        action: &str,
        expectation: &str,
        expected: impl Into<String>,
        observed: impl Into<String>,
    ) {
        self.failures.push(Mismatch {
            step,
            action: action.to_string(),
            expectation: expectation.to_string(),
            expected: self.secrets.redact(&expected.into()),
            observed: self.secrets.redact(&observed.into()),
        });
    }

    /// The server's log length now, to look at lines written from here on.
    pub fn log_mark(&self) -> usize {
        self.server.as_ref().map_or(0, |s| s.log().len())
    }
}

/// A running phase fills the placeholders of texts its steps use (a reload's config, a `log`
/// pattern, an expected endpoint request): generated secrets, the keyring, the account server.
impl Provider for PhaseCtx<'_> {
    fn value(&self, key: &str) -> Option<String> {
        SecretProvider(&self.secrets)
            .value(key)
            .or_else(|| self.keyring.value(key))
            .or_else(|| self.account_server.as_ref()?.value(key))
            .or_else(|| self.pki.as_ref()?.value(key))
            .or_else(|| self.topology.as_ref()?.plan.value(key))
            .or_else(|| self.endpoint_keys.as_ref()?.value(key))
    }

    fn describe(&self) -> &'static str {
        "password.NAME`, `token.NAME`, the identities' keys and JWTs, `account-server.url"
    }
}
