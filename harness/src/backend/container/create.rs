//! The engine request that creates a server's container: image, command, labels, the client
//! port published on 127.0.0.1 only, the host gateway, the harness's network, and the host folder
//! of config files when the engine mounts it.

use crate::backend::CLIENT_PORT;
use std::collections::HashMap;

use testcontainers::bollard::models::{
    ContainerCreateBody, EndpointSettings, HostConfig, Mount, NetworkingConfig, PortBinding,
};

use super::files::CONTAINER_DIR;
use crate::backend::spec::{CONFIG_FILE, STORE_DIR};

/// A writable folder inside the container (tmpfs, owner-only) for what a server stores; the
/// rest of its root is read-only when the config is mounted.
pub const DATA_DIR: &str = "/data";

/// The tmpfs options of [`DATA_DIR`]. JetStream refuses an account limit larger than 75% of the
/// store's free space (`insufficient storage resources available`, 10047), so the size is what
/// an account's common limits need (a 64M size refused a 64M limit); tmpfs takes memory only for
/// what is written.
const DATA_TMPFS: &str = "rw,mode=0700,size=2g";

/// The name under which a container reaches the host (a mocked HTTP endpoint, say).
pub const HOST_GATEWAY_NAME: &str = "host.docker.internal";

/// What differs between containers.
#[derive(Debug)]
pub(crate) struct CreateRequest<'a> {
    /// The image reference.
    pub image: &'a str,
    /// Labels (ownership, run, scenario).
    pub labels: HashMap<String, String>,
    /// The port on 127.0.0.1 that [`CLIENT_PORT`] is published on.
    pub host_port: u16,
    /// The network to join.
    pub network: &'a str,
    /// The host folder mounted at the config folder, or `None` when the files are copied in.
    pub files: Option<Mount>,
    /// Extra listeners: (port inside, port on 127.0.0.1).
    pub published: &'a [(u16, u16)],
    /// The host name (and network alias) the other containers of a topology reach it by.
    pub hostname: Option<&'a str>,
    /// The server's whole environment: the variables the user passed explicitly.
    pub env: &'a [(String, String)],
}

/// The server's arguments: the copied config, debug logging, listening on every interface of the
/// container on [`CLIENT_PORT`], a JetStream store in [`DATA_DIR`] (used only by a config that
/// enables JetStream). Flags win over the config's own `listen` or `port`.
pub fn server_args() -> Vec<String> {
    let config = format!("{CONTAINER_DIR}/{CONFIG_FILE}");
    let store = format!("{DATA_DIR}/{STORE_DIR}");
    ["-c", config.as_str(), "-D", "-a", "0.0.0.0", "-p", &CLIENT_PORT.to_string(), "--store_dir", &store]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

impl CreateRequest<'_> {
    /// The create body. The image's entrypoint runs the server (`/nats-server` in the natsfault
    /// and official scratch images, an entrypoint script that passes flags on in alpine ones).
    pub(crate) fn body(self) -> ContainerCreateBody {
        let port_key = format!("{CLIENT_PORT}/tcp");
        let loopback =
            |port: u16| vec![PortBinding { host_ip: Some("127.0.0.1".into()), host_port: Some(port.to_string()) }];
        let mut bindings = HashMap::from([(port_key.clone(), Some(loopback(self.host_port)))]);
        let mut exposed = vec![port_key];
        for (inner, host) in self.published {
            let key = format!("{inner}/tcp");
            bindings.insert(key.clone(), Some(loopback(*host)));
            exposed.push(key);
        }
        let aliases = self.hostname.map(|h| {
            let endpoint = EndpointSettings { aliases: Some(vec![h.to_string()]), ..Default::default() };
            NetworkingConfig { endpoints_config: Some(HashMap::from([(self.network.to_string(), endpoint)])) }
        });
        ContainerCreateBody {
            image: Some(self.image.to_string()),
            hostname: self.hostname.map(str::to_string),
            networking_config: aliases,
            cmd: Some(server_args()),
            env: Some(self.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
            working_dir: Some(CONTAINER_DIR.into()),
            labels: Some(self.labels),
            exposed_ports: Some(exposed),
            host_config: Some(HostConfig {
                port_bindings: Some(bindings),
                extra_hosts: Some(vec![format!("{HOST_GATEWAY_NAME}:host-gateway")]),
                network_mode: Some(self.network.to_string()),
                // Files copied in need a writable root; a mounted config does not.
                readonly_rootfs: Some(self.files.is_some()),
                tmpfs: Some(HashMap::from([(DATA_DIR.to_string(), DATA_TMPFS.to_string())])),
                cap_drop: Some(vec!["ALL".into()]),
                security_opt: Some(vec!["no-new-privileges".into()]),
                mounts: self.files.map(|m| vec![m]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
}

/// A container name from a scenario label: engine names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub(crate) fn container_name(label: &str, run: &str, seq: u64) -> String {
    let safe: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(40)
        .collect();
    format!("natsfault-{safe}-{run}-{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_the_client_port_on_loopback_only() {
        let body = CreateRequest {
            image: "natsfault/nats-server:2.15.1",
            labels: HashMap::new(),
            host_port: 24222,
            network: "natsfault-1-0",
            files: None,
            published: &[(8080, 28080)],
            hostname: None,
            env: &[],
        }
        .body();
        let hc = body.host_config.unwrap();
        let bindings = hc.port_bindings.unwrap();
        let ws = bindings["8080/tcp"].as_ref().unwrap();
        assert_eq!(ws[0].host_ip.as_deref(), Some("127.0.0.1"), "an extra listener too");
        assert_eq!(ws[0].host_port.as_deref(), Some("28080"));
        let b = bindings["4222/tcp"].as_ref().unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(b[0].host_port.as_deref(), Some("24222"));
        assert_eq!(hc.extra_hosts.unwrap(), ["host.docker.internal:host-gateway"]);
        assert_eq!(
            body.cmd.unwrap().join(" "),
            "-c /etc/natsfault/nats.conf -D -a 0.0.0.0 -p 4222 --store_dir /data/jetstream"
        );
        assert_eq!(body.working_dir.as_deref(), Some("/etc/natsfault"));
        assert_eq!(hc.mounts, None, "the files are copied in");
        assert_eq!(hc.readonly_rootfs, Some(false), "files copied in need a writable root");
        assert_eq!(hc.cap_drop.unwrap(), ["ALL"]);
    }

    #[test]
    fn names_are_engine_safe() {
        assert_eq!(container_name("guide example.toml", "12-0", 3), "natsfault-guide-example-toml-12-0-3");
    }
}
