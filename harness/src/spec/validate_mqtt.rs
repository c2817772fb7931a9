//! Checks of `qos`: the MQTT QoS of an MQTT client's `subscribe`, `0` or `1`.

use super::client::ClientKind;
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::Action;

/// Every problem of the scenario's `qos` keys.
pub fn validate_mqtt(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for step in &s.steps {
        let Some(qos) = &step.qos else { continue };
        let action = *step.action.get_ref();
        let kind = step.client_name().and_then(|n| s.clients.get(n)).map(|c| c.get_ref().kind());
        if action != Action::Subscribe {
            out.push(
                Problem::new(src, qos.span(), format!("`{}` takes no `qos`", action.as_str()))
                    .label("remove this")
                    .help("`qos` is the QoS of an MQTT client's `subscribe`"),
            );
        } else if kind != Some(ClientKind::Mqtt) {
            out.push(
                Problem::new(src, qos.span(), "`qos` needs a client of `kind = \"mqtt\"`")
                    .label("not an MQTT client")
                    .help("NATS subscriptions have no QoS; give the client `kind = \"mqtt\"`"),
            );
        } else if *qos.get_ref() > 1 {
            out.push(
                Problem::new(src, qos.span(), format!("expected `qos` 0 or 1, found {}", qos.get_ref()))
                    .label("not a QoS natsfault subscribes with"),
            );
        }
    }
    out
}
