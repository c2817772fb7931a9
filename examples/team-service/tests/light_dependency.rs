//! natsfault with its default features leaves containers, MQTT and the auth callout bridge's
//! HTTP side out. A scenario that needs one of them is refused before any server starts, with an
//! error that names the feature to add; one that needs none of them plays.

use std::path::Path;

async fn play(file: &str) -> Result<natsfault::ScenarioReport, natsfault::backend::ServerError> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(file);
    let scenario = natsfault::load_file(&path).expect("natsfault's own scenario loads");
    let version = natsfault::backend::DEFAULT_VERSION.parse().expect("the default version parses");
    natsfault::play(&scenario, &natsfault::ProcessBackend, version).await
}

#[tokio::test]
async fn an_mqtt_scenario_names_the_mqtt_feature() {
    let err = play("mqtt/connack-bad-credentials.toml").await.expect_err("MQTT needs the `mqtt` feature");
    assert!(matches!(err, natsfault::backend::ServerError::FeatureMissing { feature: "mqtt", .. }), "{err}");
    assert!(err.to_string().contains(r#"features = ["mqtt"]"#), "{err}");
}

#[tokio::test]
async fn an_auth_endpoint_scenario_names_the_http_feature() {
    let err = play("auth-endpoint/body-not-json.toml").await.expect_err("an endpoint needs the `http` feature");
    assert!(matches!(err, natsfault::backend::ServerError::FeatureMissing { feature: "http", .. }), "{err}");
}

#[tokio::test]
async fn a_scenario_that_needs_neither_plays() {
    let report = play("permissions/guide-example.toml").await.expect("a plain scenario plays on the light build");
    assert_eq!(report.status, natsfault::Status::Passed, "{report:?}");
}
