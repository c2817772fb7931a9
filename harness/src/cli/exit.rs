//! Exit codes, each with one meaning.

/// Every scenario passed.
pub const OK: i32 = 0;
/// A scenario failed.
pub const SCENARIO_FAILED: i32 = 1;
/// Invalid input: a scenario file, an argument.
pub const INVALID_INPUT: i32 = 2;
/// The environment lacks something: a nats-server binary, a container engine.
pub const ENVIRONMENT: i32 = 3;
/// Interrupted (Ctrl-C); everything started was stopped.
pub const INTERRUPTED: i32 = 130;
