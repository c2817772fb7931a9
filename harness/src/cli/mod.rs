//! The `natsfault` command line.

mod args;
mod auth_bridge;
mod bench;
mod bisect;
mod clients;
mod contract;
mod diagnose;
pub mod exit;
mod list;
mod main;
mod matrix;
mod parse;
pub mod partition;
mod prepare;
mod run;
pub mod secret_file;
mod verify;
mod versions;

pub use crate::spec::discover::{DEFAULT_DIR, load_all, scenario_files};
pub use args::{BackendChoice, Cli, Command, DiagnoseArgs, Format};
pub use main::main;
