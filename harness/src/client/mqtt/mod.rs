//! MQTT clients for a server's `mqtt {}` listener: rumqttc with natsfault's `mqtt` feature; without
//! it there is no client, and a scenario with one is refused before it plays.

#[cfg(not(feature = "mqtt"))]
mod absent;
#[cfg(feature = "mqtt")]
mod rumqttc;

#[cfg(not(feature = "mqtt"))]
pub use absent::MqttConn;
#[cfg(feature = "mqtt")]
pub use rumqttc::MqttConn;
