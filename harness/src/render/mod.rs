//! Filling placeholders with generated values, and keeping every secret out of outputs.

mod key;
mod placeholders;

pub use key::{Found, KeyPart, PLACEHOLDER_SHAPES, PlaceholderKey, PlaceholderKeyError, find_placeholders};
pub use placeholders::{Provider, RenderError, SecretProvider, render};
pub use placeholders::random_alnum;
pub use crate::redact::{REDACTED, Secrets};
