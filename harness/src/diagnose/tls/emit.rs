//! The scenario that replays a TLS diagnosis: the stand-in PKI as `[tls]` tables, the config's
//! `tls` block on those files, the client as the customer's, and a `[fix]` that repairs what the
//! verdict names.

use std::fmt::Write;

use super::plan::{CLIENT, CLIENT_FIXED, SERVER, SERVER_CA, SERVER_FIXED, TlsPlan};
use crate::diagnose::emit::{EmitError, q};
use crate::diagnose::input::Prepared;
use crate::diagnose::model::Diagnosis;
use crate::spec::{CertDefect, CertSpec, TlsSpec};

fn defect_name(d: CertDefect) -> &'static str {
    match d {
        CertDefect::Expired => "expired",
        CertDefect::NotYetValid => "not-yet-valid",
        CertDefect::WrongSan => "wrong-san",
        CertDefect::NoClientAuth => "no-client-auth",
    }
}

fn cert_table(s: &mut String, kind: &str, name: &str, c: &CertSpec) {
    let _ = writeln!(s, "[tls.{kind}.{name}]");
    let fields = [
        ("ca", &c.ca),
        ("cn", &c.cn),
        ("org", &c.org),
        ("ou", &c.ou),
        ("country", &c.country),
        ("state", &c.state),
        ("locality", &c.locality),
        ("email", &c.email),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            let _ = writeln!(s, "{key} = {}", q(v));
        }
    }
    if !c.dns.is_empty() {
        let dns: Vec<String> = c.dns.iter().map(|d| q(d)).collect();
        let _ = writeln!(s, "dns = [{}]", dns.join(", "));
    }
    if let Some(d) = c.defect {
        let _ = writeln!(s, "defect = \"{}\"", defect_name(d));
    }
}

fn tls_tables(s: &mut String, spec: &TlsSpec) {
    for (name, ca) in &spec.ca {
        let _ = writeln!(s, "[tls.ca.{name}]");
        if let Some(cn) = &ca.cn {
            let _ = writeln!(s, "cn = {}", q(cn));
        }
    }
    for (name, c) in &spec.server {
        cert_table(s, "server", name, c);
    }
    for (name, c) in &spec.client {
        cert_table(s, "client", name, c);
    }
    s.push('\n');
}

fn server_config(plan: &TlsPlan, users: &[String]) -> String {
    let mut c = format!(
        "tls {{\n  cert_file: \"{{{{tls.server.{SERVER}.cert}}}}\"\n  key_file: \"{{{{tls.server.{SERVER}.key}}}}\"\n"
    );
    if plan.block.ca_file.is_some() || plan.block.verify || plan.block.verify_and_map {
        let _ = writeln!(c, "  ca_file: \"{{{{tls.ca.{}}}}}\"", plan.clients_ca);
    }
    for (on, key) in [
        (plan.block.verify && !plan.block.verify_and_map, "verify"),
        (plan.block.verify_and_map, "verify_and_map"),
        (plan.block.handshake_first, "handshake_first"),
    ] {
        if on {
            let _ = writeln!(c, "  {key}: true");
        }
    }
    if let Some(t) = plan.block.timeout {
        let _ = writeln!(c, "  timeout: {t}");
    }
    c.push_str("}\n");
    if plan.block.verify_and_map {
        let entries: Vec<String> = users.iter().map(|u| format!("{{ user: {} }}", q(u))).collect();
        let _ = writeln!(c, "authorization {{\n  users = [ {} ]\n}}", entries.join(", "));
    }
    c
}

