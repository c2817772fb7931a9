//! natsfault reproduces NATS authentication and authorization failures on real nats-server
//! processes, asserts what the client observes, and shows the fix working.
pub mod auth_bridge;
pub mod backend;
pub mod bench;
pub mod cli;
pub mod client;
pub mod contract;
pub mod credentials;
pub mod deploy;
pub mod diagnose;
pub mod input_file;
pub mod keyring;
pub mod matrix;
pub mod natsconf;
pub mod observe;
pub mod owner_only;
pub mod proxy;
pub mod redact;
pub mod render;
pub mod report;
pub mod runner;
pub mod spec;
