//! One file per shaping action, each implementing [`Act`].

mod corrupt;
mod delay;
mod disconnect;
mod drop;
mod duplicate;
mod inject;

pub use corrupt::Corrupt;
pub use delay::Delay;
pub use disconnect::Disconnect;
pub use drop::Drop;
pub use duplicate::Duplicate;
pub use inject::Inject;

/// One action a rule takes on a frame it fires on.
pub trait Act {
    /// Adds this action to what the rules that fired make of the frame.
    fn act(&self, frame: &super::Frame, effect: &mut super::Effect);
}
