//! Scenarios where the client's own credentials are the problem: a seed that is not a seed, a
//! user and password (or nothing) for a server that takes only JWTs, and a JWT that expires
//! during the session.

use std::fmt::Write;

use super::decode::Decoded;
use super::emit::{header, operator_config, q, refused_connect};
use super::input::{Credentials, Prepared};
use super::model::Diagnosis;
use crate::spec::Cause;

/// `bad-seed`: async-nats cannot sign the nonce because the seed does not parse.
pub(super) fn bad_seed(s: &mut String, d: &Diagnosis) {
    header(s, d, Cause::NkeyMismatch, "the client's nkey seed is not a valid seed");
    let _ = writeln!(
        s,
        "[nkeys.user]\n\n[server]\nconfig = '''\nauthorization {{\n  users: [ {{ nkey: \"{{{{nkey.user.public}}}}\" }} ]\n}}\n'''\n\n[clients.app]\n# the seed file holds something that is not an nkey seed: async-nats cannot sign the nonce\nauth-callback = {{ nkey = \"{{{{nkey.user.public}}}}\", sign-with = \"SUNOTANKEYSEED\" }}\nmax-reconnects = 1\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {{ error = \"Authentication\" }}\n\n[[steps]]\ndo = \"flush\"\nclient = \"app\"\nonly = \"fixed\"\n\n[fix]\nsummary = \"give the client the user's own seed (`SU...`)\"\nclients.app = {{ auth-callback = {{ nkey = \"{{{{nkey.user.public}}}}\", sign-with = \"{{{{nkey.user.seed}}}}\" }} }}"
    );
}

/// `operator-mode-needs-jwt`: user and password, or nothing, against an operator-mode server.
pub(super) fn jwt_required(s: &mut String, p: &Prepared, dec: &Decoded, d: &Diagnosis) {
    header(s, d, Cause::NoCredentials, "a server in operator mode accepts only user JWTs");
    let name = dec.jwt.as_ref().map(|j| j.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| "app".into());
    let sent = match &p.input.credentials {
        Credentials::UserPassword { user, .. } => {
            format!("user = {}\npassword = \"{{{{password.app}}}}\"\n", q(user))
        }
        Credentials::Token(_) => "token = \"{{token.app}}\"\n".into(),
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "[operator]\n\n[accounts.APP]\n\n[users.app]\naccount = \"APP\"\nname = {}\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\n{sent}max-reconnects = 1\n\n[clients.app-jwt]\ncreds = \"app\"\n",
        q(&name),
        operator_config()
    );
    let mut steps = String::new();
    refused_connect(&mut steps, "app", "");
    // The fixed phase connects a client with a creds file instead.
    let steps = steps.replace(
        "[[steps]]\ndo = \"flush\"\nclient = \"app\"\nonly = \"fixed\"\n",
        "[[steps]]\ndo = \"connect\"\nclient = \"app-jwt\"\nonly = \"fixed\"\n",
    );
    let steps = steps.replacen("client = \"app\"\n", "client = \"app\"\nonly = \"broken\"\n", 1);
    s.push_str(&steps);
    let _ = writeln!(
        s,
        "[fix]\nsummary = \"connect with a `.creds` file (`nsc generate creds --name USER`): the user JWT and its seed\""
    );
}

/// `expired-while-connected`: accepted at connect, then `User Authentication Expired`.
pub(super) fn expired_while_connected(s: &mut String, dec: &Decoded, d: &Diagnosis) {
    header(s, d, Cause::JwtInvalid, "a user JWT that expires while the client is connected");
    let name = dec.jwt.as_ref().map(|j| j.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| "app".into());
    let _ = writeln!(
        s,
        "[operator]\n\n[accounts.APP]\n\n[users.app]\naccount = \"APP\"\nname = {}\nexpires = \"+2s\"\n\n[server]\nconfig = '''\n{}'''\n\n[clients.app]\ncreds = \"app\"\nmax-reconnects = 1\n\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\n\n[[steps]]\ndo = \"await\"\nclient = \"app\"\nonly = \"broken\"\nnote = \"the server ends the session when `exp` passes\"\nexpect = {{ server-err = \"User Authentication Expired\", within = \"6s\" }}\n\n[[steps]]\ndo = \"wait\"\nduration = \"3s\"\nonly = \"fixed\"\nnote = \"the old expiry time passes\"\n\n[[steps]]\ndo = \"flush\"\nclient = \"app\"\nonly = \"fixed\"\n\n[fix]\nsummary = \"issue a JWT that outlives the session, and renew it before `exp`\"\nusers.app = {{ expires = \"+1h\" }}",
        q(&name),
        operator_config()
    );
}
