//! The phase's auth endpoint and the callout bridge in front of it. Without natsfault's `http`
//! feature there is no endpoint to start, and a scenario that needs one is refused before it plays.

#[cfg(not(feature = "http"))]
mod absent;
mod call;
mod keys;
#[cfg(feature = "http")]
mod running;

#[cfg(not(feature = "http"))]
pub use absent::RunningEndpoint;
pub use call::EndpointCall;
pub use keys::EndpointKeys;
#[cfg(feature = "http")]
pub use running::RunningEndpoint;
