//! One HTTP/1.1 `POST` to the auth endpoint, bounded by a timeout, over
//! hyper's connection-level client (one connection per request, closed
//! after).
//!
//! Every way it can go wrong becomes a [`Failure`]: no connection
//! (`Unreachable`), no complete answer in time (`Timeout`), a broken exchange
//! (`Http`). The status is not judged here.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONNECTION, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::failure::Failure;
use super::url::EndpointUrl;

/// Largest response body read; more is an `Http` failure.
pub const MAX_BODY: usize = 64 * 1024;

/// What the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    /// Status code.
    pub status: u16,
    /// Canonical reason phrase (`"Unauthorized"`), empty when unknown.
    pub reason: String,
    /// The body.
    pub body: Bytes,
}

impl HttpReply {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// POSTs `body` (JSON) to `url` with an optional `Authorization` value; the
/// whole exchange (connect, send, headers, body) must end within `limit`.
pub async fn post_json(
    url: &EndpointUrl,
    authorization: Option<&str>,
    body: String,
    limit: Duration,
) -> Result<HttpReply, Failure> {
    match tokio::time::timeout(limit, exchange(url, authorization, body)).await {
        Ok(result) => result,
        Err(_) => Err(Failure::timeout(limit)),
    }
}

async fn exchange(url: &EndpointUrl, authorization: Option<&str>, body: String) -> Result<HttpReply, Failure> {
    let stream =
        TcpStream::connect((url.host(), url.port())).await.map_err(|e| Failure::unreachable(url.as_str(), e))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| Failure::http(url.as_str(), e))?;

    let mut request = Request::post(url.path_and_query())
        .header(HOST, url.authority())
        .header(CONTENT_TYPE, "application/json")
        .header(CONNECTION, "close");
    if let Some(value) = authorization {
        request = request.header(AUTHORIZATION, value);
    }
    let request = request.body(Full::new(Bytes::from(body))).map_err(|e| Failure::http(url.as_str(), e))?;

    let work = async {
        let response = sender.send_request(request).await.map_err(|e| Failure::http(url.as_str(), e))?;
        let status = response.status();
        let collected =
            Limited::new(response.into_body(), MAX_BODY).collect().await.map_err(|e| Failure::http(url.as_str(), e))?;
        Ok(HttpReply {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            body: collected.to_bytes(),
        })
    };
    // Drive the connection in this future, so dropping it (timeout) closes the socket.
    tokio::pin!(work, connection);
    let mut connection_done = false;
    loop {
        tokio::select! {
            result = &mut work => return result,
            // Its error, if any, also reaches `work`, which reports it.
            _ = &mut connection, if !connection_done => connection_done = true,
        }
    }
}
