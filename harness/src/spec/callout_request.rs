//! `callout-request`: what the server put in the authorization request the auth callout service
//! received for the step's client.
//!
//! Each field is `"present"`, `"absent"` or a value the field must equal (placeholders allowed:
//! `"{{token.app}}"`). The names are those of the request's JSON in kebab-case
//! (`connect_opts.auth_token` is `connect-opts.auth-token`). The client's token, password and
//! JWT are compared without being kept: reports show them as `<redacted>`.
//!
//! ```
//! use natsfault::spec::{CalloutRequestMatch, FieldMatch};
//!
//! let m: CalloutRequestMatch = toml::from_str(r#"
//! connect-opts = { auth-token = "present", user = "app", pass = "absent" }
//! server-id = { name = "leaf" }
//! "#).unwrap();
//! let fields: Vec<String> = m.fields().iter().map(|(k, f)| format!("{k}={f}")).collect();
//! assert_eq!(fields, ["connect-opts.auth-token=present", "connect-opts.user=`app`",
//!                     "connect-opts.pass=absent", "server-id.name=`leaf`"]);
//! assert!(toml::from_str::<CalloutRequestMatch>("connect-opts = { token = \"present\" }").is_err());
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// The fields whose values are the client's secrets: compared by digest, never shown.
pub const SECRET_FIELDS: &[&str] = &["connect-opts.auth-token", "connect-opts.pass", "connect-opts.jwt"];

/// What one field of the request must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldMatch {
    /// `"present"`: sent, not empty.
    Present,
    /// `"absent"`: not sent, or empty.
    Absent,
    /// Any other text: the field equals it (after placeholders are filled).
    Equals(String),
}

impl<'de> Deserialize<'de> for FieldMatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldMatch, D::Error> {
        let text = String::deserialize(d)?;
        Ok(match text.as_str() {
            "present" => FieldMatch::Present,
            "absent" => FieldMatch::Absent,
            _ => FieldMatch::Equals(text),
        })
    }
}

impl fmt::Display for FieldMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldMatch::Present => f.write_str("present"),
            FieldMatch::Absent => f.write_str("absent"),
            FieldMatch::Equals(v) => write!(f, "`{v}`"),
        }
    }
}

type Field = Option<Spanned<FieldMatch>>;

/// `connect-opts`: what the client sent in CONNECT.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectOptsMatch {
    /// `auth_token`: the client's token (a secret).
    pub auth_token: Field,
    /// `user`.
    pub user: Field,
    /// `pass`: the client's password (a secret).
    pub pass: Field,
    /// `jwt`: the client's user JWT, e.g. a sentinel's (a secret).
    pub jwt: Field,
    /// `nkey`: the client's public nkey.
    pub nkey: Field,
    /// `name`: the connection name.
    pub name: Field,
    /// `lang`: the library's language (`rust`, `python3`, `go`).
    pub lang: Field,
    /// `version`: the library's version.
    pub version: Field,
}

/// `client-info`: the client as the server saw it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientInfoMatch {
    /// `host`: the client's address.
    pub host: Field,
    /// `user`: the user the client authenticated as, if any.
    pub user: Field,
    /// `name`: the connection name.
    pub name: Field,
    /// `kind`: `Client`, `Leafnode`, ...
    pub kind: Field,
    /// `type`: `nats`, `mqtt`, `websocket`.
    #[serde(rename = "type")]
    pub client_type: Field,
}

/// `server-id`: the server that asked.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerIdMatch {
    /// `name`: in a topology, the server's name in the scenario.
    pub name: Field,
    /// `host`.
    pub host: Field,
    /// `version`: the server's version.
    pub version: Field,
}

/// `callout-request = { connect-opts = { ... }, client-info = { ... }, server-id = { ... } }`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CalloutRequestMatch {
    /// What the client sent in CONNECT.
    pub connect_opts: Option<ConnectOptsMatch>,
    /// The client as the server saw it.
    pub client_info: Option<ClientInfoMatch>,
    /// The server that asked.
    pub server_id: Option<ServerIdMatch>,
}

impl CalloutRequestMatch {
    /// Every field given, as `(section.field, what it must be)`, in the order of the sections'
    /// fields above.
    pub fn fields(&self) -> Vec<(&'static str, &Spanned<FieldMatch>)> {
        let mut out: Vec<(&'static str, &Field)> = Vec::new();
        if let Some(c) = &self.connect_opts {
            out.extend([
                ("connect-opts.auth-token", &c.auth_token),
                ("connect-opts.user", &c.user),
                ("connect-opts.pass", &c.pass),
                ("connect-opts.jwt", &c.jwt),
                ("connect-opts.nkey", &c.nkey),
                ("connect-opts.name", &c.name),
                ("connect-opts.lang", &c.lang),
                ("connect-opts.version", &c.version),
            ]);
        }
        if let Some(i) = &self.client_info {
            out.extend([
                ("client-info.host", &i.host),
                ("client-info.user", &i.user),
                ("client-info.name", &i.name),
                ("client-info.kind", &i.kind),
                ("client-info.type", &i.client_type),
            ]);
        }
        if let Some(s) = &self.server_id {
            out.extend([("server-id.name", &s.name), ("server-id.host", &s.host), ("server-id.version", &s.version)]);
        }
        out.into_iter().filter_map(|(k, f)| f.as_ref().map(|f| (k, f))).collect()
    }

    /// Whether field `key` holds one of the client's secrets.
    pub fn is_secret(key: &str) -> bool {
        SECRET_FIELDS.contains(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_values() {
        let m: CalloutRequestMatch =
            toml::from_str("client-info = { type = \"nats\", kind = \"Client\" }\nconnect-opts = { jwt = \"absent\" }")
                .unwrap();
        let got: Vec<(&str, FieldMatch)> = m.fields().into_iter().map(|(k, f)| (k, f.get_ref().clone())).collect();
        assert_eq!(
            got,
            [
                ("connect-opts.jwt", FieldMatch::Absent),
                ("client-info.kind", FieldMatch::Equals("Client".into())),
                ("client-info.type", FieldMatch::Equals("nats".into())),
            ]
        );
        assert!(CalloutRequestMatch::is_secret("connect-opts.pass"));
        assert!(!CalloutRequestMatch::is_secret("connect-opts.user"));
        assert!(CalloutRequestMatch::default().fields().is_empty());
    }

    #[test]
    fn unknown_sections_and_fields_are_refused() {
        let err = toml::from_str::<CalloutRequestMatch>("connect_opts = {}").unwrap_err();
        assert!(err.to_string().contains("unknown field `connect_opts`"), "{err}");
        let err = toml::from_str::<CalloutRequestMatch>("client-info = { account = \"APP\" }").unwrap_err();
        assert!(err.to_string().contains("unknown field `account`"), "{err}");
    }
}
