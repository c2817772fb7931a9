//! A minimal raw-protocol NATS client for what async-nats cannot show
//! without a Stream trait in scope (reading a subscription) or cannot send
//! at all (a CONNECT with a JWT but no signature).

use std::time::Duration;

use data_encoding::BASE64URL_NOPAD;
use natsfault::credentials::Identity;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::timeout;

/// A raw connection to a server on 127.0.0.1.
pub struct RawClient {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    /// The nonce from the server's first INFO.
    pub nonce: String,
}

impl RawClient {
    /// Opens a TCP connection and reads the first INFO.
    pub async fn open(port: u16) -> RawClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.expect("tcp connect");
        let (r, writer) = stream.into_split();
        let mut client = RawClient { reader: BufReader::new(r), writer, nonce: String::new() };
        let info = client.read_line().await.expect("INFO line");
        let json = info.strip_prefix("INFO ").expect("server starts with INFO");
        let v: serde_json::Value = serde_json::from_str(json).expect("INFO json");
        client.nonce = v["nonce"].as_str().unwrap_or_default().to_string();
        client
    }

    /// Reads one protocol line (without CRLF); `None` at EOF or after 5 s.
    pub async fn read_line(&mut self) -> Option<String> {
        let mut line = String::new();
        match timeout(Duration::from_secs(5), self.reader.read_line(&mut line)).await {
            Ok(Ok(n)) if n > 0 => Some(line.trim_end_matches(['\r', '\n']).to_string()),
            _ => None,
        }
    }

    /// Sends raw protocol text.
    pub async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.expect("write");
    }

    /// Sends CONNECT with `jwt`, signing the nonce with `signer` if given,
    /// then PING; returns the first line that is not INFO (PONG or -ERR).
    pub async fn connect_jwt(&mut self, jwt: &str, signer: Option<&Identity>) -> String {
        let mut connect = serde_json::json!({
            "verbose": false, "pedantic": false, "protocol": 1, "jwt": jwt,
            "lang": "raw", "version": "0", "name": "natsfault-raw",
        });
        if let Some(id) = signer {
            connect["sig"] = BASE64URL_NOPAD.encode(&id.sign(self.nonce.as_bytes())).into();
        }
        self.send(&format!("CONNECT {connect}\r\nPING\r\n")).await;
        self.next_non_info().await.unwrap_or_else(|| "<eof>".into())
    }

    /// Sends CONNECT as nkey user `nkey`, signing the nonce with `signer`
    /// (which may hold another key), then PING; returns the first line that
    /// is not INFO.
    pub async fn connect_nkey(&mut self, nkey: &str, signer: &Identity) -> String {
        let sig = BASE64URL_NOPAD.encode(&signer.sign(self.nonce.as_bytes()));
        let connect = serde_json::json!({
            "verbose": false, "pedantic": false, "protocol": 1, "nkey": nkey, "sig": sig,
            "lang": "raw", "version": "0", "name": "natsfault-raw",
        });
        self.send(&format!("CONNECT {connect}\r\nPING\r\n")).await;
        self.next_non_info().await.unwrap_or_else(|| "<eof>".into())
    }

    /// Next line that is not an INFO (2.12+ sends a second INFO).
    pub async fn next_non_info(&mut self) -> Option<String> {
        loop {
            let line = self.read_line().await?;
            if !line.starts_with("INFO ") {
                return Some(line);
            }
        }
    }

    /// Subscribes to `subject` with sid 1 and waits for the PONG.
    pub async fn subscribe(&mut self, subject: &str) {
        self.send(&format!("SUB {subject} 1\r\nPING\r\n")).await;
        assert_eq!(self.next_non_info().await.as_deref(), Some("PONG"));
    }

    /// Waits for the next MSG; returns (subject, payload).
    pub async fn next_msg(&mut self) -> Option<(String, String)> {
        let header = self.next_non_info().await?;
        let mut parts = header.split(' ');
        if parts.next()? != "MSG" {
            panic!("expected MSG, got {header:?}");
        }
        let subject = parts.next()?.to_string();
        let payload = self.read_line().await?;
        Some((subject, payload))
    }
}
