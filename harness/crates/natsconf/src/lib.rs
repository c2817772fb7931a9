//! nats.conf as nats-server reads it: parse a configuration (includes, variables, keys folded
//! the way the server folds them) into a tree with positions, answer the questions an auth
//! diagnosis asks, rewrite it to run safely in a sandbox on 127.0.0.1, and write it back as text
//! nats-server accepts. No other Rust crate reads this format.
//!
//! Every answer carries the position it came from, so a tool can say `nats.conf:3:7` in the
//! config's own terms:
//!
//! ```
//! use natsfault_natsconf::{Config, ParseOptions};
//!
//! let text = r#"
//! accounts {
//!   APP { users: [ { user: orders, password: "s3cret",
//!                    permissions: { publish: { allow: ["orders.>"], deny: ["orders.admin"] } } } ] }
//! }
//! "#;
//! let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
//! let user = &config.users()[0];
//! assert_eq!(user.account.as_deref(), Some("APP"));
//! assert_eq!(user.user.as_deref(), Some("orders"));
//! let publish = user.permissions.as_ref().and_then(|p| p.publish.as_ref()).unwrap();
//! assert_eq!(publish.deny.as_deref(), Some(&["orders.admin".to_string()][..]));
//! // A password is a `Secret`: its `Debug` form never shows the value.
//! assert!(!format!("{:?}", user.password).contains("s3cret"));
//! # Ok::<(), natsfault_natsconf::ConfError>(())
//! ```

mod access;
mod config;
mod error;
mod key;
mod location;
mod parse;
mod query;
mod sandbox;
mod value;
mod write;

pub use config::{Config, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_INCLUDE_DEPTH, Env, Origin, ParseOptions, SourceFile};
pub use error::{ConfError, ConfErrorKind, Hint};
pub use key::fold as fold_key;
pub use location::{FileId, Location, Pos};
pub use parse::within_roots;
pub use query::{
    Account, AllowResponses, AuthCallout, Authorization, ConfigUser, DirResolverKind, Finding, FindingKind, Located,
    OperatorRef, Permissions, PreloadEntry, Resolver, Secret, SubjectRule, TlsBlock,
};
pub use sandbox::{
    Breach, BreachKind, CopyKind, DEFAULT_LOCAL_ACCOUNT_SERVER, DEFAULT_MAX_COPY_BYTES, FileCopy, GoUrl, GoUrlError,
    JetStreamPolicy, LineMap, PeerCheck, PlannedFile, Rewrite, SandboxError, SandboxOptions, SandboxPlan, TlsFiles,
    guard, parse_go_url, sandbox,
};
pub use value::{Entry, Include, Map, Node, Pair, Value, VarRef, VarSource};
pub use write::{RenderedFile, WriteError};
