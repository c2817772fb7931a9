//! Reaching the container engine: a Docker client whose API version is negotiated down to what
//! the engine speaks (Docker 20.10 speaks 1.41; bollard 0.21 defaults to 1.53).

use std::time::Duration;

use testcontainers::bollard::Docker;
use testcontainers::bollard::errors::Error as DockerError;

use crate::backend::error::ServerError;

/// How long one engine request may take before it is abandoned.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the first contact (the version handshake) may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the engine is expected: `DOCKER_HOST`, else the default socket.
pub(crate) fn engine_host() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "unix:///var/run/docker.sock".into())
}

/// A client that has talked to the engine once and uses the lower of its own and the engine's
/// API version from then on.
pub(crate) async fn connect() -> Result<Docker, ServerError> {
    let host = engine_host();
    let unreachable = |detail: String| {
        ServerError::Engine(format!(
            "cannot reach the docker engine at `{host}`: {detail}; start docker or set DOCKER_HOST"
        ))
    };
    let docker = Docker::connect_with_defaults().map_err(|e| unreachable(e.to_string()))?.with_timeout(REQUEST_TIMEOUT);
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, docker.negotiate_version()).await {
        Ok(Ok(docker)) => Ok(docker),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable(format!("no answer within {}s", HANDSHAKE_TIMEOUT.as_secs()))),
    }
}

/// A fresh, unnegotiated client for clean-up from `Drop`, where the async runtime that made the
/// main client may be gone. Removal endpoints exist in every API version, and bollard 0.21
/// sends paths without a version prefix anyway (see the crate notes), so no handshake is needed.
pub(crate) fn connect_for_cleanup() -> Option<Docker> {
    Docker::connect_with_defaults().ok().map(|d| d.with_timeout(Duration::from_secs(15)))
}

/// An engine error as a [`ServerError::Engine`], saying what was being done.
pub(crate) fn engine_error(doing: impl std::fmt::Display) -> impl FnOnce(DockerError) -> ServerError {
    move |e| ServerError::Engine(format!("{doing}: {}", describe(&e)))
}

/// The engine's own message when it sent one, else the client error.
pub(crate) fn describe(e: &DockerError) -> String {
    match e {
        DockerError::DockerResponseServerError { status_code, message } => format!("{message} (status {status_code})"),
        other => other.to_string(),
    }
}

/// Whether the engine answered 404 (no such container, image or network).
pub(crate) fn is_not_found(e: &DockerError) -> bool {
    matches!(e, DockerError::DockerResponseServerError { status_code: 404, .. })
}

/// Whether starting failed because the chosen host port is taken.
pub(crate) fn is_port_taken(e: &DockerError) -> bool {
    match e {
        DockerError::DockerResponseServerError { message, .. } => {
            message.contains("port is already allocated") || message.contains("address already in use")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_port_conflicts() {
        let taken = DockerError::DockerResponseServerError {
            status_code: 500,
            message: "driver failed programming external connectivity on endpoint x: Bind for 127.0.0.1:24222 failed: port is already allocated".into(),
        };
        assert!(is_port_taken(&taken));
        let other = DockerError::DockerResponseServerError { status_code: 404, message: "No such container: x".into() };
        assert!(!is_port_taken(&other));
        assert!(is_not_found(&other));
        assert_eq!(describe(&other), "No such container: x (status 404)");
    }
}
