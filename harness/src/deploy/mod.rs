//! A team's own deployment files: a nats.conf with its includes and the files it names, played
//! through the same sandbox rewrite `diagnose` uses, and the clients' credential files.

mod error;
mod server;

pub use error::DeployError;
pub use server::{DeployedConfig, load_config_file};
