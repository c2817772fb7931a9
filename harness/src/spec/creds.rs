//! `creds = "alice"` or `creds = { jwt-of = "alice", seed-of = "bob" }`: the users whose JWT and seed
//! a client's creds file holds.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// The two blocks of a creds file, each from a user of `[users]`. A creds file that pairs one
/// user's JWT with another user's seed is a mistake teams make when they copy files together;
/// the server sees the JWT's key announced and the nonce signed with a seed that does not match.
///
/// ```toml
/// [clients.app]
/// creds = "alice"                              # alice's JWT and seed
///
/// [clients.mixed]
/// creds = { jwt-of = "alice", seed-of = "bob" }      # alice's JWT, bob's seed
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum CredsRef {
    /// `creds = "alice"`: one user's JWT and seed.
    User(String),
    /// `creds = { jwt-of = "alice", seed-of = "bob" }`.
    Pair(CredsPair),
}

/// `{ jwt-of = "alice", seed-of = "bob" }`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CredsPair {
    /// The user whose JWT is the file's JWT block.
    pub jwt_of: Spanned<String>,
    /// The user whose seed is the file's seed block (`seed-of`, not `seed`: a value after a key
    /// named `seed` is redacted from every report as a secret).
    pub seed_of: Spanned<String>,
}

impl CredsRef {
    /// The user whose JWT the file holds.
    pub fn jwt_user(&self) -> &str {
        match self {
            CredsRef::User(u) => u,
            CredsRef::Pair(p) => p.jwt_of.get_ref(),
        }
    }

    /// The user whose seed the file holds.
    pub fn seed_user(&self) -> &str {
        match self {
            CredsRef::User(u) => u,
            CredsRef::Pair(p) => p.seed_of.get_ref(),
        }
    }

    /// Every user named, each with its own span, or `whole` (the span of `creds`) for a plain name.
    pub fn users(&self, whole: std::ops::Range<usize>) -> Vec<(&str, std::ops::Range<usize>)> {
        match self {
            CredsRef::User(u) => vec![(u.as_str(), whole)],
            CredsRef::Pair(p) => {
                vec![(p.jwt_of.get_ref().as_str(), p.jwt_of.span()), (p.seed_of.get_ref().as_str(), p.seed_of.span())]
            }
        }
    }
}

impl<'de> Deserialize<'de> for CredsRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CredsRef;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a user's name or a table `{ jwt-of = \"USER\", seed-of = \"USER\" }`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<CredsRef, E> {
                Ok(CredsRef::User(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CredsRef, A::Error> {
                CredsPair::deserialize(de::value::MapAccessDeserializer::new(map)).map(CredsRef::Pair)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        creds: Spanned<CredsRef>,
    }

    fn parse(s: &str) -> Result<CredsRef, String> {
        toml::from_str::<T>(s).map(|t| t.creds.into_inner()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_name_or_a_pair() {
        assert_eq!(parse(r#"creds = "alice""#).unwrap(), CredsRef::User("alice".into()));
        let p = parse(r#"creds = { jwt-of = "alice", seed-of = "bob" }"#).unwrap();
        assert_eq!((p.jwt_user(), p.seed_user()), ("alice", "bob"));
        let src = r#"creds = { jwt-of = "alice", seed-of = "bob" }"#;
        let users = p.users(0..0);
        assert_eq!(&src[users[1].1.clone()], r#""bob""#);
    }

    #[test]
    fn refuses_what_is_neither() {
        assert!(parse("creds = 3").unwrap_err().contains("a user's name or a table"));
        assert!(parse(r#"creds = { jwt-of = "alice" }"#).unwrap_err().contains("missing field `seed-of`"));
        assert!(
            parse(r#"creds = { jwt-of = "a", seed-of = "b", jwt = "c" }"#).unwrap_err().contains("unknown field `jwt`")
        );
    }
}