/// A TLS scenario for a diagnosis whose detail starts with `tls-`.
pub fn scenario(s: &mut String, p: &Prepared, d: &Diagnosis) -> Result<(), EmitError> {
    let Some(plan) = p.tls.as_ref() else {
        return Err(EmitError("no scenario: the config has no `tls` block to replay".into()));
    };
    let mut spec = plan.spec.clone();
    spec.client.entry(CLIENT_FIXED.into()).or_insert_with(|| CertSpec {
        ca: Some(plan.clients_ca.into()),
        cn: Some("app".into()),
        ..CertSpec::default()
    });
    let users: Vec<String> = p.config.users().into_iter().filter_map(|u| u.user).take(8).collect();
    let (expect, fix_summary, fix): (String, &str, String) = match d.detail.as_str() {
        detail @ ("tls-client-cert-expired" | "tls-client-cert-unknown-ca" | "tls-client-cert-usage") => {
            let needle = match detail {
                "tls-client-cert-expired" => "certificate has expired or is not yet valid",
                "tls-client-cert-unknown-ca" => "certificate signed by unknown authority",
                _ => "incompatible key usage",
            };
            (
                format!("{{ error = \"Io\", log = 'TLS handshake error: .*{needle}' }}"),
                "reissue the client certificate from the CA in the server's `ca_file`, valid, with the client-auth usage",
                format!("clients.app = {{ tls-cert = \"{CLIENT_FIXED}\" }}"),
            )
        }
        "tls-client-cert-missing" => (
            "{ error = \"Io\", log = 'TLS handshake error' }".into(),
            "give the client a certificate from the CA in the server's `ca_file`",
            format!("clients.app = {{ tls-cert = \"{CLIENT_FIXED}\" }}"),
        ),
        "tls-server-untrusted" => (
            "{ error = \"Io\", error-contains = \"UnknownIssuer\" }".into(),
            "give the client the CA that signed the server certificate",
            format!("clients.app = {{ tls-ca = \"{SERVER_CA}\" }}"),
        ),
        "tls-server-cert-expired" => (
            "{ error = \"Io\", error-contains = \"invalid peer certificate\" }".into(),
            "renew the server certificate",
            format!(
                "replace = [ {{ from = \"tls.server.{SERVER}.cert\", to = \"tls.server.{SERVER_FIXED}.cert\" }}, {{ from = \"tls.server.{SERVER}.key\", to = \"tls.server.{SERVER_FIXED}.key\" }} ]"
            ),
        ),
        "tls-first-mismatch" => (
            "{ error = \"Io\", error-contains = \"corrupt message\" }".into(),
            "the client waits for INFO, as the server expects",
            "clients.app = { tls-first = false }".into(),
        ),
        "tls-first-required" => (
            "{ error = \"TimedOut\" }".into(),
            "the client starts with the TLS handshake (`tls_first`)",
            "clients.app = { tls-first = true }".into(),
        ),
        "tls-mapping" => (
            "{ error = \"AuthorizationViolation\", server-err = \"Authorization Violation\" }".into(),
            "add a user named by the certificate's subject",
            format!(
                "replace = [ {{ from = \"users = [ \", to = '''users = [ {{ user: \"{{{{tls.client.{CLIENT}.subject}}}}\" }}, ''' }} ]"
            ),
        ),
        other => {
            return Err(EmitError(format!(
                "no scenario template for `{other}`: write one from scenarios/tls/ with the certificate shapes the diagnosis printed"
            )));
        }
    };
    if d.detail == "tls-mapping" && users.is_empty() {
        return Err(EmitError("no scenario: `verify_and_map` without users to map to".into()));
    }
    crate::diagnose::emit::header(
        s,
        d,
        d.verdict.cause().unwrap_or(crate::spec::Cause::NoCredentials),
        &format!("TLS: {}", d.detail),
    );
    let _ = writeln!(s, "[server]\nconfig = '''\n{}'''\n", server_config(plan, &users));
    tls_tables(s, &spec);
    let _ = writeln!(s, "[clients.app]\ntls-ca = \"{}\"", plan.client_ca);
    if let Some(c) = plan.client_cert {
        let _ = writeln!(s, "tls-cert = \"{c}\"");
    }
    if plan.first {
        let _ = writeln!(s, "tls-first = true");
    }
    if plan.direct() {
        let _ = writeln!(
            s,
            "# Straight to the server: the wire tap cannot stand in for a server the client refuses.\ndirect = true"
        );
    }
    let _ = writeln!(s, "connection-timeout = \"1s\"\nmax-reconnects = 0\n");
    let _ = writeln!(s, "[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {expect}\nexpect-fixed = {{}}\n");
    let _ = writeln!(s, "[fix]\nsummary = {}\n{fix}", q(fix_summary));
    Ok(())
}
