//! For other crates' tests: a real nats-server with generated identities ([`TestServer`]), the
//! same server as a testcontainers image ([`NatsServerImage`]), and every scenario file of a
//! folder as its own test ([`run_scenario_tests`]).

mod error;
#[cfg(feature = "container")]
mod image;
mod scenario_tests;
mod server;
mod user;

pub use error::TestServerError;
#[cfg(feature = "container")]
pub use image::NatsServerImage;
pub use scenario_tests::{ScenarioTest, run_scenario_tests, scenario_tests};
pub use server::{TestServer, TestServerBuilder};
pub use user::TestUser;

#[cfg(feature = "container")]
/// The testcontainers crate natsfault builds on, so a test uses [`NatsServerImage`] with the same
/// version of it.
pub use testcontainers;
