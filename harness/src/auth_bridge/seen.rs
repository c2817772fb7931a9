//! An authorization request's fields as the journal keeps them: by the names a scenario's
//! `callout-request` expectation uses, the client's token, password and JWT as digests only.
//!
//! ```
//! use natsfault::auth_bridge::{AuthorizationRequest, ConnectOptions, request_seen};
//!
//! let request = AuthorizationRequest {
//!     connect_opts: ConnectOptions { user: "app".into(), pass: "hunter22".into(), ..Default::default() },
//!     ..Default::default()
//! };
//! let seen = request_seen(3, &request);
//! assert_eq!(seen.seq, 3);
//! assert_eq!(seen.describe(), "connect-opts.pass present (<redacted>), connect-opts.user `app`");
//! assert!(seen.get("connect-opts.pass").equals("hunter22"));
//! ```

use super::claims::AuthorizationRequest;
use crate::observe::{CalloutRequestSeen, SeenValue};

/// The fields of `request`, the `seq`th the service received.
pub fn request_seen(seq: u64, request: &AuthorizationRequest) -> CalloutRequestSeen {
    let (c, i, s) = (&request.connect_opts, &request.client_info, &request.server_id);
    let mut seen = CalloutRequestSeen::new(seq);
    let secret =
        [("connect-opts.auth-token", &c.auth_token), ("connect-opts.pass", &c.pass), ("connect-opts.jwt", &c.jwt)];
    for (key, value) in secret {
        seen.set(key, SeenValue::secret(value));
    }
    let plain = [
        ("connect-opts.user", &c.user),
        ("connect-opts.nkey", &c.nkey),
        ("connect-opts.name", &c.name),
        ("connect-opts.lang", &c.lang),
        ("connect-opts.version", &c.version),
        ("client-info.host", &i.host),
        ("client-info.user", &i.user),
        ("client-info.name", &i.name),
        ("client-info.kind", &i.kind),
        ("client-info.type", &i.client_type),
        ("server-id.name", &s.name),
        ("server-id.host", &s.host),
        ("server-id.version", &s.version),
    ];
    for (key, value) in plain {
        seen.set(key, SeenValue::plain(value));
    }
    // 2.10 servers name a token client by its token in `client_info.user` (2.12 and later write
    // `[REDACTED]`): the token is kept as a digest there too.
    if !c.auth_token.is_empty() && i.user == c.auth_token {
        seen.set("client-info.user", SeenValue::secret(&i.user));
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_bridge::claims::{ClientInformation, ConnectOptions};

    #[test]
    fn a_token_in_client_info_stays_a_digest() {
        let request = AuthorizationRequest {
            connect_opts: ConnectOptions { auth_token: "s3cret-token".into(), ..Default::default() },
            client_info: ClientInformation { user: "s3cret-token".into(), ..Default::default() },
            ..Default::default()
        };
        let seen = request_seen(1, &request);
        assert!(!seen.describe().contains("s3cret"), "{}", seen.describe());
        assert!(seen.get("client-info.user").equals("s3cret-token"));
        let redacted = AuthorizationRequest {
            client_info: ClientInformation { user: "[REDACTED]".into(), ..Default::default() },
            ..request
        };
        assert_eq!(request_seen(1, &redacted).get("client-info.user").describe(), "`[REDACTED]`");
    }
}
