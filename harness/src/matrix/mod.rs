//! Upgrade validation: every scenario on several nats-server versions, and what changed against
//! a baseline version, older against newer.

mod bisect;
mod compare;
mod fingerprint;
mod group;
mod model;
mod normalize;
mod play;
mod render;
mod shard;
mod summary;

pub use bisect::{Bisection, Compared, Like, Played, bisect};
pub use compare::{compare, diff_rows};
pub use fingerprint::fingerprint;
pub use group::{ChangeGroup, groups, pair_lines};
pub use model::{DiffRow, MatrixDiff, MatrixReport, MatrixRow, RunSummary};
pub use normalize::{mask_keys, normalize, timing_class};
pub use play::play_matrix;
pub use render::{human, markdown, row_line};
pub use shard::{MergeError, SHARD_KIND, Shard, merge};
pub use summary::summarize;
