//! The natsfault server image as a testcontainers [`Image`], for tests that already start their
//! dependencies with testcontainers: `natsfault/nats-server:VERSION` (built offline by
//! `make image`, `FROM scratch`), with a config copied in and readiness read from stderr.

use std::borrow::Cow;

use testcontainers::Image;
use testcontainers::core::{ContainerPort, CopyToContainer, WaitFor};

use crate::backend::{CLIENT_PORT, CONFIG_FILE, CONTAINER_DIR, IMAGE_REPOSITORY, ServerSpec};

/// A nats-server image with a config (and its files), ready once it logs `Server is ready`.
///
/// ```no_run
/// use natsfault::testing::NatsServerImage;
/// use testcontainers::runners::AsyncRunner;
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let image = NatsServerImage::new("2.15.1").with_config("authorization { token: s3cret-token }");
/// let container = image.start().await?;
/// let port = container.get_host_port_ipv4(4222).await?;
/// let client = async_nats::ConnectOptions::with_token("s3cret-token".into())
///     .connect(format!("nats://127.0.0.1:{port}"))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct NatsServerImage {
    tag: String,
    config: CopyToContainer,
    files: Vec<CopyToContainer>,
    cmd: Vec<String>,
}

fn config_copy(text: &str) -> CopyToContainer {
    CopyToContainer::new(text.as_bytes().to_vec(), format!("{CONTAINER_DIR}/{CONFIG_FILE}"))
}

const PORTS: [ContainerPort; 1] = [ContainerPort::Tcp(CLIENT_PORT)];

impl NatsServerImage {
    /// The image of `version`, with an empty config.
    pub fn new(version: impl Into<String>) -> NatsServerImage {
        NatsServerImage {
            tag: version.into(),
            config: config_copy(""),
            files: Vec::new(),
            cmd: crate::backend::server_args(),
        }
    }

    /// With this nats.conf (the listen address and port are set on the command line).
    ///
    /// The text is held to the door's rules ([`crate::door::guard_text`]): a config that would
    /// listen, dial, read or write outside the run is not given to the server, which then refuses
    /// to start with natsfault's reason in its log (`nats.conf:...` in the container's config);
    /// [`NatsServerImage::try_with_config`] returns the reason instead.
    pub fn with_config(self, config: impl Into<String>) -> NatsServerImage {
        let config = config.into();
        match self.clone().try_with_config(&config) {
            Ok(image) => image,
            Err(why) => {
                let mut image = self;
                // An unknown key: nats-server refuses the file and says which line.
                let refused = format!("# natsfault refused this config: {why}\nnatsfault_refused_the_config: true\n");
                image.config = config_copy(&refused);
                image
            }
        }
    }

    /// The config text, or why the door refuses it (a listener, a dial, a file outside the run).
    ///
    /// ```
    /// use natsfault::testing::NatsServerImage;
    /// let err = NatsServerImage::new("2.15.1").try_with_config("cluster { routes: [\"nats://10.0.0.7:6222\"] }").unwrap_err();
    /// assert!(err.contains("would dial `10.0.0.7:6222`"), "{err}");
    /// ```
    pub fn try_with_config(mut self, config: &str) -> Result<NatsServerImage, String> {
        self.config = config_copy(&crate::door::guard_text(config)?);
        Ok(self)
    }

    /// The config and files of a [`ServerSpec`] (a team's [`crate::door::DeployedConfig`]
    /// gives one), e.g. a config with includes.
    pub fn with_spec(mut self, spec: &ServerSpec) -> NatsServerImage {
        // The spec's config is already the door's plan.
        self.config = config_copy(&spec.config);
        for f in &spec.files {
            self.files.push(CopyToContainer::new(f.contents.clone(), format!("{CONTAINER_DIR}/{}", f.name)));
        }
        self
    }
}

impl Image for NatsServerImage {
    fn name(&self) -> &str {
        IMAGE_REPOSITORY
    }

    fn tag(&self) -> &str {
        &self.tag
    }

    fn ready_conditions(&self) -> Vec<WaitFor> {
        vec![WaitFor::message_on_stderr("Server is ready")]
    }

    fn copy_to_sources(&self) -> impl IntoIterator<Item = &CopyToContainer> {
        std::iter::once(&self.config).chain(&self.files)
    }

    fn cmd(&self) -> impl IntoIterator<Item = impl Into<Cow<'_, str>>> {
        self.cmd.iter().map(String::as_str)
    }

    fn expose_ports(&self) -> &[ContainerPort] {
        &PORTS
    }
}
