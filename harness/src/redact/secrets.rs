//! The set of secrets a run or a diagnosis knows of, and the redaction of any text with it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::matches::secret_ranges;

/// What replaces a secret in any output.
pub const REDACTED: &str = "<redacted>";

/// Known secrets shorter than this are not recorded: they would redact common words.
const SHORTEST: usize = 3;

/// Every secret an output must not show: generated values (by placeholder key), literal ones
/// (from a scenario, the customer's files, the command line), and, without being known, every
/// nkey seed, JWT signature, bcrypt hash and PEM private key. Cloning shares the same set.
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
    /// An empty set (the shape rules still apply).
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// A set holding `values`.
    ///
    /// ```
    /// let s = natsfault::redact::Secrets::of(["hunter2"]);
    /// assert_eq!(s.redact("pass=hunter2"), "pass=<redacted>");
    /// ```
    pub fn of<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Secrets {
        let s = Secrets::new();
        s.add_all(values);
        s
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value for a generated key such as `password.alice`, made on first use.
    pub fn generated(&self, key: &str, make: impl FnOnce() -> String) -> String {
        self.lock().generated.entry(key.to_string()).or_insert_with(make).clone()
    }

    /// Records a secret that was written literally (so it is redacted too). Values shorter than
    /// three characters are not recorded.
    pub fn add(&self, value: &str) {
        let value = value.trim();
        if value.len() >= SHORTEST {
            let mut inner = self.lock();
            if !inner.literal.iter().any(|v| v == value) {
                inner.literal.push(value.to_string());
            }
        }
    }

    /// Records every value of `values`.
    pub fn add_all<S: AsRef<str>>(&self, values: impl IntoIterator<Item = S>) {
        for v in values {
            self.add(v.as_ref());
        }
    }

    /// Every known secret value, longest first.
    pub fn values(&self) -> Vec<String> {
        let inner = self.lock();
        let mut v: Vec<String> = inner.generated.values().chain(inner.literal.iter()).cloned().collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v.dedup();
        v
    }

    /// `text` with every secret replaced by [`REDACTED`]: known values (those shorter than eight
    /// characters only as whole words) and everything the shape rules find.
    ///
    /// ```
    /// let s = natsfault::redact::Secrets::new();
    /// s.add("hunter2");
    /// assert_eq!(s.redact("pass=hunter2, hunter22"), "pass=<redacted>, hunter22");
    /// assert_eq!(s.redact("hash $2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy"), "hash <redacted>");
    /// ```
    pub fn redact(&self, text: &str) -> String {
        let ranges = secret_ranges(text, &self.values());
        if ranges.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in ranges {
            out.push_str(&text[at..r.start]);
            out.push_str(REDACTED);
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Redacts `text` in place.
    pub fn redact_in(&self, text: &mut String) {
        let r = self.redact(text);
        *text = r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_are_stable_and_redacted() {
        let s = Secrets::new();
        let a = s.generated("password.alice", || crate::render::random_alnum(20));
        assert_eq!(a, s.generated("password.alice", || "other".into()));
        assert_eq!(s.redact(&format!("x {a} y")), "x <redacted> y");
    }

    #[test]
    fn longest_first() {
        let s = Secrets::of(["abc", "abcdef"]);
        assert_eq!(s.redact("abcdef"), "<redacted>");
    }

    #[test]
    fn seeds_are_redacted_without_being_known() {
        let seed = crate::credentials::keys::user().seed().to_string();
        assert_eq!(Secrets::new().redact(&format!("nkey \"{seed}\"")), "nkey \"<redacted>\"");
    }
}
