//! The library for other crates' tests, as a user calls it: `TestServer` on both backends with
//! its fault actions, and `NatsServerImage` started by testcontainers.

mod support;

use std::time::Duration;

use natsfault::testing::testcontainers::runners::AsyncRunner;
use natsfault::{NatsServerImage, TestServer, TestUser};

async fn client(server: &TestServer, user: &str) -> async_nats::Client {
    async_nats::ConnectOptions::with_credentials_file(server.creds(user).expect("creds"))
        .await
        .expect("creds file")
        .connect(server.url())
        .await
        .expect("connect")
}

async fn pause_and_resume(container: bool) {
    let mut server = TestServer::builder()
        .user("app", TestUser::new("APP").publish(["app.>", "_INBOX.>"]).subscribe(["app.>", "_INBOX.>"]))
        .container(container)
        .start()
        .await
        .expect("a server");
    let c = client(&server, "app").await;
    let mut sub = c.subscribe("app.x").await.expect("subscribe");
    c.flush().await.expect("flush");
    server.pause().await.expect("pause");
    c.publish("app.x", "while paused".into()).await.expect("buffered");
    assert!(
        tokio::time::timeout(Duration::from_millis(300), sub.next_message()).await.is_err(),
        "a paused server delivers nothing"
    );
    server.resume().await.expect("resume");
    let m = tokio::time::timeout(Duration::from_secs(3), sub.next_message()).await.expect("delivered after resume");
    assert_eq!(m.expect("a message").payload, "while paused");
    assert!(server.creds("nobody").is_err());
}

trait NextMessage {
    async fn next_message(&mut self) -> Option<async_nats::Message>;
}

impl NextMessage for async_nats::Subscriber {
    async fn next_message(&mut self) -> Option<async_nats::Message> {
        futures::StreamExt::next(self).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_server_on_a_process_pauses_and_resumes() {
    pause_and_resume(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_server_in_a_container_pauses_and_resumes() {
    if support::container_backend("a_test_server_in_a_container_pauses_and_resumes").await.is_none() {
        return;
    }
    pause_and_resume(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_image_starts_with_testcontainers() {
    if support::container_backend("the_image_starts_with_testcontainers").await.is_none() {
        return;
    }
    let image =
        NatsServerImage::new(support::version().to_string()).with_config("authorization { token: img-token-4821 }");
    let container = image.start().await.expect("the container starts");
    let port = container.get_host_port_ipv4(4222).await.expect("the client port");
    let c = async_nats::ConnectOptions::with_token("img-token-4821".into())
        .connect(format!("nats://127.0.0.1:{port}"))
        .await
        .expect("connect with the token");
    c.flush().await.expect("flush");
    let refused = async_nats::ConnectOptions::new().max_reconnects(1).connect(format!("nats://127.0.0.1:{port}")).await;
    assert!(refused.is_err(), "no token, no connection");
}
