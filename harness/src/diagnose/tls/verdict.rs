//! What a TLS failure means: the handshake (the client does not trust the server, or they
//! disagree on who starts), the server's verification of the client certificate, the mapping
//! of a verified certificate to a user, and a handshake that eats the authorization window.

use super::plan::TlsPlan;
use crate::spec::Cause;

/// A TLS verdict: the cause, a narrow label, what happened and the fix.
pub struct TlsVerdict {
    /// The cause.
    pub cause: Cause,
    /// The narrow label, e.g. `tls-client-cert-expired`.
    pub detail: &'static str,
    /// What happened.
    pub summary: String,
    /// The fix.
    pub fix: String,
}

fn v(cause: Cause, detail: &'static str, summary: String, fix: impl Into<String>) -> Option<TlsVerdict> {
    Some(TlsVerdict { cause, detail, summary, fix: fix.into() })
}

/// The verdict for a failed connect, from the client's error, the `-ERR`s and the server log.
pub fn classify(
    plan: &TlsPlan,
    kind: &str,
    message: &str,
    server_errs: &[String],
    log: &[String],
) -> Option<TlsVerdict> {
    // A probe that closes before its handshake is logged as `TLS handshake error: EOF`: the
    // line that explains is one with a reason.
    let handshakes: Vec<&String> = log.iter().filter(|l| l.contains("TLS handshake error")).collect();
    let handshake_log =
        handshakes.iter().rev().find(|l| !l.ends_with("error: EOF")).or(handshakes.last()).map(|l| (*l).clone());
    // Quoted from the message on: the timestamp, pid and address are this run's, not the case's.
    let quote = |l: &str| l.find("TLS handshake error").map_or(l, |i| &l[i..]).to_string();
    let handshake_log = handshake_log.as_deref().map(quote);
    let logged = |needle: &str| handshakes.iter().find(|l| l.contains(needle)).map(|l| quote(l));
    let said = handshake_log.as_ref().map(|l| format!("; the server logs `{l}`")).unwrap_or_default();
    let server = plan.spec.server.get(super::plan::SERVER);
    let server_name = server.and_then(|s| s.cn.clone()).unwrap_or_else(|| "the server".into());
    if server_errs.iter().any(|e| e.contains("Authentication Timeout")) {
        let timeout = plan.block.timeout.map_or_else(|| "its default".to_string(), |t| format!("{t}s"));
        return v(
            Cause::NoCredentials,
            "tls-handshake-timeout",
            format!(
                "the server sent `-ERR 'Authentication Timeout'`: the TLS handshake and CONNECT did not fit in the authorization window (`tls {{ timeout }}` is {timeout}){said}"
            ),
            "give `authorization { timeout }` more than `tls { timeout }` (the authorization window includes the handshake), and keep the handshake short",
        );
    }
    if plan.first && !plan.block.handshake_first {
        return v(
            Cause::ServerUnreachable,
            "tls-first-mismatch",
            format!(
                "the client starts TLS before the server's INFO (`tls_first`) but the server sends INFO first (no `handshake_first`); async-nats reports `{kind}`: {message}{said}"
            ),
            format!(
                "set `handshake_first: true` in the server's `tls` block at {}, or drop `tls_first` from the client",
                plan.block.at
            ),
        );
    }
    if plan.block.handshake_first && !plan.first {
        return v(
            Cause::ServerUnreachable,
            "tls-first-required",
            format!(
                "the server waits for the client's TLS handshake before its INFO (`handshake_first`), the client waits for INFO; async-nats reports `{kind}`: {message}"
            ),
            "connect with `tls_first` (async-nats `ConnectOptions::tls_first`, nats.go `nats.TLSHandshakeFirst()`), or remove `handshake_first` from the server",
        );
    }
    if message.contains("UnknownIssuer") {
        return v(
            Cause::ServerUnreachable,
            "tls-server-untrusted",
            format!(
                "the client does not trust the server certificate of `{server_name}`: it is not signed by the CA the client was given; async-nats reports `{kind}`: {message}"
            ),
            "give the client the CA that signed the server certificate (async-nats `add_root_certificates`, `nats --tlsca`)",
        );
    }
    if message.contains("not valid for name") || message.contains("NotValidForName") {
        return v(
            Cause::ServerUnreachable,
            "tls-server-name",
            format!(
                "the server certificate does not name the address the client dials; async-nats reports `{kind}`: {message}"
            ),
            "reissue the server certificate with a SAN for every name and address clients dial, or dial a name it has",
        );
    }
    if plan.server_defect.is_some() && (message.contains("Expired") || message.contains("NotValidYet")) {
        return v(
            Cause::ServerUnreachable,
            "tls-server-cert-expired",
            format!("the server certificate is outside its validity; async-nats reports `{kind}`: {message}"),
            "renew the server certificate and reload the server",
        );
    }
    if let Some(line) = logged("didn't provide a certificate").or_else(|| {
        (plan.client_cert.is_none() && (plan.block.verify || plan.block.verify_and_map))
            .then(|| handshake_log.clone())
            .flatten()
    }) {
        return v(
            Cause::NoCredentials,
            "tls-client-cert-missing",
            format!(
                "the server's `tls` block at {} asks every client for a certificate and this client presents none; the server logs `{line}`",
                plan.block.at
            ),
            "give the client its certificate and key (async-nats `add_client_certificate`, `nats --tlscert --tlskey`), issued by a CA in the server's `ca_file`",
        );
    }
    if let Some(line) = logged("expired or is not yet valid") {
        return v(
            Cause::NoCredentials,
            "tls-client-cert-expired",
            format!(
                "the client certificate is outside its validity and the server refuses it during the handshake; the server logs `{line}`"
            ),
            "reissue the client certificate (same subject, so a `verify_and_map` user still matches)",
        );
    }
    if let Some(line) = logged("unknown authority") {
        return v(
            Cause::NoCredentials,
            "tls-client-cert-unknown-ca",
            format!(
                "the client certificate is signed by a CA the server's `ca_file` does not hold; the server logs `{line}`"
            ),
            "issue the client certificate from a CA in the server's `ca_file`, or add its CA to `ca_file`",
        );
    }
    if let Some(line) = logged("key usage") {
        return v(
            Cause::NoCredentials,
            "tls-client-cert-usage",
            format!(
                "the client certificate lacks the client-authentication usage (extended key usage `clientAuth`); the server logs `{line}`"
            ),
            "reissue the client certificate with `extendedKeyUsage = clientAuth`",
        );
    }
    if kind == "AuthorizationViolation" && plan.block.verify_and_map {
        let cert = plan.client_cert.and_then(|c| plan.spec.client.get(c));
        let names: Vec<String> = cert
            .map(|c| {
                let mut n: Vec<String> = c.email.iter().cloned().collect();
                n.extend(c.cn.iter().map(|cn| format!("a subject with CN={cn}")));
                n
            })
            .unwrap_or_default();
        return v(
            Cause::NoCredentials,
            "tls-mapping",
            format!(
                "the handshake succeeded, but `verify_and_map` found no user named by the certificate ({}); the server sent `-ERR 'Authorization Violation'`",
                if names.is_empty() { "no certificate".into() } else { names.join(", ") }
            ),
            "add a user named by the certificate's full subject as nats-server prints it (RFC 2253, e.g. `CN=app,O=Acme`) or by its e-mail SAN, or reissue the certificate with the subject the config names",
        );
    }
    if kind == "Io"
        && (message.contains("certificate") || message.to_ascii_lowercase().contains("tls") || handshake_log.is_some())
    {
        return v(
            Cause::ServerUnreachable,
            "tls-handshake",
            format!("the TLS handshake failed, so the client never reaches authentication: {message}{said}"),
            "compare the client's CA, certificate and TLS mode with the server's `tls` block",
        );
    }
    None
}
