//! The container backend: each server a nats-server container on natsfault's own network.

mod backend;
mod boot;
mod cleanup;
mod create;
mod delivery;
mod engine;
mod files;
mod image;
mod logs;
mod mount;
mod network;
mod port;
mod server;
mod writable;

pub use backend::ContainerBackend;
pub use create::{DATA_DIR, HOST_GATEWAY_NAME, server_args};
pub use delivery::{FILES_VAR, FileDelivery};
pub use files::CONTAINER_DIR;
pub use image::{IMAGE_REPOSITORY, IMAGE_VAR, image_for};
pub use server::ContainerServer;
