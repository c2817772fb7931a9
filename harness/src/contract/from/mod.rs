//! A first contract written from a config (`contract --from-config`): the users and their
//! permissions (`config`), the lines between users that responses and imports need (`links`),
//! and identities from creds files in operator mode (`creds`).

mod config;
mod creds;
mod links;

pub use config::{contract_from_config, contract_from_config_in, contract_from_config_with};
pub use creds::{CredsIdentityError, creds_identity};
