//! A client as a scenario declares it: credentials and connect options.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::auth_callback::AuthCallbackSpec;
use super::duration::Dur;
use super::identity::CredsDefectKind;

/// What kind of connection a client opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// An async-nats client (the default).
    #[default]
    Nats,
    /// A raw TCP connection that sends only what its `raw-send` steps write.
    Raw,
    /// An MQTT 3.1.1 client (rumqttc) on the server's `mqtt {}` listener, straight to it.
    Mqtt,
}

/// The listener of its server a raw client dials: the client port, or a listener meant for other
/// servers, where a raw client plays an unauthenticated peer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientListener {
    /// The client port (the default).
    #[default]
    Client,
    /// The `cluster {}` listener, where routes connect.
    Cluster,
    /// The `leafnodes {}` listener, where leafnodes connect.
    Leafnodes,
    /// The `gateway {}` listener, where gateways connect.
    Gateway,
}

impl ClientListener {
    /// Its name in a scenario.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientListener::Client => "client",
            ClientListener::Cluster => "cluster",
            ClientListener::Leafnodes => "leafnodes",
            ClientListener::Gateway => "gateway",
        }
    }

    /// The config blocks (lowercase, as nats-server folds keys) that open it; none for the
    /// client port, which every server opens.
    pub fn blocks(self) -> &'static [&'static str] {
        match self {
            ClientListener::Client => &[],
            ClientListener::Cluster => &["cluster"],
            ClientListener::Leafnodes => &["leafnodes", "leaf"],
            ClientListener::Gateway => &["gateway"],
        }
    }
}

