//! An MQTT 3.1.1 client (rumqttc) for a server's `mqtt {}` listener: the CONNACK return code
//! and the SUBACK of each subscription are what a scenario asserts.

use std::net::SocketAddr;
use std::time::Duration;

use rumqttc::{AsyncClient, ConnectionError, Event, MqttOptions, Packet, QoS, SubscribeReasonCode};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::client::ClientFailure;

/// A connected MQTT client; dropping it stops its event loop.
pub struct MqttConn {
    client: AsyncClient,
    acks: mpsc::UnboundedReceiver<Vec<SubscribeReasonCode>>,
    events: JoinHandle<()>,
}

fn failure(op: &'static str, kind: &str, message: impl Into<String>) -> ClientFailure {
    ClientFailure { op, kind: kind.into(), message: message.into(), api: None }
}

impl MqttConn {
    /// Connects to `addr` as client id `id`, with a user and password when given, and waits up
    /// to `within` for the CONNACK. A refusal is `ConnectionRefused` with the return code
    /// (`NotAuthorized`, `BadUserNamePassword`, ...) as its message.
    pub async fn connect(
        addr: SocketAddr,
        id: &str,
        credentials: Option<(String, String)>,
        within: Duration,
    ) -> Result<MqttConn, ClientFailure> {
        let mut opts = MqttOptions::new(id, addr.ip().to_string(), addr.port());
        opts.set_keep_alive(Duration::from_secs(30));
        if let Some((user, password)) = credentials {
            opts.set_credentials(user, password);
        }
        let (client, mut eventloop) = AsyncClient::new(opts, 16);
        let first = tokio::time::timeout(within, async {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                    Ok(_) => {}
                    Err(e) => return Err(e),
                }
            }
        })
        .await;
        match first {
            Err(_) => return Err(ClientFailure::timed_out("connect", format!("no CONNACK within {within:?}"))),
            Ok(Err(ConnectionError::ConnectionRefused(code))) => {
                return Err(failure("connect", "ConnectionRefused", format!("{code:?}")));
            }
            Ok(Err(e)) => return Err(failure("connect", "Io", e.to_string())),
            Ok(Ok(())) => {}
        }
        let (tx, acks) = mpsc::unbounded_channel();
        let events = tokio::spawn(async move {
            while let Ok(event) = eventloop.poll().await {
                if let Event::Incoming(Packet::SubAck(ack)) = event {
                    let _ = tx.send(ack.return_codes);
                }
            }
        });
        Ok(MqttConn { client, acks, events })
    }

    /// Subscribes to `topic` at `qos` (0 or 1) and waits for the SUBACK; a refused subscription
    /// is `SubscribeRefused`.
    pub async fn subscribe(&mut self, topic: &str, qos: u8, within: Duration) -> Result<(), ClientFailure> {
        let qos = if qos == 1 { QoS::AtLeastOnce } else { QoS::AtMostOnce };
        self.client.subscribe(topic, qos).await.map_err(|e| failure("subscribe", "Io", e.to_string()))?;
        match tokio::time::timeout(within, self.acks.recv()).await {
            Ok(Some(codes)) if codes.iter().all(|c| matches!(c, SubscribeReasonCode::Success(_))) => Ok(()),
            Ok(Some(codes)) => Err(failure("subscribe", "SubscribeRefused", format!("SUBACK {codes:?} for `{topic}`"))),
            Ok(None) => Err(failure("subscribe", "Io", "the connection ended before the SUBACK")),
            Err(_) => Err(ClientFailure::timed_out("subscribe", format!("no SUBACK within {within:?}"))),
        }
    }

    /// Publishes at QoS 0 (no acknowledgement exists to wait for).
    pub async fn publish(&self, topic: &str, payload: &str) -> Result<(), ClientFailure> {
        self.client
            .publish(topic, QoS::AtMostOnce, false, payload.as_bytes().to_vec())
            .await
            .map_err(|e| failure("publish", "Io", e.to_string()))
    }
}

impl Drop for MqttConn {
    fn drop(&mut self) {
        self.events.abort();
    }
}
