//! The running side: plays a [`crate::spec::Scenario`] on a backend and reports what happened.

mod account_server;
mod check;
mod check_auth;
mod check_callout;
mod check_endpoint;
mod check_js;
mod check_log;
mod check_shaped;
mod check_wire;
mod client_state;
mod context;
mod endpoint;
mod exec;
mod features;
mod http_step;
mod js_exec;
mod link_proxy;
mod listeners;
mod peer_listener;
mod phase;
mod play;
mod settle;
mod storm;
mod topology;
pub(crate) mod wire;

pub(crate) use phase::client_tls;
pub use play::{play, play_with};