/// One `[clients.NAME]` table. Every field is optional so that `[fix.clients.NAME]` can override
/// single fields; [`ClientSpec::merged`] applies such an override.
///
/// ```toml
/// [clients.alice]
/// user = "alice"
/// password = "{{password.alice}}"
/// connection-timeout = "1s"
/// max-reconnects = 0
/// ```
///
/// Credentials from the scenario's identities:
///
/// ```toml
/// [clients.app]
/// creds = "alice"        # or: jwt = "alice", nkey-seed = "bob", auth-callback = { ... }
/// ```
///
/// A team's own credential files, relative to the scenario file:
///
/// ```toml
/// [clients.orders]
/// creds-file = "../../fixtures/team/deploy/creds/orders.creds"
/// # or: nkey-seed-file = "...", user = "u" with password-file = "...", token-file = "..."
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientSpec {
    /// `nats` (async-nats) or `raw` (a bare TCP socket).
    pub kind: Option<ClientKind>,
    /// The listener of its server a raw client dials: `client` (default), `cluster`,
    /// `leafnodes` or `gateway`.
    pub listener: Option<Spanned<ClientListener>>,
    /// The client library that plays this client (`async-nats`, `nats-py`, `nats.go`, `nats.c`);
    /// without it, async-nats, or the library `natsfault run --clients` plays.
    pub library: Option<Spanned<super::library::Library>>,
    /// The server of a topology the client connects to (`[servers.NAME]`); default the first
    /// declared.
    pub server: Option<String>,
    /// The connection name sent in CONNECT; defaults to the client's key.
    pub name: Option<String>,
    /// User name for user/password authentication.
    pub user: Option<String>,
    /// Password; a secret, never reported.
    pub password: Option<String>,
    /// Token for token authentication; a secret, never reported.
    pub token: Option<String>,
    /// async-nats `connection_timeout` (default `2s` here, `5s` in async-nats).
    pub connection_timeout: Option<Dur>,
    /// async-nats `ping_interval` (default `60s`).
    pub ping_interval: Option<Dur>,
    /// async-nats `request_timeout` (default `1s` here, `10s` in async-nats).
    pub request_timeout: Option<Dur>,
    /// async-nats `max_reconnects`; `0` means no reconnect at all (default: unlimited).
    pub max_reconnects: Option<u64>,
    /// async-nats `retry_on_initial_connect` (default false).
    pub retry_on_initial_connect: Option<bool>,
    /// Fixed delay between reconnect attempts (default: async-nats backoff).
    pub reconnect_delay: Option<Dur>,
    /// Connect straight to the server instead of through the client's wire tap (default false):
    /// what a client sees when nothing stands between it and the server, e.g. `Connection refused`
    /// from a stopped server, which through any proxy becomes an accepted connection that closes.
    /// `server-err`, `connections` and toxics need the tap.
    pub direct: Option<bool>,
    /// Put `user` and `password` in the server URL (`nats://user:password@host:port`) instead of
    /// the library's options, as applications configured by URL do.
    pub credentials_in_url: Option<bool>,
    /// A `[users.NAME]` whose JWT and seed go into a `.creds` file for this client, passed to
    /// async-nats `credentials_file`; `{ jwt-of = "alice", seed-of = "bob" }` pairs one user's JWT with
    /// another's seed.
    pub creds: Option<Spanned<super::creds::CredsRef>>,
    /// Damage to that creds file.
    pub creds_defect: Option<CredsDefectKind>,
    /// A `[users.NAME]` whose JWT is sent with async-nats `jwt`, the nonce signed with its seed.
    pub jwt: Option<Spanned<String>>,
    /// With `jwt`: the user's JWT is issued anew, with its times relative to that moment, at
    /// every connect and reconnect (async-nats' auth callback), as an application renews a
    /// short-lived JWT.
    pub renew_jwt: Option<Spanned<bool>>,
    /// An `[nkeys.NAME]` whose seed async-nats uses (`nkey`); it announces the matching public key.
    pub nkey_seed: Option<Spanned<String>>,
    /// CONNECT credentials built by an auth callback.
    pub auth_callback: Option<AuthCallbackSpec>,
    /// async-nats `custom_inbox_prefix`: the prefix of the client's reply inboxes (default
    /// `_INBOX`), used by its requests and JetStream calls.
    pub inbox_prefix: Option<String>,
    /// A `[tls.ca.NAME]` the client trusts (async-nats `add_root_certificates`).
    pub tls_ca: Option<String>,
    /// A `[tls.client.NAME]` the client presents (async-nats `add_client_certificate`).
    pub tls_cert: Option<String>,
    /// The `[tls.client.NAME]` whose key goes with `tls-cert` (default: the certificate's own).
    pub tls_key: Option<String>,
    /// async-nats `require_tls`: the client refuses a server that does not offer TLS.
    pub tls_required: Option<bool>,
    /// async-nats `tls_first`: the client starts the TLS handshake before the server's INFO
    /// (for `tls { handshake_first: true }`).
    pub tls_first: Option<bool>,
    /// Connect over the server's `websocket {}` listener (`ws://`, or `wss://` when the client
    /// has `tls-ca` or `tls-cert`), straight to it: the wire tap reads NATS, not websocket frames.
    pub websocket: Option<bool>,
    /// HTTP headers a raw websocket client sends in its upgrade request (`{ X-Foo = "bar" }`);
    /// placeholders are filled.
    pub ws_headers: Option<Spanned<BTreeMap<String, String>>>,
    /// Cookies a raw websocket client sends in its upgrade request's `Cookie` header
    /// (`{ jwt = "{{user.alice.jwt}}" }`), as a browser does; placeholders are filled and every
    /// value is a secret, never reported.
    pub ws_cookies: Option<Spanned<BTreeMap<String, String>>>,
    /// What the application does at `disconnected`: `reconnect` (the library's own reconnect,
    /// the default) or `new-connection` (another connection, the old one kept).
    pub on_disconnect: Option<Spanned<super::on_disconnect::OnDisconnect>>,
    /// With `on-disconnect = "new-connection"`: how many connections the client opens in all,
    /// the first included (default 5, at most 50).
    pub max_connections: Option<Spanned<u32>>,
    /// A team's own `.creds` file, relative to the scenario file; its content is never reported.
    pub creds_file: Option<Spanned<String>>,
    /// A file holding the client's nkey seed (`SU...`), relative to the scenario file.
    pub nkey_seed_file: Option<Spanned<String>>,
    /// A file holding the password (trailing line ends dropped), relative to the scenario file.
    pub password_file: Option<Spanned<String>>,
    /// A file holding the token (trailing line ends dropped), relative to the scenario file.
    pub token_file: Option<Spanned<String>>,
}

