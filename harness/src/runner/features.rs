//! A scenario that needs a part of natsfault this build was compiled without (an auth endpoint
//! or account server needs `http`, an MQTT client needs `mqtt`) is refused before anything
//! starts, naming the feature, rather than failing half-way as if the server had said something.

use crate::backend::ServerError;
use crate::spec::{ClientKind, Scenario};

/// The first feature `scenario` needs and this build lacks, as the error [`crate::runner::play`]
/// returns; `None` when it can play here.
pub fn missing_feature(scenario: &Scenario) -> Option<ServerError> {
    for phase in scenario.phases() {
        if !cfg!(feature = "http") {
            if scenario.endpoint_for(phase).is_some() {
                return Some(ServerError::feature_missing("http", "a scenario with an auth endpoint (`[endpoint]`)"));
            }
            if scenario.account_server_for(phase).is_some() {
                return Some(ServerError::feature_missing(
                    "http",
                    "a scenario with an account server (`[account-server]`)",
                ));
            }
        }
        if !cfg!(feature = "mqtt") && scenario.clients_for(phase).values().any(|c| c.kind == Some(ClientKind::Mqtt)) {
            return Some(ServerError::feature_missing("mqtt", "a scenario with an MQTT client (`kind = \"mqtt\"`)"));
        }
    }
    None
}
