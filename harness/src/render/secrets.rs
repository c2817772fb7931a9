//! Generated secrets and the redaction of every secret a run used.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rand::RngExt;

/// What replaces a secret in any output.
pub const REDACTED: &str = "<redacted>";

/// Every secret a scenario run knows of: generated values (by placeholder key) and literal ones
/// (passwords and tokens written in the scenario). Cloning shares the same set.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    generated: BTreeMap<String, String>,
    literal: Vec<String>,
}

impl Secrets {
    /// An empty set.
    pub fn new() -> Secrets {
        Secrets::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value for a generated key such as `password.alice`, made on first use.
    pub fn generated(&self, key: &str, make: impl FnOnce() -> String) -> String {
        self.lock().generated.entry(key.to_string()).or_insert_with(make).clone()
    }

    /// Records a secret that was written literally (so it is redacted too).
    pub fn add(&self, value: &str) {
        if value.len() >= 3 {
            let mut inner = self.lock();
            if !inner.literal.iter().any(|v| v == value) {
                inner.literal.push(value.to_string());
            }
        }
    }

    /// Every secret value, longest first (so a secret containing another is replaced whole).
    pub fn values(&self) -> Vec<String> {
        let inner = self.lock();
        let mut v: Vec<String> = inner.generated.values().chain(inner.literal.iter()).cloned().collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v.dedup();
        v
    }

    /// `text` with every secret replaced by [`REDACTED`].
    ///
    /// ```
    /// let s = natsfault::render::Secrets::new();
    /// s.add("hunter2");
    /// assert_eq!(s.redact("pass=hunter2"), "pass=<redacted>");
    /// ```
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in self.values() {
            if out.contains(&v) {
                out = out.replace(&v, REDACTED);
            }
        }
        out
    }
}

/// A random alphanumeric string.
pub fn random_alnum(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_are_stable_and_redacted() {
        let s = Secrets::new();
        let a = s.generated("password.alice", || random_alnum(20));
        assert_eq!(a, s.generated("password.alice", || "other".into()));
        assert_eq!(s.redact(&format!("x {a} y")), "x <redacted> y");
    }

    #[test]
    fn longest_first() {
        let s = Secrets::new();
        s.add("abc");
        s.add("abcdef");
        assert_eq!(s.redact("abcdef"), "<redacted>");
    }
}
