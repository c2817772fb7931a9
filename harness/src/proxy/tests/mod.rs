//! Tests against real sockets on 127.0.0.1: an echo or scripted upstream in
//! the test, or a real nats-server.

mod barrier_pong;
mod forwarding;
mod nats_server;
mod shaping;
mod support;
mod toxics_close;
mod toxics_delay;
mod toxics_live;
mod wire_nats;
