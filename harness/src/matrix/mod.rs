//! Upgrade validation: every scenario on several nats-server versions, and what changed against
//! a baseline version.

mod fingerprint;
mod model;
mod normalize;
mod play;
mod render;

pub use fingerprint::fingerprint;
pub use model::{MatrixDiff, MatrixReport, MatrixRow};
pub use normalize::{mask_keys, normalize, timing_class};
pub use play::{compare, play_matrix};
pub use render::{human, markdown};
