//! [`TestServer`]: a real nats-server (a process, or a container) in operator mode with the
//! accounts and users a test asks for, a creds file per user, a fault-injecting proxy in front
//! of it, and everything removed on drop.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::error::TestServerError;
use super::user::TestUser;
use crate::backend::{Backend, ProcessBackend, RunningServer, ServerSpec, resolve_version};
use crate::credentials::write_creds;
use crate::keyring::Keyring;
use crate::proxy::{Proxy, ToxicSpec};
use crate::render::Provider;
use crate::spec::{AccountSpec, Identities, OperatorSpec, SubjectRules, UserSpec};

/// What to start: a version, users, and where it runs.
#[derive(Clone, Debug, Default)]
pub struct TestServerBuilder {
    version: Option<String>,
    users: BTreeMap<String, TestUser>,
    container: bool,
    extra_config: String,
    config_file: Option<PathBuf>,
    door: crate::door::DoorOptions,
    team_creds: BTreeMap<String, PathBuf>,
}

/// A running nats-server for a test, with a creds file per user. Clients connect to
/// [`TestServer::url`], through a proxy that takes toxics; the server stops and every file goes
/// when it is dropped (`NATSFAULT_KEEP=1` keeps the sandbox).
///
/// ```no_run
/// use natsfault::testing::{TestServer, TestUser};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let server = TestServer::builder()
///     .user("orders", TestUser::new("APP").publish(["orders.>"]))
///     .start()
///     .await?;
/// let client = async_nats::ConnectOptions::with_credentials_file(server.creds("orders")?)
///     .await?
///     .connect(server.url())
///     .await?;
/// client.publish("orders.created", "{}".into()).await?;
/// # Ok(()) }
/// ```
pub struct TestServer {
    server: Box<dyn RunningServer>,
    proxy: Proxy,
    creds: BTreeMap<String, PathBuf>,
    /// The folder of the creds files the builder wrote (none for a team's own files).
    _creds_dir: Option<tempfile::TempDir>,
}

impl TestServer {
    /// A builder: no users yet, the default version, a local process.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// A builder for the team's own config file, played through the same door as `verify` and
    /// a scenario's `config-file`: its includes and the files it names read from its folder,
    /// its JetStream store inside the sandbox, no listener, route or dial of the deployment
    /// kept. Name the team's creds files with [`TestServerBuilder::creds_file`].
    ///
    /// ```no_run
    /// use natsfault::TestServer;
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = TestServer::from_config_file("deploy/nats.conf")
    ///     .creds_file("orders", "deploy/orders.creds")
    ///     .start()
    ///     .await?;
    /// let client = async_nats::ConnectOptions::with_credentials_file(server.creds("orders")?)
    ///     .await?
    ///     .connect(server.url())
    ///     .await?;
    /// let js = async_nats::jetstream::new(client);
    /// js.get_or_create_stream(async_nats::jetstream::stream::Config {
    ///     name: "ORDERS".into(),
    ///     subjects: vec!["orders.>".into()],
    ///     ..Default::default()
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub fn from_config_file(path: impl Into<PathBuf>) -> TestServerBuilder {
        TestServerBuilder { config_file: Some(path.into()), ..TestServerBuilder::default() }
    }
}

fn rules(allow: &[String], deny: &[String]) -> Option<SubjectRules> {
    let spanned = |v: &[String]| v.iter().map(|s| Spanned::new(0..0, s.clone())).collect();
    (!allow.is_empty() || !deny.is_empty()).then(|| SubjectRules { allow: spanned(allow), deny: spanned(deny) })
}

impl TestServerBuilder {
    /// The nats-server version (default [`crate::backend::DEFAULT_VERSION`], or
    /// `NATSFAULT_SERVER_VERSION`).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Adds a user; its creds file is [`TestServer::creds`]`(name)`.
    pub fn user(mut self, name: impl Into<String>, user: TestUser) -> Self {
        self.users.insert(name.into(), user);
        self
    }

