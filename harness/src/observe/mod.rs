//! What a scenario observes: timelines of log lines, events and wire records, and the
//! observation records reports are made of.

mod record;
mod timeline;

pub use record::{Observation, ObservationKind};
pub use timeline::{Stamped, Timeline};
