//! Handling one callout: read the request, ask the endpoint, decide the
//! reply. Publishing is the caller's job.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::contract::{EndpointRequest, Grant};
use super::failure::{Failure, FailureKind};
use super::http::post_json;
use super::journal::{HandledRequest, Outcome};
use super::request::open_request;
use super::response::{error_reply, grant_reply};
use super::seen::request_seen;
use super::signers::Signers;
use super::url::EndpointUrl;

/// Everything needed to handle requests; shared by all in-flight handlers.
#[derive(Debug)]
pub(crate) struct Handler {
    pub(crate) signers: Signers,
    pub(crate) url: EndpointUrl,
    pub(crate) timeout: Duration,
    pub(crate) silent_on: BTreeSet<FailureKind>,
}

/// The record of one request and the reply to publish, if any.
pub(crate) struct Decision {
    pub(crate) record: HandledRequest,
    pub(crate) reply: Option<Vec<u8>>,
}

impl Handler {
    fn is_silent(&self, kind: FailureKind) -> bool {
        self.silent_on.contains(&kind) || !kind.can_answer()
    }

    /// Asks the endpoint and returns a grant or the failure.
    async fn ask(&self, body: &EndpointRequest, status: &mut Option<u16>) -> Result<Grant, Failure> {
        let reply = post_json(&self.url, body.bearer().as_deref(), body.to_json(), self.timeout).await?;
        *status = Some(reply.status);
        if !reply.is_success() {
            return Err(Failure::status(reply.status, &reply.reason));
        }
        Grant::parse(&reply.body)
    }

    /// Handles the `seq`th message, `payload` with the `Nats-Server-Xkey`
    /// header value `server_xkey`.
    pub(crate) async fn handle(&self, seq: u64, payload: &[u8], server_xkey: Option<&str>) -> Decision {
        let started = Instant::now();
        let mut record = HandledRequest {
            seq,
            user_nkey: None,
            server_id: None,
            client_user: None,
            sent_token: false,
            sent_password: false,
            sealed: server_xkey.is_some(),
            request: None,
            http_status: None,
            outcome: Outcome::Unanswered(Failure::bad_request("not handled")),
            elapsed: Duration::ZERO,
        };
        let finish = |mut record: HandledRequest, outcome: Outcome, reply: Option<Vec<u8>>| {
            record.outcome = outcome;
            record.elapsed = started.elapsed();
            Decision { record, reply }
        };

        let request = match open_request(payload, server_xkey, self.signers.xkey.as_ref()) {
            Ok(r) => r,
            Err(failure) => return finish(record, Outcome::Unanswered(failure), None),
        };
        let nats = &request.claims.nats;
        let body = EndpointRequest::from_connect(&nats.connect_opts);
        record.user_nkey = Some(nats.user_nkey.clone());
        record.server_id = Some(nats.server_id.id.clone());
        record.client_user = body.user.clone();
        record.sent_token = body.token.is_some();
        record.sent_password = body.pass.is_some();
        record.request = Some(request_seen(seq, nats));

        let mut status = None;
        let asked = self.ask(&body, &mut status).await;
        record.http_status = status;
        match asked {
            Ok(grant) => match grant_reply(&self.signers, &request, &grant) {
                Ok(reply) => {
                    let outcome =
                        Outcome::Authorized { user: grant.user.clone(), permissions: grant.nats_permissions() };
                    finish(record, outcome, Some(reply))
                }
                Err(failure) => finish(record, Outcome::Unanswered(failure), None),
            },
            Err(failure) if self.is_silent(failure.kind) => finish(record, Outcome::Unanswered(failure), None),
            Err(failure) => match error_reply(&self.signers, &request, &failure.message) {
                Ok(reply) => finish(record, Outcome::Refused(failure), Some(reply)),
                Err(e) => finish(record, Outcome::Unanswered(e), None),
            },
        }
    }
}
