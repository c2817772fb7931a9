//! Filling placeholders with generated values, and keeping every secret out of outputs.

mod placeholders;
mod secrets;

pub use placeholders::{Provider, RenderError, SecretProvider, render};
pub use secrets::{REDACTED, Secrets, random_alnum};
