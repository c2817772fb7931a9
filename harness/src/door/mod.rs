//! The one door: every way a config reaches a server (a scenario's pasted `config` or
//! `config-file`, `verify`, `diagnose`, `contract --from-config`, [`crate::TestServer`]) goes
//! through this plan, once. A door only says where the config comes from ([`DoorOptions`]:
//! the variables and folders the user passed explicitly) and what it plays.
//!
//! - a config file (with its includes): parsed without nats-server's environment fallback,
//!   includes and named files read with a bound from the config's own folder tree, rewritten
//!   by [`crate::natsconf::sandbox`] (listeners, dials and writes removed, TLS material replaced
//!   by stand-ins when asked, the JetStream store moved into the sandbox) and packed as a
//!   [`crate::backend::ServerSpec`]: [`load_config_file_with`];
//! - a scenario's pasted config (whose servers keep their cluster, leafnode and gateway blocks
//!   among themselves): refused by `check` where it would listen, dial, read or write outside
//!   the run, read by the same key table ([`crate::natsconf::guard`]): [`validate_listeners`];
//!   and played with its store inside the sandbox: [`scenario_config`].

mod config_file;
mod error;
mod options;
mod scenario;
mod store;
mod text;

pub use config_file::{DeployedConfig, load_config_file, load_config_file_with, plan_config};
pub use error::DeployError;
pub use options::{DoorOptions, EnvVar, EnvVarError};
pub use scenario::{adopt_environment, config_blocks, validate_listeners};
pub use store::{guard_text, scenario_config};