    /// Runs the server in a container (`natsfault/nats-server:VERSION`, built by `make image`)
    /// instead of a local process. Needs natsfault's `container` feature.
    #[cfg(feature = "container")]
    pub fn container(mut self, on: bool) -> Self {
        self.container = on;
        self
    }

    /// nats.conf text added after the operator, accounts and resolver (e.g. `jetstream: {}`).
    /// It is held to what a scenario's config is: no listener, file or dial outside the run.
    pub fn config(mut self, text: impl Into<String>) -> Self {
        self.extra_config = text.into();
        self
    }

    /// A creds file of the team's for `user` (with [`TestServer::from_config_file`]), returned
    /// by [`TestServer::creds`].
    pub fn creds_file(mut self, user: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.team_creds.insert(user.into(), path.into());
        self
    }

    /// A variable the config file names as `$NAME` (nats-server's own environment is not used).
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.door.env.push(crate::door::EnvVar { name: name.into(), value: value.into() });
        self
    }

    fn identities(&self) -> Identities {
        let mut ids =
            Identities { operator: Some(Spanned::new(0..0, OperatorSpec::default())), ..Identities::default() };
        for (name, u) in &self.users {
            ids.accounts.entry(u.account.clone()).or_insert_with(|| Spanned::new(0..0, AccountSpec::default()));
            let spec = UserSpec {
                account: Some(Spanned::new(0..0, u.account.clone())),
                publish: rules(&u.publish, &u.deny_publish),
                subscribe: rules(&u.subscribe, &u.deny_subscribe),
                ..UserSpec::default()
            };
            ids.users.insert(name.clone(), Spanned::new(0..0, spec));
        }
        ids
    }

    /// Issues the keys and JWTs, writes a creds file per user, starts the server and its proxy.
    pub async fn start(self) -> Result<TestServer, TestServerError> {
        let asked = self
            .version
            .clone()
            .or_else(|| std::env::var("NATSFAULT_SERVER_VERSION").ok())
            .unwrap_or_else(|| crate::backend::DEFAULT_VERSION.to_string());
        let version = resolve_version(&asked).map_err(|e| TestServerError::Version(asked.clone(), e))?;
        if let Some(path) = &self.config_file {
            return self.start_config_file(path, version).await;
        }
        let ring = Keyring::issue(&self.identities()).map_err(|e| TestServerError::Credentials(e.to_string()))?;
        let lookup = |key: &str| ring.value(key).unwrap_or_default();
        let config = format!(
            "operator: \"{}\"\nsystem_account: \"{}\"\nresolver: MEMORY\n{}\n{}\n",
            lookup("operator.jwt"),
            lookup("system-account"),
            ring.resolver_preload().unwrap_or_default(),
            self.extra_config
        );
        let config = crate::door::guard_text(&config).map_err(TestServerError::Config)?;
        let dir =
            crate::backend::owned_temp_dir("testserver").map_err(|e| TestServerError::Credentials(e.to_string()))?;
        let mut creds = BTreeMap::new();
        for name in self.users.keys() {
            let Some(u) = ring.user(name) else { return Err(TestServerError::UnknownUser(name.clone())) };
            let path = dir.path().join(format!("{name}.creds"));
            write_creds(&path, &u.jwt, &u.seed).map_err(|e| TestServerError::Credentials(e.to_string()))?;
            creds.insert(name.clone(), path);
        }
        let spec = ServerSpec::new(version, config).label("testserver");
        let (server, proxy) = start_spec(&spec, self.container).await?;
        Ok(TestServer { server, proxy, creds, _creds_dir: Some(dir) })
    }

    /// The team's config file through the door.
    async fn start_config_file(
        &self,
        path: &Path,
        version: crate::spec::Version,
    ) -> Result<TestServer, TestServerError> {
        if !self.users.is_empty() || !self.extra_config.is_empty() {
            return Err(TestServerError::Config(
                "expected the config file alone: its users are the file's own; name their creds files with `creds_file`".into(),
            ));
        }
        let deployed =
            crate::door::load_config_file_with(path, &self.door).map_err(|e| TestServerError::Config(e.to_string()))?;
        let spec = deployed.spec(version).label("testserver");
        let (server, proxy) = start_spec(&spec, self.container).await?;
        Ok(TestServer { server, proxy, creds: self.team_creds.clone(), _creds_dir: None })
    }
}

