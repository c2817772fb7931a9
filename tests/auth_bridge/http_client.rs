//! The bridge's HTTP client alone, against wiremock on 127.0.0.1: what it
//! sends, what it reports, and how each failure is classified.

use std::time::Duration;

use natsfault::auth_bridge::{EndpointUrl, FailureKind, MAX_BODY, post_json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::endpoint::{self, AUTH_PATH};

const LIMIT: Duration = Duration::from_millis(500);

#[tokio::test]
async fn sends_the_guides_request_and_reports_the_status() {
    let server = endpoint::start().await;
    Mock::given(method("POST"))
        .and(path(AUTH_PATH))
        .and(header("authorization", "Bearer t0k"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({ "token": "t0k" })))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .expect(1)
        .mount(&server)
        .await;
    let url = EndpointUrl::parse(&endpoint::auth_url(&server)).unwrap();
    let reply = post_json(&url, Some("Bearer t0k"), r#"{"token":"t0k"}"#.into(), LIMIT).await.unwrap();
    assert_eq!((reply.status, reply.reason.as_str(), &reply.body[..]), (418, "I'm a teapot", &b"teapot"[..]));
    assert!(!reply.is_success());
}

#[tokio::test]
async fn slow_answer_is_a_timeout() {
    let server = endpoint::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let url = EndpointUrl::parse(&endpoint::auth_url(&server)).unwrap();
    let err = post_json(&url, None, "{}".into(), LIMIT).await.unwrap_err();
    assert_eq!(err.kind, FailureKind::Timeout);
    assert_eq!(err.message, "auth endpoint did not answer within 500ms");
}

#[tokio::test]
async fn oversized_body_is_an_http_failure() {
    let server = endpoint::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(MAX_BODY + 1)))
        .mount(&server)
        .await;
    let url = EndpointUrl::parse(&endpoint::auth_url(&server)).unwrap();
    let err = post_json(&url, None, "{}".into(), LIMIT).await.unwrap_err();
    assert_eq!(err.kind, FailureKind::Http, "{}", err.message);
}

#[tokio::test]
async fn closed_port_is_unreachable() {
    let url = EndpointUrl::parse(&endpoint::closed_url()).unwrap();
    let err = post_json(&url, None, "{}".into(), LIMIT).await.unwrap_err();
    assert_eq!(err.kind, FailureKind::Unreachable);
    assert!(err.message.ends_with("is unreachable: Connection refused (os error 111)"), "{}", err.message);
}
