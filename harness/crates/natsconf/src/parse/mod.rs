//! The nats.conf reader: a recursive-descent parser that accepts what nats-server's own lexer
//! accepts, with 1-based positions, include resolution and variable lookup.

mod body;
mod cursor;
mod entry;
mod include;
mod number;
mod paths;
mod scalar;
mod state;
mod values;
mod vars;

pub(crate) use entry::{parse_file, parse_text};
pub use paths::within_roots;
pub(crate) use paths::{go_dir, go_join};
