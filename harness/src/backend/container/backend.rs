//! The container backend: each server is a nats-server container of its own, on a bridge
//! network of the backend's, its client port published on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures::future::BoxFuture;
use testcontainers::bollard::Docker;
use testcontainers::bollard::models::Mount;
use testcontainers::bollard::query_parameters::CreateContainerOptions;
use tokio::sync::OnceCell;

use super::boot::{BootError, boot};
use super::cleanup::{ContainerRemoval, sweep_leftovers};
use super::create::{CreateRequest, container_name};
use super::delivery::{FileDelivery, ServerFiles};
use super::engine::{connect, engine_error};
use super::files::{Archive, upload};
use super::image::{Images, image_for};
use super::mount::ConfigMount;
use super::network::HarnessNetwork;
use super::port::choose_host_port;
use super::server::{ContainerServer, Held};
use super::writable::writes_config_folder;
use crate::backend::error::ServerError;
use crate::backend::owner::{LABEL_SCENARIO, Owner};
use crate::backend::sandbox::keep_requested;
use crate::backend::spec::ServerSpec;
use crate::backend::traits::{Backend, RunningServer};
use crate::observe::Timeline;

/// How many host ports are tried when the chosen one is taken before the engine binds it.
const PORT_ATTEMPTS: u32 = 4;

/// Numbers backends and containers within this process (names and run ids stay unique).
static SEQ: AtomicU64 = AtomicU64::new(0);

/// Runs nats-server in containers (image `natsfault/nats-server:<version>`, built by
/// `scripts/build-image.sh`; `NATSFAULT_IMAGE` names another).
///
/// The config and files are bind-mounted from a host folder when the engine is local (see
/// [`FileDelivery`]), else copied into each container.
///
/// Every container and network it creates is labelled `io.natsfault=1` with this process as
/// owner, removed when its server is dropped (kept with `NATSFAULT_KEEP=1`), and removed by a
/// later backend if this process dies first.
///
/// ```no_run
/// use natsfault::backend::{Backend, ContainerBackend, ServerSpec};
/// # async fn demo() -> Result<(), natsfault::backend::ServerError> {
/// let backend = ContainerBackend::connect().await?;
/// let spec = ServerSpec::new("2.15.1".parse().unwrap(), "authorization { token: t }");
/// let server = backend.start(&spec).await?;
/// println!("nats://{}", server.client_addr());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ContainerBackend {
    docker: Docker,
    run: String,
    owner: Owner,
    keep: bool,
    delivery: FileDelivery,
    images: Images,
    network: OnceCell<Arc<HarnessNetwork>>,
}

impl ContainerBackend {
    /// Connects to the engine (`DOCKER_HOST`, else the local socket), negotiating the API
    /// version, and removes what runs of dead processes left behind. No engine, or an unknown
    /// `NATSFAULT_CONTAINER_FILES`, gives [`ServerError::Engine`].
    pub async fn connect() -> Result<ContainerBackend, ServerError> {
        let delivery = FileDelivery::from_env()?;
        let docker = connect().await?;
        sweep_leftovers(&docker).await?;
        let owner = Owner::current();
        let run = format!("{}-{}", owner.pid(), SEQ.fetch_add(1, Ordering::Relaxed));
        Ok(ContainerBackend {
            docker,
            run,
            owner,
            keep: keep_requested(),
            delivery,
            images: Images::default(),
            network: OnceCell::new(),
        })
    }

    /// With servers' files delivered as `delivery` from now on.
    pub fn with_file_delivery(mut self, delivery: FileDelivery) -> ContainerBackend {
        self.delivery = delivery;
        self
    }

    /// How servers' files reach their containers.
    pub fn file_delivery(&self) -> FileDelivery {
        self.delivery
    }

    /// This backend's run id (`<pid>-<n>`), the value of its objects' `io.natsfault.run` label.
    pub fn run_id(&self) -> &str {
        &self.run
    }

