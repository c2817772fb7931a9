//! A TCP proxy between a NATS client and a nats-server that injects faults
//! ("toxics", after toxiproxy) and taps the NATS protocol passing through.
//!
//! Start a [`Proxy`] in front of a server, point the client at
//! [`Proxy::listen_addr`], add and remove [`ToxicSpec`]s, and read what
//! happened on the wire from [`Proxy::wire`] or await it on [`Proxy::events`]. Shaping rules
//! ([`shaping::RuleSpec`], [`Proxy::add_rule`]) act on whole protocol frames instead of bytes.

mod barrier;
mod connection;
mod duration_format;
mod error;
mod handle;
mod listener;
mod pipeline;
mod pump;
mod recorder;
mod registry;
mod scanner;
pub mod shaping;
mod shared;
mod spec;
mod tls;
mod toxic;
pub mod toxics;
mod wire;

#[cfg(test)]
mod tests;

pub use barrier::TapOp;
pub use error::ProxyError;
pub use handle::Proxy;
pub use spec::{
    BandwidthParams, LatencyParams, LimitDataParams, ResetPeerParams, SlicerParams, SlowCloseParams, Stream,
    TimeoutParams, ToxicKind, ToxicSpec,
};
pub(crate) use tls::probe_client_config;
pub use tls::{TapIdentity, TapTls, TapTlsError};
pub use toxic::{Ending, Output, Piece, Toxic};
pub use wire::{ClosedBy, ConnRecord, PingPong, ServerErr, ShapedFrame, WireEvent, WireLog};
