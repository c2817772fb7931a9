//! JetStream API calls outside a user's permissions (F02, F03, F07): the refused `$JS.API`
//! subject, what async-nats reported instead, and a grant in the config's own terms.

use natsfault::diagnose::Operation;
use natsfault::diagnose::js_op::JsOperation;

use crate::common::{emitted_scenario_passes, fix_mentions, fixture, input, run, user};

#[tokio::test]
async fn star_does_not_cover_the_stream_create_subject() {
    let ops = vec![Operation::Js(JsOperation::Stream("ORDERS".into()))];
    let i = input(&fixture("jetstream/star-stream-create.conf"), user("admin", "Adm-Js-pw-41"), ops);
    let (d, p) = run(&i, "permissions", &["Adm-Js-pw-41"]).await;
    assert_eq!(d.detail, "js-publish-denied");
    assert_eq!(d.evidence.server_errs, [r#"Permissions Violation for Publish to "$JS.API.STREAM.CREATE.ORDERS""#]);
    assert!(d.summary.contains("async-nats reports only `TimedOut`"), "{}", d.summary);
    assert!(d.evidence.log.iter().any(|l| l.contains(r#"Publish Violation - Subject "$JS.API.STREAM.CREATE.ORDERS""#)));
    assert_eq!(d.failed_operation, Some(("js-stream".into(), "ORDERS".into())));
    assert!(d.rewrites.iter().any(|r| r.contains("store_dir") && r.contains("sandbox")), "{:?}", d.rewrites);
    fix_mentions(
        &d,
        &["`admin`", "star-stream-create.conf:10:", "add exactly `$JS.API.STREAM.CREATE.ORDERS`", "`$JS.API.STREAM.>`"],
    );
    emitted_scenario_passes(&p, &d, &["Adm-Js-pw-41"]).await;
}

#[tokio::test]
async fn durable_create_grant_does_not_cover_what_async_nats_sends() {
    let ops = vec![
        Operation::Js(JsOperation::Stream("ORDERS".into())),
        Operation::Js(JsOperation::consumer("ORDERS.worker.orders.new").unwrap()),
    ];
    let i = input(&fixture("jetstream/durable-create-grant.conf"), user("terraform", "Tf-Js-pw-77"), ops);
    let (d, p) = run(&i, "permissions", &["Tf-Js-pw-77"]).await;
    assert_eq!(
        d.evidence.server_errs,
        [r#"Permissions Violation for Publish to "$JS.API.CONSUMER.CREATE.ORDERS.worker.orders.new""#]
    );
    assert_eq!(d.failed_operation, Some(("js-consumer".into(), "ORDERS.worker.orders.new".into())));
    fix_mentions(
        &d,
        &[
            "`terraform`",
            "add exactly `$JS.API.CONSUMER.CREATE.ORDERS.worker.orders.new`",
            "grant `$JS.API.CONSUMER.CREATE.ORDERS.>`",
        ],
    );
    emitted_scenario_passes(&p, &d, &["Tf-Js-pw-77"]).await;
}

#[tokio::test]
async fn consumer_create_refused_and_an_allowed_kv_read_of_a_missing_bucket() {
    // `*` refuses the consumer create too; a read the grant allows finds no bucket in the
    // sandbox's empty store, which is a note, not a failure.
    let ops = vec![Operation::Js(JsOperation::consumer("ORDERS.worker").unwrap())];
    let i = input(&fixture("jetstream/star-stream-create.conf"), user("admin", "Adm-Js-pw-41"), ops);
    let (d, _) = run(&i, "permissions", &["Adm-Js-pw-41"]).await;
    assert_eq!(
        d.evidence.server_errs,
        [r#"Permissions Violation for Publish to "$JS.API.CONSUMER.CREATE.ORDERS.worker""#]
    );
    let ops = vec![Operation::Js(JsOperation::kv_get("fleet.dev.001").unwrap())];
    let i = input(&fixture("jetstream/durable-create-grant.conf"), user("terraform", "Tf-Js-pw-77"), ops);
    let (d, _) = run(&i, "works", &["Tf-Js-pw-77"]).await;
    assert!(d.summary.contains("kv-get `fleet.dev.001`: the server allowed it"), "{}", d.summary);
}
