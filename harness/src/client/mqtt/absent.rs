//! Without the `mqtt` feature there is no MQTT client: [`MqttConn`] has no value. `play` refuses
//! a scenario with an MQTT client before it starts, so `connect` is not reached from a scenario.

use std::net::SocketAddr;
use std::time::Duration;

use crate::backend::ServerError;
use crate::client::ClientFailure;

/// No MQTT client exists in this build; the type has no value.
pub enum MqttConn {}

impl MqttConn {
    /// Refuses: an MQTT client needs the `mqtt` feature.
    pub async fn connect(
        _addr: SocketAddr,
        _id: &str,
        _credentials: Option<(String, String)>,
        _within: Duration,
    ) -> Result<MqttConn, ClientFailure> {
        let message = ServerError::feature_missing("mqtt", "an MQTT client").to_string();
        Err(ClientFailure { op: "connect", kind: "FeatureMissing".into(), message, api: None })
    }

    /// Never called: there is no connection.
    pub async fn subscribe(&mut self, _topic: &str, _qos: u8, _within: Duration) -> Result<(), ClientFailure> {
        match *self {}
    }

    /// Never called: there is no connection.
    pub async fn publish(&self, _topic: &str, _payload: &str) -> Result<(), ClientFailure> {
        match *self {}
    }
}
