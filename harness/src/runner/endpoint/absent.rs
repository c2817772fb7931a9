//! Without the `http` feature no auth endpoint can start: [`RunningEndpoint`] has no value, and
//! `start` says which feature the scenario needs.

use std::net::SocketAddr;
use std::time::Duration;

use super::{EndpointCall, EndpointKeys};
use crate::backend::ServerError;
use crate::keyring::Keyring;
use crate::observe::CalloutRequestSeen;
use crate::spec::{EndpointChange, EndpointSpec};

/// No auth endpoint runs in this build; the type has no value.
pub enum RunningEndpoint {}

impl RunningEndpoint {
    /// Refuses: the endpoint and its bridge need the `http` feature.
    pub async fn start(
        _endpoint: &EndpointSpec,
        _keys: &EndpointKeys,
        _ring: &Keyring,
        _server: SocketAddr,
        _auth_password: String,
    ) -> Result<RunningEndpoint, String> {
        Err(ServerError::feature_missing("http", "a scenario's auth endpoint (`[endpoint]`)").to_string())
    }

    /// Never called: there is no running endpoint.
    pub async fn change(&mut self, _change: &EndpointChange) -> Result<(), String> {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub fn tap(&self) -> &crate::proxy::Proxy {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub fn count(&self) -> usize {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub fn calls_since(&self, _mark: usize) -> Vec<EndpointCall> {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub async fn wait_count(&self, _count: usize, _within: Duration) -> usize {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub async fn wait_call(
        &self,
        _mark: usize,
        _within: Duration,
        _pred: impl Fn(&EndpointCall) -> bool,
    ) -> Option<EndpointCall> {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub fn callout_count(&self) -> usize {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub fn callout_requests_since(&self, _mark: usize) -> Vec<CalloutRequestSeen> {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub async fn wait_callout_count(&self, _count: usize, _within: Duration) -> usize {
        match *self {}
    }

    /// Never called: there is no running endpoint.
    pub async fn stop(self) {
        match self {}
    }
}
