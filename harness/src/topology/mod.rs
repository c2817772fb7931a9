//! Topologies: several servers of one scenario (a cluster, a hub and its leafnodes, a gateway
//! pair) with the addresses the harness chooses for every listener, started through the one
//! [`crate::backend::Backend`], and the links between them read from their monitoring endpoints.

mod bind;
mod creds;
mod interest;
mod leaf_scope;
mod links;
mod monitor;
mod plan;

pub use bind::{BLOCKS, BindError, BindOptions, Bound, ConfigNames, bind, insert_listens};
pub use creds::{creds_file_name, creds_files, creds_with_seed_file_name};
pub use interest::await_interest;
pub use leaf_scope::unreachable_leafs;
pub use links::{LinkEnd, LinkKind, LinkState, await_link_up, link_between, link_state};
pub use monitor::{MonitorError, get_json, get_text};
pub use plan::{Listener, ListenerKind, Plan, ServerAddrs};
