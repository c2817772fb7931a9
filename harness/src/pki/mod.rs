//! Certificates made per run: a scenario's `[tls]` PKI, issued with rcgen, on disk and in
//! placeholders.

mod files;
mod issue;

pub use files::Pki;
pub use issue::{Issued, IssuedPki, PkiError, issue};
