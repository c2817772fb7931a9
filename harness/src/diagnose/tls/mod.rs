//! TLS in a diagnosis: the shape of the customer's certificates ([`shape`]), stand-ins of that
//! shape made for the run ([`plan`](mod@plan)), what a TLS failure means ([`verdict`]) and the scenario
//! that replays it ([`emit`]).

pub mod emit;
pub mod plan;
pub mod shape;
pub mod verdict;

pub use plan::{ClientTlsInput, TlsPlan, plan};
