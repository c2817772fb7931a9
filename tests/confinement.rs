//! A confined server (`ConfinePolicy::Require`: its own network namespace with only loopback, the
//! file system read-only but its sandbox) serves clients through its host port, is stopped,
//! paused and restarted like any other, and cannot listen on, dial or write to anything of this
//! host: each checked from the host's side (canary listeners, files, the process's sockets).

mod support;

use std::time::Duration;

use async_nats::ConnectOptions;
use natsfault::backend::{Backend, ConfinePolicy, Confinement, ProcessBackend, RunningServer, ServerError, ServerSpec};

fn confined(config: &str) -> ServerSpec {
    ServerSpec::new(support::version(), config).label("confined").confine(ConfinePolicy::Require)
}

async fn round_trip(s: &dyn RunningServer) -> Result<(), String> {
    let client = ConnectOptions::new()
        .connection_timeout(Duration::from_secs(2))
        .connect(format!("nats://{}", s.client_addr()))
        .await
        .map_err(|e| e.to_string())?;
    let mut sub = client.subscribe("confined.echo").await.map_err(|e| e.to_string())?;
    client.publish("confined.echo", "hi".into()).await.map_err(|e| e.to_string())?;
    let got = tokio::time::timeout(Duration::from_secs(2), futures::StreamExt::next(&mut sub)).await;
    match got {
        Ok(Some(m)) if &m.payload[..] == b"hi" => Ok(()),
        other => Err(format!("no echo: {other:?}")),
    }
}

#[tokio::test]
async fn a_confined_server_serves_through_its_host_port_and_survives_stop_pause_restart() {
    let mut server = ProcessBackend.start(&confined("")).await.expect("a confined server starts");
    assert_eq!(server.confinement(), Confinement::Namespaces);
    let addr = server.client_addr();
    assert!(addr.ip().is_loopback());
    round_trip(server.as_ref()).await.expect("a client works through the host port");

    server.pause().await.expect("pause");
    let paused =
        ConnectOptions::new().connection_timeout(Duration::from_millis(400)).connect(format!("nats://{addr}")).await;
    assert!(paused.is_err(), "a paused confined server must not answer");
    server.resume().await.expect("resume");

    server.stop().await.expect("stop");
    let refused = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(refused.is_err(), "the host port of a stopped confined server must refuse connections");

    server.restart().await.expect("restart");
    assert_eq!(server.client_addr(), addr, "the host port stays across a restart");
    round_trip(server.as_ref()).await.expect("a client works after the restart");
    server.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_confined_server_listens_only_in_its_namespace() {
    // A websocket port on every interface, as a hostile config would open.
    let config = "websocket { host: 0.0.0.0, port: -1, no_tls: true }\nhttp: \"0.0.0.0:-1\"\n";
    let server = ProcessBackend.start(&confined(config)).await.expect("starts");
    let audit = server.audit().expect("the process backend audits").expect("audit reads /proc");
    let wildcard: Vec<_> = audit.listening().into_iter().filter(|a| a.ip().is_unspecified()).collect();
    assert!(!wildcard.is_empty(), "the config asked for wildcard listeners: {audit}");
    for a in wildcard {
        let from_host = std::net::SocketAddr::from(([127, 0, 0, 1], a.port()));
        // The port may be taken by something else of this host: then it is not the server's.
        if let Ok(mut s) = std::net::TcpStream::connect_timeout(&from_host, Duration::from_millis(300)) {
            use std::io::Read;
            s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
            let mut buf = [0u8; 5];
            let n = s.read(&mut buf).unwrap_or(0);
            assert_ne!(&buf[..n], b"INFO ", "the namespace's port {a} answered from the host");
        }
    }
}

#[tokio::test]
async fn a_confined_server_cannot_dial_this_hosts_loopback() {
    // A canary on the host's loopback stands for a remote server a config would dial.
    let canary = tokio::net::TcpListener::bind("127.0.0.2:0").await.expect("canary");
    let target = canary.local_addr().unwrap();
    let config = format!("leafnodes {{ reconnect: \"100ms\", remotes = [ {{ url: \"nats://{target}\" }} ] }}\n");
    let server = ProcessBackend.start(&confined(&config)).await.expect("starts");
    // The server tries at once and then every 100ms; give it a few tries, bounded.
    let seen = server.log().wait_for(0, Duration::from_secs(3), |l| l.contains("Error trying to connect")).await;
    assert!(seen.is_some(), "the server should have tried the leafnode remote and failed");
    let accepted = tokio::time::timeout(Duration::from_millis(300), canary.accept()).await;
    assert!(accepted.is_err(), "the confined server reached the host's loopback at {target}");
}

#[tokio::test]
async fn a_confined_server_cannot_write_outside_its_sandbox() {
    let outside = tempfile::tempdir().expect("tempdir");
    let pid = outside.path().join("server.pid");
    let config = format!("pid_file: \"{}\"\n", pid.display());
    // nats-server exits when it cannot write its pid file: the write was refused by the kernel.
    match ProcessBackend.start(&confined(&config)).await {
        Err(ServerError::Refused { message, .. }) => {
            assert!(message.contains("read-only file system"), "refused for another reason: {message}")
        }
        Ok(_) => panic!("the server started although its pid file is outside the sandbox"),
        Err(e) => panic!("unexpected error: {e}"),
    }
    assert!(!pid.exists(), "the confined server wrote `{}`", pid.display());
}
