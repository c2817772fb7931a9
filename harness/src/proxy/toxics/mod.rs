//! One file per toxic, each implementing [`Toxic`](super::Toxic).

mod bandwidth;
mod down;
mod latency;
mod limit_data;
mod reset_peer;
mod slicer;
mod slow_close;
mod timeout;

#[cfg(test)]
mod test_support;

pub use bandwidth::Bandwidth;
pub use down::Down;
pub use latency::Latency;
pub use limit_data::LimitData;
pub use reset_peer::ResetPeer;
pub use slicer::Slicer;
pub use slow_close::SlowClose;
pub use timeout::Timeout;
