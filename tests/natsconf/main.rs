//! The nats.conf parser, queries and sandbox rewrite against the real server's own parser
//! (`nats-server -t`) and a corpus of realistic configs under `fixtures/natsconf/`.

mod common;

mod differential;
mod hostile;
mod includes;
mod line_map;
mod no_panic;
mod parse_syntax;
mod queries;
mod render;
mod sandbox_corpus;
mod sandbox_rules;
mod server_errors;
