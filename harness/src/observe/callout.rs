//! An authorization request as natsfault's auth callout service received it: the fields the
//! server filled in, by the names a scenario's `callout-request` expectation gives them
//! (`connect-opts.auth-token`, `client-info.name`, `server-id.name`, ...). The secrets the client
//! sent (its token, password and JWT) are kept only as SHA-256 digests: a check compares them
//! with a value, and no report can show them.
//!
//! ```
//! use natsfault::observe::{CalloutRequestSeen, SeenValue};
//!
//! let mut seen = CalloutRequestSeen::new(1);
//! seen.set("connect-opts.auth-token", SeenValue::secret("s3cret"));
//! seen.set("connect-opts.user", SeenValue::plain("app"));
//! assert!(seen.get("connect-opts.auth-token").equals("s3cret"));
//! assert!(!seen.get("connect-opts.auth-token").equals("other"));
//! assert!(!seen.get("connect-opts.pass").is_present());
//! assert_eq!(seen.get("connect-opts.auth-token").describe(), "present (<redacted>)");
//! assert_eq!(seen.describe(), "connect-opts.auth-token present (<redacted>), connect-opts.user `app`");
//! ```

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::redact::REDACTED;

/// One field of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeenValue {
    /// Empty or missing (the server leaves out empty fields).
    Absent,
    /// A value that is no secret, as sent.
    Plain(String),
    /// A secret: only its SHA-256 digest is kept.
    Secret([u8; 32]),
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl SeenValue {
    /// A field that is no secret; empty is [`SeenValue::Absent`].
    pub fn plain(text: &str) -> SeenValue {
        if text.is_empty() { SeenValue::Absent } else { SeenValue::Plain(text.to_string()) }
    }

    /// A secret field, kept as its digest; empty is [`SeenValue::Absent`].
    pub fn secret(text: &str) -> SeenValue {
        if text.is_empty() { SeenValue::Absent } else { SeenValue::Secret(digest(text)) }
    }

    /// Whether the field was sent (not empty).
    pub fn is_present(&self) -> bool {
        !matches!(self, SeenValue::Absent)
    }

    /// Whether the field holds exactly `text` (a secret is compared by its digest).
    pub fn equals(&self, text: &str) -> bool {
        match self {
            SeenValue::Absent => text.is_empty(),
            SeenValue::Plain(v) => v == text,
            SeenValue::Secret(d) => *d == digest(text),
        }
    }

    /// The field for a report: `absent`, `` `value` ``, or `present (<redacted>)` for a secret.
    pub fn describe(&self) -> String {
        match self {
            SeenValue::Absent => "absent".into(),
            SeenValue::Plain(v) => format!("`{v}`"),
            SeenValue::Secret(_) => format!("present ({REDACTED})"),
        }
    }
}

/// The fields of one authorization request, by their scenario names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalloutRequestSeen {
    /// Arrival order at the callout service, from 1.
    pub seq: u64,
    fields: BTreeMap<String, SeenValue>,
}

impl CalloutRequestSeen {
    /// A request with no field set yet.
    pub fn new(seq: u64) -> CalloutRequestSeen {
        CalloutRequestSeen { seq, fields: BTreeMap::new() }
    }

    /// Sets field `key` (`section.field`); an absent value is not stored.
    pub fn set(&mut self, key: &str, value: SeenValue) {
        if value.is_present() {
            self.fields.insert(key.to_string(), value);
        } else {
            self.fields.remove(key);
        }
    }

    /// Field `key`, [`SeenValue::Absent`] when the request did not carry it.
    pub fn get(&self, key: &str) -> &SeenValue {
        self.fields.get(key).unwrap_or(&SeenValue::Absent)
    }

    /// The connection name the client sent (`connect-opts.name`), if any.
    pub fn client_name(&self) -> Option<&str> {
        match self.get("connect-opts.name") {
            SeenValue::Plain(n) => Some(n),
            _ => None,
        }
    }

    /// Every field the request carried, for a report; secrets as `present (<redacted>)`.
    pub fn describe(&self) -> String {
        if self.fields.is_empty() {
            return "no fields".into();
        }
        let parts: Vec<String> = self.fields.iter().map(|(k, v)| format!("{k} {}", v.describe())).collect();
        parts.join(", ")
    }
}
