//! The auth-callout bridge against real nats-server processes and a wiremock HTTP endpoint:
//! what the client sees, what the server logs, what the endpoint received.

mod common;

mod config_mode;
mod http_client;
mod lifecycle;
mod operator_mode;
mod xkey;
