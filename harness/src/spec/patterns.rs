//! One regular expression or several: `log = 'Publish Violation'` or
//! `log = ['Publish Violation', 'Subject "a"']`.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// Patterns written as one string or an array of strings; every one must hold.
///
/// ```
/// let e: natsfault::spec::Expect = toml::from_str("log = ['a', 'b']").unwrap();
/// assert_eq!(e.log.unwrap().get_ref().iter().collect::<Vec<_>>(), ["a", "b"]);
/// let e: natsfault::spec::Expect = toml::from_str("log = 'a'").unwrap();
/// assert_eq!(e.log.unwrap().get_ref().iter().count(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patterns(pub Vec<String>);

impl Patterns {
    /// The patterns, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether there is none (`log = []`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Patterns {
    fn from(s: &str) -> Self {
        Patterns(vec![s.to_string()])
    }
}

struct PatternsVisitor;

impl<'de> Visitor<'de> for PatternsVisitor {
    type Value = Patterns;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a regular expression or an array of them")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Patterns, E> {
        Ok(Patterns(vec![v.to_string()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Patterns, A::Error> {
        let mut out = Vec::new();
        while let Some(p) = seq.next_element::<String>()? {
            out.push(p);
        }
        Ok(Patterns(out))
    }
}

impl<'de> serde::Deserialize<'de> for Patterns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PatternsVisitor)
    }
}
