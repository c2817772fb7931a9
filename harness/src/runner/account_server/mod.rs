//! The phase's account server for `resolver: URL(...)` scenarios. Without natsfault's `http`
//! feature there is none, and a scenario that needs one is refused before it plays.

#[cfg(not(feature = "http"))]
mod absent;
#[cfg(feature = "http")]
mod running;

#[cfg(not(feature = "http"))]
pub use absent::RunningAccountServer;
#[cfg(feature = "http")]
pub use running::RunningAccountServer;
