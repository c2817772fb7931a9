//! What a door passes explicitly: the variables a config may use and the folders outside its
//! own it may read.

use std::path::PathBuf;

use crate::natsconf::{ParseOptions, SandboxOptions, TlsFiles};

/// A variable given explicitly (`--env NAME` takes natsfault's own value, `--env NAME=VALUE`
/// a literal); its value is a secret in every report.
///
/// ```
/// use natsfault::door::EnvVar;
/// let v: EnvVar = "NATS_TOKEN=s3cret".parse().unwrap();
/// assert_eq!((v.name.as_str(), v.value.as_str()), ("NATS_TOKEN", "s3cret"));
/// assert!("1BAD".parse::<EnvVar>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The name, as `$NAME` in the config.
    pub name: String,
    /// The value.
    pub value: String,
}

impl std::fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EnvVar({}=<redacted>)", self.name)
    }
}

/// Why `--env` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvVarError {
    /// Not a variable name.
    #[error(
        "`{0}` is not a variable name; expected `NAME` or `NAME=VALUE` (letters, digits and `_`, not starting with a digit)"
    )]
    Name(String),
    /// `NAME` alone, but natsfault's environment has no such variable.
    #[error("`{0}` is not set in natsfault's environment; expected it set, or `{0}=VALUE`")]
    Unset(String),
}

impl std::str::FromStr for EnvVar {
    type Err = EnvVarError;

    fn from_str(s: &str) -> Result<EnvVar, EnvVarError> {
        let (name, value) = match s.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (s, None),
        };
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(EnvVarError::Name(name.to_string()));
        }
        let value = match value {
            Some(v) => v,
            None => std::env::var(name).map_err(|_| EnvVarError::Unset(name.to_string()))?,
        };
        Ok(EnvVar { name: name.to_string(), value })
    }
}

/// What the user passed explicitly through a door.
///
/// ```
/// use natsfault::door::DoorOptions;
/// let options = DoorOptions::default();
/// assert!(options.env.is_empty() && options.roots.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct DoorOptions {
    /// Variables the config may use (nats-server's own environment fallback is refused).
    pub env: Vec<EnvVar>,
    /// Folders outside the config's own folder tree whose files it may include or name.
    pub roots: Vec<PathBuf>,
    /// Stand-ins for the top-level `tls` block's files (diagnose); `None` copies the config's own.
    pub tls_files: Option<TlsFiles>,
}

impl DoorOptions {
    /// How every door parses a config: no environment fallback, includes inside the config's
    /// folder tree or [`DoorOptions::roots`], files read with a bound.
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions::sandboxed(self.env.iter().map(|v| (v.name.clone(), v.value.clone())), self.roots.clone())
    }

    /// How every door rewrites a config for the sandbox folder `dir`.
    pub fn sandbox_options(&self, dir: impl Into<PathBuf>) -> SandboxOptions {
        let mut options = SandboxOptions::new(dir);
        options.read_roots = Some(self.roots.clone());
        options.tls_files = self.tls_files.clone();
        options
    }

    /// The values of the variables, which reports redact.
    pub fn secrets(&self) -> Vec<String> {
        self.env.iter().map(|v| v.value.clone()).filter(|v| !v.is_empty()).collect()
    }
}