    /// Starts a server and returns the container itself (for what only containers can do, such
    /// as [`ContainerServer::disconnect`]).
    pub async fn start_container(&self, spec: &ServerSpec) -> Result<ContainerServer, ServerError> {
        let image = image_for(spec.version)?;
        self.images.ensure(&self.docker, &image, spec.version).await?;
        let network = self.network().await?;
        // Mounted: written once, used by every attempt. Copied: uploaded into each container.
        // A server that writes into its config folder (a directory resolver) gets a copy.
        let mount = match self.delivery {
            FileDelivery::Mount => Some(ConfigMount::create(spec)?),
            FileDelivery::Copy => None,
        };
        let (mut mount, archive) = match mount {
            Some(m) if !writes_config_folder(m.dir(), &spec.env) => (Some(m), None),
            _ => (None, Some(Archive::for_spec(spec)?.finish())),
        };
        let log = Timeline::new();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let began = Instant::now();
            let port = choose_host_port().map_err(ServerError::io("choose a host port"))?;
            let files = mount.as_ref().map(ConfigMount::mount);
            let mut removal = self.create(spec, &image, port, network.name(), files).await?;
            let copied = match &archive {
                Some(a) => upload(&self.docker, removal.id(), a.clone()).await,
                None => Ok(()),
            };
            let booted = match copied {
                Ok(()) => boot(&self.docker, removal.id(), ContainerServer::addr_for(port), &log, began).await,
                Err(e) => Err(BootError::Server(e)),
            };
            match booted {
                Ok(b) => {
                    let files = mount.take().map_or(ServerFiles::Copied, ServerFiles::Mounted);
                    let held = Held { removal, files, network };
                    return Ok(ContainerServer::new(self.docker.clone(), held, spec.version, port, log, b)
                        .with_alias(spec.hostname.clone()));
                }
                Err(e) => {
                    // The engine may refuse a removal right after a failed start; dropping retries.
                    let _ = removal.remove(&self.docker).await;
                    match e {
                        BootError::PortTaken(_) if attempt < PORT_ATTEMPTS => continue,
                        e => return Err(e.into_server_error(port)),
                    }
                }
            }
        }
    }

    async fn network(&self) -> Result<Arc<HarnessNetwork>, ServerError> {
        let net = self
            .network
            .get_or_try_init(|| async {
                let name = format!("natsfault-{}", self.run);
                HarnessNetwork::create(&self.docker, &name, self.owner.labels(&self.run, self.keep), self.keep)
                    .await
                    .map(Arc::new)
            })
            .await?;
        Ok(net.clone())
    }

    async fn create(
        &self,
        spec: &ServerSpec,
        image: &str,
        port: u16,
        network: &str,
        files: Option<Mount>,
    ) -> Result<ContainerRemoval, ServerError> {
        let name = container_name(&spec.label, &self.run, SEQ.fetch_add(1, Ordering::Relaxed));
        let mut labels = self.owner.labels(&self.run, self.keep);
        labels.insert(LABEL_SCENARIO.into(), spec.label.clone());
        let body = CreateRequest {
            image,
            labels,
            host_port: port,
            network,
            files,
            published: &spec.published,
            hostname: spec.hostname.as_deref(),
            env: &spec.env,
        }
        .body();
        let opts = CreateContainerOptions { name: Some(name.clone()), ..Default::default() };
        let created = self
            .docker
            .create_container(Some(opts), body)
            .await
            .map_err(engine_error(format!("create container from `{image}`")))?;
        Ok(ContainerRemoval::new(created.id, name, self.keep))
    }
}

impl Backend for ContainerBackend {
    fn name(&self) -> &'static str {
        "container"
    }

    fn start<'a>(&'a self, spec: &'a ServerSpec) -> BoxFuture<'a, Result<Box<dyn RunningServer>, ServerError>> {
        Box::pin(async move { Ok(Box::new(self.start_container(spec).await?) as Box<dyn RunningServer>) })
    }

    /// The gateway of the backend's own network: the host's address on that network, which its
    /// containers reach and nothing outside the host does.
    fn extra_listener(&self, host_port: u16, inner_port: u16) -> (String, Option<(u16, u16)>) {
        // Every interface of the container; the engine publishes it on 127.0.0.1 only.
        (format!("0.0.0.0:{inner_port}"), Some((inner_port, host_port)))
    }

    /// The container's own host name on the backend's network, and the port inside it.
    fn peer_address(&self, hostname: &str, _host_port: u16, inner_port: u16) -> (String, u16) {
        (hostname.to_string(), inner_port)
    }

    fn service_host(&self) -> BoxFuture<'_, Result<std::net::IpAddr, ServerError>> {
        Box::pin(async move { self.network().await?.gateway(&self.docker).await })
    }
}