/// Starts the server and the proxy in front of it.
async fn start_spec(spec: &ServerSpec, container: bool) -> Result<(Box<dyn RunningServer>, Proxy), TestServerError> {
    let server = if container {
        #[cfg(feature = "container")]
        {
            crate::backend::ContainerBackend::connect().await?.start(spec).await?
        }
        #[cfg(not(feature = "container"))]
        unreachable!("TestServerBuilder::container exists only with the `container` feature")
    } else {
        ProcessBackend.start(spec).await?
    };
    let proxy = Proxy::start(server.client_addr()).await.map_err(|e| TestServerError::Proxy(e.to_string()))?;
    Ok((server, proxy))
}

impl TestServer {
    fn running(&mut self) -> &mut dyn RunningServer {
        self.server.as_mut()
    }

    /// `nats://127.0.0.1:PORT` of the proxy in front of the server (toxics apply here).
    pub fn url(&self) -> String {
        format!("nats://{}", self.proxy.listen_addr())
    }

    /// `nats://127.0.0.1:PORT` of the server itself, with nothing in between.
    pub fn direct_url(&self) -> String {
        format!("nats://{}", self.server.client_addr())
    }

    /// The address of the server itself.
    pub fn server_addr(&self) -> SocketAddr {
        self.server.client_addr()
    }

    /// The creds file of `user`, for async-nats `credentials_file`.
    pub fn creds(&self, user: &str) -> Result<&Path, TestServerError> {
        self.creds.get(user).map(PathBuf::as_path).ok_or_else(|| TestServerError::UnknownUser(user.into()))
    }

    /// The confinement the server runs under (`confined:` in natsfault's reports).
    pub fn confinement(&self) -> crate::backend::Confinement {
        self.server.confinement()
    }

    /// The sockets the server holds right now (`sockets:` in natsfault's reports), read from the
    /// operating system; `None` where the backend cannot see them (containers).
    pub fn sockets(&self) -> Option<std::io::Result<crate::backend::SocketAudit>> {
        self.server.audit()
    }

    /// Every server log line so far (the server runs with `-D`).
    pub fn log(&self) -> Vec<String> {
        self.server.log().all().into_iter().map(|l| l.value).collect()
    }

    /// Pauses the server (SIGSTOP, or `docker pause`): connections stay open, nothing answers.
    pub async fn pause(&mut self) -> Result<(), TestServerError> {
        Ok(self.running().pause().await?)
    }

    /// Resumes a paused server.
    pub async fn resume(&mut self) -> Result<(), TestServerError> {
        Ok(self.running().resume().await?)
    }

    /// Stops the server (SIGTERM); [`TestServer::restart`] brings it back on the same address.
    pub async fn stop(&mut self) -> Result<(), TestServerError> {
        Ok(self.running().stop().await?)
    }

    /// Kills the server (SIGKILL).
    pub async fn kill(&mut self) -> Result<(), TestServerError> {
        Ok(self.running().kill().await?)
    }

    /// Restarts the server on the same address.
    pub async fn restart(&mut self) -> Result<(), TestServerError> {
        Ok(self.running().restart().await?)
    }

    /// Installs a toxic on the proxy (latency, bandwidth, timeout, reset-peer, down, ...).
    pub fn add_toxic(&self, toxic: ToxicSpec) -> Result<(), TestServerError> {
        self.proxy.add_toxic(toxic).map_err(|e| TestServerError::Proxy(e.to_string()))
    }

    /// Removes the toxic named `name`.
    pub fn remove_toxic(&self, name: &str) -> Result<(), TestServerError> {
        self.proxy.remove_toxic(name).map_err(|e| TestServerError::Proxy(e.to_string()))
    }

    /// Closes every connection through the proxy.
    pub fn reset_connections(&self) {
        self.proxy.reset_all();
    }
}
