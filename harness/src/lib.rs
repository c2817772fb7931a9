//! natsfault reproduces NATS authentication and authorization failures on real nats-server
//! processes, asserts what the client observes, and shows the fix working.
//!
//! What a test author starts from is re-exported here:
//!
//! - scenario files: [`load_file`], then [`play`] on a [`ProcessBackend`] or a
//!   [`ContainerBackend`]; or every file of a folder as its own test with
//!   [`run_scenario_tests`] in a `harness = false` test binary;
//! - a real server for your own code under test: [`TestServer`] (users and their creds files,
//!   pause, stop, restart, toxics on a proxy in front of it, cleaned up on drop), or the same
//!   server as a testcontainers image, [`NatsServerImage`];
//! - a team's own config and contract: [`load_config_file`], [`load_contract`], [`verify`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let scenario = natsfault::load_file("scenarios/permissions/guide-example.toml".as_ref())?;
//! let report = natsfault::play(&scenario, &natsfault::ProcessBackend, "2.15.1".parse()?).await?;
//! assert_eq!(report.status, natsfault::Status::Passed);
//!
//! let server = natsfault::TestServer::builder()
//!     .user("orders", natsfault::TestUser::new("APP").publish(["orders.>"]))
//!     .start()
//!     .await?;
//! let client = async_nats::ConnectOptions::with_credentials_file(server.creds("orders")?)
//!     .await?
//!     .connect(server.url())
//!     .await?;
//! client.publish("orders.created", "{}".into()).await?;
//! # Ok(()) }
//! ```
pub mod auth_bridge;
pub mod backend;
pub mod bench;
pub mod cli;
pub mod client;
pub mod contract;
pub mod credentials;
pub mod deploy;
pub mod diagnose;
pub mod input_file;
pub mod keyring;
pub mod matrix;
pub mod natsconf;
pub mod observe;
pub mod owner_only;
pub mod pki;
pub mod proxy;
pub mod redact;
pub mod render;
pub mod report;
pub mod runner;
pub mod spec;
pub mod testing;
pub mod topology;

pub use backend::{Backend, ContainerBackend, ProcessBackend, RunningServer, ServerSpec};
pub use contract::{Contract, VerifyReport, load_contract, verify};
pub use deploy::{DeployedConfig, load_config_file};
pub use report::{ScenarioReport, Status};
pub use runner::play;
pub use spec::{Scenario, load_file};
pub use testing::{NatsServerImage, TestServer, TestServerBuilder, TestUser, run_scenario_tests};
