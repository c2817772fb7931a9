//! One redaction path for every output: the secrets a run or a diagnosis knows of, plus rules
//! for the secrets that need not be known (nkey seeds, JWT signatures, bcrypt hashes, PEM
//! private keys).

mod found;
mod matches;
mod rules;
mod secrets;
mod source;
mod spans;

pub use found::{config_secrets, config_text_secrets, scenario_secrets};
pub use secrets::{REDACTED, Secrets};
pub use source::source_secrets;
pub use spans::Redacted;
