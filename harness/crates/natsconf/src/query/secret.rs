//! A secret value (password, token, seed) that never prints.

use std::fmt;

/// A password, token or seed from the config. `Debug` and `Display` print `<redacted>`;
/// [`Secret::expose`] gives the value to code that must use it (e.g. a test client).
///
/// ```
/// use natsfault_natsconf::Secret;
/// let secret = Secret::new("s3cret");
/// assert_eq!(format!("{secret} {secret:?}"), "<redacted> <redacted>");
/// assert_eq!(secret.expose(), "s3cret");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    ///
    /// ```
    /// use natsfault_natsconf::Secret;
    /// assert_eq!(Secret::new("x").expose(), "x");
    /// ```
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself. Never put it in a message.
    ///
    /// ```
    /// use natsfault_natsconf::Secret;
    /// assert_eq!(Secret::new("x").expose(), "x");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is a bcrypt hash (`$2a$...`), which clients cannot send as is.
    ///
    /// ```
    /// use natsfault_natsconf::Secret;
    /// assert!(Secret::new("$2a$11$abc").is_bcrypt());
    /// ```
    pub fn is_bcrypt(&self) -> bool {
        self.0.starts_with("$2a$") || self.0.starts_with("$2b$") || self.0.starts_with("$2y$")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
