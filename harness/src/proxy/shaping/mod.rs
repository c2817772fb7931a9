//! Protocol-aware shaping: rules that match whole NATS protocol frames (by direction, verb,
//! subject, reply subject, header and count) and drop, delay, duplicate, corrupt, inject or
//! disconnect at them. They act before the byte toxics, inside the tap's TLS too.

pub mod actions;
mod compression;
mod counter;
mod effect;
mod frame;
mod framer;
mod matcher;
mod shaper;
mod spec;
mod verb;

pub use counter::Count;
pub use effect::Effect;
pub use frame::Frame;
pub use matcher::{FrameMatch, subject_matches};
pub use spec::{RuleAction, RuleSpec};
pub use verb::Verb;

pub(crate) use compression::{compresses, offered};
pub(crate) use framer::{Framer, Part};
pub(crate) use shaper::{Firing, Rule, Shaper};
