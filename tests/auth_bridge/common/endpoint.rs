//! The HTTP auth endpoint: a wiremock server on 127.0.0.1, and what it got.

use std::net::TcpListener;

use serde_json::Value;
use wiremock::MockServer;

/// The path the endpoint serves.
pub const AUTH_PATH: &str = "/auth";

/// A mock server listening on 127.0.0.1 only.
pub async fn start() -> MockServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    MockServer::builder().listener(listener).start().await
}

/// The endpoint URL of `server`.
pub fn auth_url(server: &MockServer) -> String {
    format!("{}{AUTH_PATH}", server.uri())
}

/// A URL on 127.0.0.1 where nothing listens (a port just released).
pub fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}{AUTH_PATH}")
}

/// One request the endpoint received.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body as JSON (`Value::Null` when not JSON).
    pub body: Value,
}

/// Everything `server` received, in order.
pub async fn received(server: &MockServer) -> Vec<Received> {
    let header = |r: &wiremock::Request, name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_string());
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| Received {
            method: r.method.to_string(),
            path: r.url.path().to_string(),
            authorization: header(r, "authorization"),
            content_type: header(r, "content-type"),
            body: serde_json::from_slice(&r.body).unwrap_or(Value::Null),
        })
        .collect()
}
