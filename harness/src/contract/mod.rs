//! Contracts: per identity, what must work and what must be refused on a team's own config,
//! played on one real server (`natsfault verify`), and a first contract written from what a
//! config allows (`natsfault contract --from-config`).

mod error;
mod explain;
mod from;
mod js_play;
mod line;
mod load;
mod model;
mod one_line;
mod play;
mod render;
mod reply_play;
mod report;
mod subject_match;

pub use error::{ContractError, ContractLoadError};
pub use from::{
    CredsIdentityError, contract_from_config, contract_from_config_in, contract_from_config_with, creds_identity,
};
pub use line::{JsLine, LineParseError, MAX_SUBJECT_BYTES, Verb, parse_line};
pub use load::{CONTRACT_FILE_LIMIT, load_contract, load_contract_str};
pub use model::{Contract, ContractIdentity, ContractLine};
pub use one_line::verify_contract;
pub use play::{VerifyError, verify};
pub use render::{render_human, render_json};
pub use report::{LineResult, Outcome, VerifyReport};
pub use subject_match::subject_within;
