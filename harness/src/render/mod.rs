//! Filling placeholders with generated values (recorded in [`Secrets`], which [`crate::redact`]
//! keeps out of every output).

mod key;
mod placeholders;

pub use crate::redact::{REDACTED, Secrets};
pub use key::{
    Found, KeyPart, PLACEHOLDER_SHAPES, PlaceholderKey, PlaceholderKeyError, SERVER_FIELDS, find_placeholders,
};
pub use placeholders::{Provider, RenderError, SecretProvider, random_alnum, render};
