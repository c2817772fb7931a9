//! What a scenario observes: timelines of log lines, events and wire records, the requests the
//! auth callout service received, and the observation records reports are made of.

mod auth_failure;
mod callout;
mod record;
mod timeline;

pub use auth_failure::{AuthFailure, auth_failures};
pub use callout::{CalloutRequestSeen, SeenValue};
pub use record::{Observation, ObservationKind};
pub use timeline::{Stamped, Timeline};