impl ClientSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value. An override that
    /// names a kind of credentials (`creds`, `jwt`, `nkey-seed`, `auth-callback`) replaces the
    /// kind it had, so a `[fix]` can switch a client from one to another; `user`, `password`
    /// `token`, `tls-ca`, `tls-cert` and `tls-key` set to `""` are removed.
    pub fn merged(&self, over: &ClientSpec) -> ClientSpec {
        let mut base = self.clone();
        if over.creds.is_some() || over.jwt.is_some() || over.nkey_seed.is_some() || over.auth_callback.is_some() {
            (base.creds, base.jwt, base.nkey_seed, base.auth_callback) = (None, None, None, None);
            base.renew_jwt = None;
            if over.creds.is_none() {
                base.creds_defect = None;
            }
        }
        macro_rules! pick {
            ($($f:ident),*) => { ClientSpec { $($f: over.$f.clone().or_else(|| base.$f.clone()),)* } };
        }
        let mut out = pick!(
            kind,
            listener,
            library,
            server,
            name,
            user,
            password,
            token,
            connection_timeout,
            ping_interval,
            request_timeout,
            max_reconnects,
            retry_on_initial_connect,
            reconnect_delay,
            direct,
            credentials_in_url,
            creds,
            creds_defect,
            jwt,
            nkey_seed,
            auth_callback,
            inbox_prefix,
            renew_jwt,
            tls_ca,
            tls_cert,
            tls_key,
            tls_required,
            tls_first,
            websocket,
            ws_headers,
            ws_cookies,
            on_disconnect,
            max_connections,
            creds_file,
            nkey_seed_file,
            password_file,
            token_file
        );
        for (o, f) in [
            (&over.user, &mut out.user),
            (&over.password, &mut out.password),
            (&over.token, &mut out.token),
            (&over.tls_cert, &mut out.tls_cert),
            (&over.tls_key, &mut out.tls_key),
            (&over.tls_ca, &mut out.tls_ca),
        ] {
            if o.as_deref() == Some("") {
                *f = None;
            }
        }
        out
    }

    /// Whether async-nats builds this client's CONNECT in an auth callback (`auth-callback`, or
    /// a JWT issued anew at every connect with `renew-jwt`): async-nats' own API, so the client
    /// stays with async-nats whatever `run --clients` plays.
    pub fn uses_auth_callback(&self) -> bool {
        self.auth_callback.is_some() || self.renew_jwt.as_ref().is_some_and(|r| *r.get_ref())
    }

    /// The kind, defaulting to `nats`.
    pub fn kind(&self) -> ClientKind {
        self.kind.unwrap_or_default()
    }

    /// The library this client is played with: its own `library`, else `default`.
    pub fn library_or(&self, default: super::library::Library) -> super::library::Library {
        self.library.as_ref().map_or(default, |l| *l.get_ref())
    }

    /// The library the file pins this client to with `library`; one `run --clients` chose
    /// ([`super::Scenario::with_library`], written nowhere, so with an empty span) is not.
    pub fn pinned_library(&self) -> Option<super::library::Library> {
        self.library.as_ref().filter(|l| !l.span().is_empty()).map(|l| *l.get_ref())
    }

    /// The listener the client dials.
    pub fn listener(&self) -> ClientListener {
        self.listener.as_ref().map_or_else(ClientListener::default, |l| *l.get_ref())
    }

    /// Whether the client bypasses its wire tap.
    pub fn is_direct(&self) -> bool {
        self.direct == Some(true)
    }

    /// Whether the client starts TLS whatever the server's INFO says (otherwise it follows a
    /// server that requires TLS).
    pub fn wants_tls(&self) -> bool {
        self.tls_required == Some(true) || self.tls_first == Some(true)
    }

    /// How many connections in all the client opens when the application opens a new one at
    /// every `disconnected` (`None` when it leaves the reconnect to the library).
    pub fn connection_bound(&self) -> Option<u32> {
        let storms = self.on_disconnect.as_ref().is_some_and(|o| *o.get_ref() == super::OnDisconnect::NewConnection);
        storms.then(|| {
            self.max_connections.as_ref().map_or(super::on_disconnect::DEFAULT_MAX_CONNECTIONS, |m| *m.get_ref())
        })
    }

    /// Every secret value this client carries.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        let cookies = self.ws_cookies.iter().flat_map(|c| c.get_ref().values().map(String::as_str));
        [self.password.as_deref(), self.token.as_deref()].into_iter().flatten().chain(cookies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(toml_text: &str) -> ClientSpec {
        toml::from_str(toml_text).expect("a client table")
    }

    #[test]
    fn an_override_naming_another_kind_of_credentials_replaces_the_kind() {
        let base = spec("nkey-seed = \"alice\"\nuser = \"u\"\npassword = \"p\"");
        let fixed = base.merged(&spec("creds = \"alice\"\nuser = \"\"\npassword = \"\""));
        assert_eq!(fixed.creds.as_ref().map(|c| c.get_ref().jwt_user()), Some("alice"));
        assert!(fixed.nkey_seed.is_none() && fixed.user.is_none() && fixed.password.is_none());
    }

    #[test]
    fn an_override_of_other_fields_keeps_the_credentials() {
        let base = spec("creds = \"alice\"\ncreds-defect = \"stray-blank-line\"\ntoken = \"t\"");
        let fixed = base.merged(&spec("inbox-prefix = \"_INBOX.app\""));
        assert!(fixed.creds.is_some() && fixed.creds_defect.is_some() && fixed.token.is_some());
        assert_eq!(fixed.inbox_prefix.as_deref(), Some("_INBOX.app"));
        assert!(base.merged(&spec("jwt = \"bob\"")).creds_defect.is_none(), "a defect of the creds goes with them");
    }

    #[test]
    fn an_override_with_the_matching_seed_replaces_a_mixed_pair() {
        let base = spec("creds = { jwt-of = \"alice\", seed-of = \"bob\" }");
        let fixed = base.merged(&spec("creds = \"alice\""));
        let c = fixed.creds.as_ref().map(|c| c.get_ref());
        assert_eq!(c.map(|c| (c.jwt_user(), c.seed_user())), Some(("alice", "alice")));
    }
}
