//! Which leafnode peers a subscription's interest cannot reach, read from the subscriber's server
//! on real nats-servers: a leaf bound to another account is unreachable, one bound to the
//! subscriber's account or to an account whose stream it imports is not.

mod support;

use std::time::Duration;

use async_nats::ConnectOptions;
use natsfault::backend::{Backend, ProcessBackend, ServerSpec};
use natsfault::topology::{LinkEnd, await_link_up, unreachable_leafs};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

#[tokio::test]
async fn a_leaf_of_another_account_is_unreachable() {
    let (hub_http, leaf_http, leaf_port) = (free_port(), free_port(), free_port());
    let hub = format!(
        r#"server_name: hub
http: "127.0.0.1:{hub_http}"
accounts {{
  APP {{ users = [{{ user: app, password: app }}] }}
  OTHER {{ users = [{{ user: leaf, password: leaf }}], exports = [{{ stream: "alerts.>" }}] }}
  IMP {{ users = [{{ user: imp, password: imp }}], imports = [{{ stream: {{ account: OTHER, subject: "alerts.>" }} }}] }}
}}
leafnodes {{ listen: "127.0.0.1:{leaf_port}" }}
"#
    );
    let leaf = format!(
        r#"server_name: leaf
http: "127.0.0.1:{leaf_http}"
leafnodes {{ remotes = [ {{ url: "nats://leaf:leaf@127.0.0.1:{leaf_port}" }} ] }}
"#
    );
    let hub = ProcessBackend.start(&ServerSpec::new(support::version(), &hub).label("hub")).await.expect("hub starts");
    let _leaf =
        ProcessBackend.start(&ServerSpec::new(support::version(), &leaf).label("leaf")).await.expect("leaf starts");
    let end = |port, name: &str| LinkEnd { monitor_port: port, server_name: name.into(), gateway_name: None };
    await_link_up(&end(hub_http, "hub"), &end(leaf_http, "leaf"), Duration::from_secs(10)).await.expect("leaf link up");

    let connect = |user: &'static str| {
        ConnectOptions::with_user_and_password(user.into(), user.into())
            .connect(format!("nats://{}", hub.client_addr()))
    };
    let app = connect("app").await.expect("app connects");
    let _orders = app.subscribe("orders.>").await.expect("subscribe");
    app.flush().await.expect("flush");
    // The monitoring endpoint lists the new subscription and the leaf's account a moment after
    // the flush on a loaded machine: read it until it does (bounded), as nothing announces it.
    let mut unreachable = Vec::new();
    for _ in 0..50 {
        unreachable = unreachable_leafs(hub_http, "orders.>").await;
        if !unreachable.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(unreachable, vec!["leaf".to_string()], "APP's interest stays off OTHER's leaf");

    let other = connect("leaf").await.expect("a client of OTHER connects");
    let _metrics = other.subscribe("metrics.>").await.expect("subscribe");
    other.flush().await.expect("flush");
    assert!(unreachable_leafs(hub_http, "metrics.>").await.is_empty(), "OTHER's interest reaches OTHER's leaf");

    let imp = connect("imp").await.expect("imp connects");
    let _alerts = imp.subscribe("alerts.>").await.expect("subscribe");
    imp.flush().await.expect("flush");
    assert!(
        unreachable_leafs(hub_http, "alerts.>").await.is_empty(),
        "IMP imports OTHER's alerts: its interest reaches"
    );

    assert!(unreachable_leafs(hub_http, "nobody.listens").await.is_empty(), "no subscriber: nothing can be told");
}
