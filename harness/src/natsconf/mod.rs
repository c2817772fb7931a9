//! nats.conf: parse a nats-server configuration (with includes and variables) into a tree with
//! positions, answer the questions an auth diagnosis asks, rewrite it to run safely in a sandbox
//! on 127.0.0.1, and write it back as text nats-server accepts.

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

pub use config::{Config, DEFAULT_MAX_INCLUDE_DEPTH, Env, Origin, ParseOptions, SourceFile};
pub use error::{ConfError, ConfErrorKind, Hint};
pub use location::{FileId, Location, Pos};
pub use query::{
    Account, AllowResponses, AuthCallout, Authorization, ConfigUser, DirResolverKind, Finding, FindingKind, Located,
    OperatorRef, Permissions, PreloadEntry, Resolver, Secret, SubjectRule,
};
pub use sandbox::{
    CopyKind, DEFAULT_LOCAL_ACCOUNT_SERVER, FileCopy, JetStreamPolicy, LineMap, PlannedFile, Rewrite, SandboxError,
    SandboxOptions, SandboxPlan, sandbox,
};
pub use value::{Entry, Include, Map, Node, Pair, Value, VarRef, VarSource};
pub use write::{RenderedFile, WriteError};
