//! `{{...}}` placeholders in configs and client fields, filled with values the harness makes.

use rand::RngExt;

use crate::redact::Secrets;

/// A random alphanumeric string.
pub fn random_alnum(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect()
}

/// Why a placeholder could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// `{{` without `}}`.
    #[error("unclosed placeholder starting at `{0}`")]
    Unclosed(String),
    /// A key no provider knows.
    #[error("unknown placeholder `{{{{{0}}}}}`; expected `password.NAME`, `token.NAME`{1}")]
    Unknown(String, String),
}

/// Something that can fill placeholders of some namespaces (credentials add their own).
pub trait Provider {
    /// The value for `key` (e.g. `password.alice`), or `None` when the key is not this provider's.
    fn value(&self, key: &str) -> Option<String>;
    /// The keys this provider fills, for error messages (e.g. `nkey.NAME.public`).
    fn describe(&self) -> &'static str;
}

/// Generated passwords and tokens: `{{password.NAME}}`, `{{token.NAME}}`.
pub struct SecretProvider<'a>(pub &'a Secrets);

impl Provider for SecretProvider<'_> {
    fn value(&self, key: &str) -> Option<String> {
        let (ns, name) = key.split_once('.')?;
        if name.is_empty() {
            return None;
        }
        match ns {
            "password" => Some(self.0.generated(key, || random_alnum(24))),
            "token" => Some(self.0.generated(key, || random_alnum(32))),
            _ => None,
        }
    }

    fn describe(&self) -> &'static str {
        ""
    }
}

/// Replaces every `{{key}}` in `text` with the first provider's value for it.
///
/// ```
/// use natsfault::render::{Secrets, SecretProvider, render};
/// let secrets = Secrets::new();
/// let conf = render("authorization { token: \"{{token.app}}\" }", &[&SecretProvider(&secrets)]).unwrap();
/// assert!(!conf.contains("{{"));
/// assert_eq!(secrets.redact(&conf), "authorization { token: \"<redacted>\" }");
/// ```
pub fn render(text: &str, providers: &[&dyn Provider]) -> Result<String, RenderError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| RenderError::Unclosed(rest[start..].chars().take(30).collect()))?;
        let key = after[..end].trim();
        let value = providers.iter().find_map(|p| p.value(key)).ok_or_else(|| {
            let more: String =
                providers.iter().map(|p| p.describe()).filter(|d| !d.is_empty()).map(|d| format!(", `{d}`")).collect();
            RenderError::Unknown(key.to_string(), more)
        })?;
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_unclosed() {
        let s = Secrets::new();
        let p = SecretProvider(&s);
        assert!(matches!(render("{{nope.x}}", &[&p]), Err(RenderError::Unknown(..))));
        assert!(matches!(render("a {{password.x", &[&p]), Err(RenderError::Unclosed(_))));
        assert_eq!(render("no placeholders", &[&p]).unwrap(), "no placeholders");
    }

    #[test]
    fn same_key_same_value() {
        let s = Secrets::new();
        let p = SecretProvider(&s);
        let a = render("{{password.a}} {{password.a}}", &[&p]).unwrap();
        let (x, y) = a.split_once(' ').unwrap();
        assert_eq!(x, y);
    }
}
