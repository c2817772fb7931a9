//! Writing a (possibly rewritten) tree back as nats.conf text that nats-server accepts.

mod quote;
mod text;

pub use text::{RenderedFile, WriteError};

pub(crate) use text::{Renderer, render_tree};
