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
//! - a team's own config and contract: [`verify_contract`] in one line, or [`load_config_file`],
//!   [`load_contract`] and [`verify`]; a team's config as a [`TestServer`] with
//!   [`TestServer::from_config_file`].
//!
//! The default features are the process backend, scenarios, contracts and [`TestServer`]; the
//! container backend (`container`), MQTT clients (`mqtt`), the auth callout bridge's HTTP side
//! and the URL account server (`http`), and the `natsfault` command (`cli`, with all of them)
//! are opt-in. A scenario that needs a feature this build lacks is refused before it plays, with
//! an error naming the feature.
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
// The modules under `#[doc(hidden)]` are the harness's own machinery: public so the CLI and this
// workspace's tests can reach them, not an API other crates should build on. What a test author
// needs is re-exported below, and the modules left documented hold the types those re-exports
// return.
#[cfg(feature = "http")]
pub mod auth_bridge;
pub mod backend;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod bench;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod client;
pub mod contract;
/// The old name of [`door`], kept so paths like `natsfault::deploy::load_config_file` still work.
#[doc(hidden)]
pub use door as deploy;
#[doc(hidden)]
pub mod diagnose;
pub mod door;
#[doc(hidden)]
pub mod input_file;
#[doc(hidden)]
pub mod keyring;
#[doc(hidden)]
pub mod matrix;
#[doc(hidden)]
pub mod observe;
#[doc(hidden)]
pub mod pki;
#[doc(hidden)]
pub mod proxy;
#[doc(hidden)]
pub mod redact;
#[doc(hidden)]
pub mod render;
pub mod report;
#[doc(hidden)]
pub mod runner;
pub mod spec;
pub mod testing;
#[doc(hidden)]
pub mod topology;

/// The credentials factory, its own crate ([`natsfault_credentials`]).
pub use natsfault_credentials as credentials;
/// The nats.conf reader, its own crate ([`natsfault_natsconf`]).
pub use natsfault_natsconf as natsconf;
/// Owner-only files for secrets, its own crate ([`natsfault_owner_only`]).
pub use natsfault_owner_only as owner_only;

#[cfg(feature = "container")]
pub use backend::ContainerBackend;
pub use backend::{Backend, ProcessBackend, RunningServer, ServerSpec};
pub use contract::{Contract, VerifyReport, load_contract, verify, verify_contract};
pub use door::{DeployedConfig, load_config_file};
pub use report::{ScenarioReport, Status};
pub use runner::play;
pub use spec::{Scenario, load_file};
#[cfg(feature = "container")]
pub use testing::NatsServerImage;
pub use testing::{TestServer, TestServerBuilder, TestUser, run_scenario_tests};

/// The README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
