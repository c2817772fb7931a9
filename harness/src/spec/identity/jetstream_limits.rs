//! An account JWT's JetStream limits (`[accounts.NAME] jetstream = { ... }`): what turns
//! JetStream on for an account in operator mode.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// JetStream limits of an account JWT. An account without them has JetStream off (nats-server
/// enables it only where the memory or disk limit is not zero); unset counts stay unlimited.
///
/// ```toml
/// [accounts.APP]
/// jetstream = { memory = "1M", disk = "10M", streams = 2 }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JetStreamLimitsSpec {
    /// `mem_storage`: bytes of memory storage (`"1M"`, `1048576`, `-1` unlimited).
    pub memory: Option<ByteSize>,
    /// `disk_storage`: bytes of file storage.
    pub disk: Option<ByteSize>,
    /// `streams`: how many streams (default unlimited).
    pub streams: Option<i64>,
    /// `consumer`: how many consumers (default unlimited).
    pub consumers: Option<i64>,
}

/// A byte count: an integer (`-1` unlimited) or a number with a binary unit, `K`, `M`, `G`
/// (1024-based, as nats.conf reads `1M`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub i64);

impl ByteSize {
    /// Reads `"10M"`, `"512K"`, `"1G"`, `"4096"`.
    pub fn parse(text: &str) -> Option<ByteSize> {
        let t = text.trim();
        let (num, mul) = match t.char_indices().last()? {
            (i, 'K' | 'k') => (&t[..i], 1i64 << 10),
            (i, 'M' | 'm') => (&t[..i], 1 << 20),
            (i, 'G' | 'g') => (&t[..i], 1 << 30),
            _ => (t, 1),
        };
        let n: i64 = num.trim().parse().ok()?;
        if n < -1 || (n == -1 && mul != 1) {
            return None;
        }
        n.checked_mul(mul).map(ByteSize)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a byte count such as `\"10M\"`, `\"512K\"` or `-1` (unlimited)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByteSize, E> {
                if v < -1 {
                    return Err(E::custom(format!("expected a byte count of -1 or more, found `{v}`")));
                }
                Ok(ByteSize(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteSize, E> {
                ByteSize::parse(v).ok_or_else(|| {
                    E::custom(format!("expected a byte count such as `\"10M\"`, `\"512K\"` or `-1`, found `{v}`"))
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(ByteSize::parse("1M"), Some(ByteSize(1 << 20)));
        assert_eq!(ByteSize::parse("10k"), Some(ByteSize(10 << 10)));
        assert_eq!(ByteSize::parse("4096"), Some(ByteSize(4096)));
        assert_eq!(ByteSize::parse("-1"), Some(ByteSize(-1)));
        assert_eq!(ByteSize::parse("-1M"), None);
        assert_eq!(ByteSize::parse("lots"), None);
    }

    #[test]
    fn table() {
        let t: JetStreamLimitsSpec = toml::from_str("memory = \"1M\"\ndisk = -1\nstreams = 2").unwrap();
        assert_eq!(t.memory, Some(ByteSize(1 << 20)));
        assert_eq!(t.disk, Some(ByteSize(-1)));
        assert_eq!(t.streams, Some(2));
        assert!(toml::from_str::<JetStreamLimitsSpec>("memory = \"much\"").is_err());
    }
}
