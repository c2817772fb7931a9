//! A raw-protocol connect, to see exactly what the server writes before it
//! closes (async-nats reports only the first error it meets).

use std::time::Duration;

use data_encoding::BASE64URL_NOPAD;
use natsfault::credentials::{Identity, Role, parse_creds};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

/// What the server wrote after CONNECT + PING, until it closed.
#[derive(Debug)]
pub struct RawSession {
    /// Every line after the first INFO, without CRLF, INFO lines dropped.
    pub lines: Vec<String>,
    /// Whether the server closed the connection (EOF) within the limit.
    pub closed: bool,
    /// From sending CONNECT to EOF (or to the limit).
    pub elapsed: Duration,
}

/// Connects to 127.0.0.1:`port`, sends CONNECT with the creds' JWT, the
/// signed nonce and `token`, then PING, and reads until EOF or `limit`.
pub async fn connect_creds_token(port: u16, creds: &str, token: &str, limit: Duration) -> RawSession {
    let (jwt, seed) = parse_creds(creds).expect("creds");
    let user = Identity::from_seed(Role::User, &seed).expect("user seed");
    let stream = TcpStream::connect(("127.0.0.1", port)).await.expect("tcp connect");
    let (r, mut w) = stream.into_split();
    let mut reader = BufReader::new(r);
    let mut info = String::new();
    reader.read_line(&mut info).await.expect("INFO");
    let v: serde_json::Value = serde_json::from_str(info.trim_end().strip_prefix("INFO ").expect("INFO")).unwrap();
    let nonce = v["nonce"].as_str().unwrap_or_default();
    let connect = serde_json::json!({
        "verbose": false, "pedantic": false, "protocol": 1, "jwt": jwt,
        "sig": BASE64URL_NOPAD.encode(&user.sign(nonce.as_bytes())), "auth_token": token,
        "lang": "raw", "version": "0", "name": "natsfault-raw",
    });
    let started = Instant::now();
    w.write_all(format!("CONNECT {connect}\r\nPING\r\n").as_bytes()).await.expect("write");
    let deadline = started + limit;
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        match timeout_at(deadline, reader.read_line(&mut line)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return RawSession { lines, closed: true, elapsed: started.elapsed() },
            Ok(Ok(_)) => {
                if !line.starts_with("INFO ") {
                    lines.push(line.trim_end_matches(['\r', '\n']).to_string());
                }
            }
            Err(_) => return RawSession { lines, closed: false, elapsed: started.elapsed() },
        }
    }
}
