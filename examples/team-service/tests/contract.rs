//! The team's contract on its own JetStream config, in one line: every line must hold on a real
//! nats-server, or the test fails with the report `natsfault verify` prints.

#[tokio::test]
async fn the_billing_service_can_still_do_its_job() {
    let contract = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nats-contract.toml");
    let report = natsfault::verify_contract(contract).await;
    assert!(report.lines.iter().any(|l| l.line.text == "request $JS.API.INFO" && l.observed.contains("answered")));
}
