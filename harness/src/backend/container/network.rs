//! The harness's own bridge network: every container of a backend joins it, so a server can be
//! cut off from it and joined again (`ContainerServer::disconnect` / `reconnect`) without
//! touching any other network. It goes when the last server and the backend are gone.

use std::collections::HashMap;
use std::net::IpAddr;

use testcontainers::bollard::Docker;
use testcontainers::bollard::models::{
    EndpointSettings, NetworkConnectRequest, NetworkCreateRequest, NetworkDisconnectRequest,
};

use super::cleanup::remove_network_blocking;
use super::engine::{engine_error, is_port_taken};
use crate::backend::error::ServerError;

/// How often rejoining the network is tried while a host port of the container is taken.
const REJOIN_TRIES: u32 = 10;
/// The pause between those tries (2 s in all).
const REJOIN_PAUSE: std::time::Duration = std::time::Duration::from_millis(200);

/// A bridge network created for one backend; removed on drop unless kept.
#[derive(Debug)]
pub(crate) struct HarnessNetwork {
    id: String,
    name: String,
    keep: bool,
}

impl HarnessNetwork {
    /// Creates network `name` with `labels`.
    pub(crate) async fn create(
        docker: &Docker,
        name: &str,
        labels: HashMap<String, String>,
        keep: bool,
    ) -> Result<HarnessNetwork, ServerError> {
        let req = NetworkCreateRequest {
            name: name.to_string(),
            driver: Some("bridge".into()),
            labels: Some(labels),
            ..Default::default()
        };
        let created = docker.create_network(req).await.map_err(engine_error(format!("create network `{name}`")))?;
        Ok(HarnessNetwork { id: created.id, name: name.to_string(), keep })
    }

    /// The network's name (containers join it by name, which keeps their port bindings on
    /// reconnect: the engine re-publishes ports on the network named in `NetworkMode`).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The network's gateway: the host's own address on it.
    pub(crate) async fn gateway(&self, docker: &Docker) -> Result<IpAddr, ServerError> {
        let what = format!("inspect network `{}`", self.name);
        let net = docker.inspect_network(&self.id, None).await.map_err(engine_error(what.clone()))?;
        let gateway = net.ipam.and_then(|i| i.config).into_iter().flatten().find_map(|c| c.gateway);
        gateway.and_then(|g| g.parse().ok()).ok_or_else(|| {
            ServerError::Engine(format!("{what}: expected a gateway address in its IPAM config, found none"))
        })
    }

    /// Cuts container `id` off the network: its published port stops answering (connections are
    /// refused) and established connections break.
    pub(crate) async fn disconnect(&self, docker: &Docker, id: &str) -> Result<(), ServerError> {
        let req = NetworkDisconnectRequest { container: id.to_string(), force: Some(true) };
        docker
            .disconnect_network(&self.name, req)
            .await
            .map_err(engine_error(format!("disconnect from network `{}`", self.name)))
    }

    /// Joins container `id` to the network again under `aliases` (the host names the other
    /// containers dial it by); its port is published on the same host port.
    pub(crate) async fn connect(
        &self,
        docker: &Docker,
        id: &str,
        aliases: Option<Vec<String>>,
    ) -> Result<(), ServerError> {
        let endpoint_config = aliases.map(|a| EndpointSettings { aliases: Some(a), ..Default::default() });
        let req = NetworkConnectRequest { container: id.to_string(), endpoint_config };
        // Rejoining publishes the container's host ports again. A port another program took
        // while the container was away (a probe binding it for a moment) is retried a bounded
        // number of times; one that stays taken is an error that says so.
        let mut tries = 0;
        loop {
            tries += 1;
            match docker.connect_network(&self.name, req.clone()).await {
                Ok(()) => return Ok(()),
                Err(e) if is_port_taken(&e) && tries < REJOIN_TRIES => tokio::time::sleep(REJOIN_PAUSE).await,
                Err(e) if is_port_taken(&e) => {
                    return Err(ServerError::Engine(format!(
                        "rejoin network `{}`: the container's host port was taken by another program while it was \
                         disconnected, and still is after {tries} tries: {e}",
                        self.name
                    )));
                }
                Err(e) => return Err(engine_error(format!("connect to network `{}`", self.name))(e)),
            }
        }
    }
}

impl Drop for HarnessNetwork {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("natsfault: kept network {0}; remove with `docker network rm {0}`", self.name);
        } else {
            remove_network_blocking(&self.id);
        }
    }
}
