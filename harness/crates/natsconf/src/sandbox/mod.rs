//! The sandbox rewrite: make a customer's config run here on 127.0.0.1 without listening on
//! other ports, contacting other hosts, or writing outside the sandbox folder.

mod files;
mod go_url;
mod guard;
mod jetstream;
mod jwt_dir;
mod lines;
mod options;
mod orphans;
mod plan;
mod render;
mod resolver;
mod rewrite;
mod rules;
mod tree;

pub use go_url::{GoUrl, GoUrlError, parse as parse_go_url};
pub use guard::{Breach, BreachKind, PeerCheck, guard};
pub use lines::LineMap;
pub use options::{DEFAULT_LOCAL_ACCOUNT_SERVER, DEFAULT_MAX_COPY_BYTES, JetStreamPolicy, SandboxOptions, TlsFiles};
pub use plan::{CopyKind, FileCopy, PlannedFile, Rewrite, SandboxError, SandboxPlan};
pub use rewrite::sandbox;
