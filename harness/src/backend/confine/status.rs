//! What confinement a server ran under, and what the user asked for.

use std::fmt;

/// Environment variable choosing the confinement of servers natsfault runs for `diagnose`:
/// `auto` (default: confine where the kernel lets natsfault), `require` (refuse to run
/// unconfined), `off`.
pub const CONFINE_VAR: &str = "NATSFAULT_CONFINE";

/// The confinement asked for.
///
/// ```
/// use natsfault::backend::ConfinePolicy;
/// assert_eq!("require".parse::<ConfinePolicy>().unwrap(), ConfinePolicy::Require);
/// assert!("maybe".parse::<ConfinePolicy>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConfinePolicy {
    /// Never confine.
    Off,
    /// Confine where possible, say so where not.
    #[default]
    Auto,
    /// Confine or refuse to start.
    Require,
}

impl std::str::FromStr for ConfinePolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(ConfinePolicy::Off),
            "auto" => Ok(ConfinePolicy::Auto),
            "require" => Ok(ConfinePolicy::Require),
            other => Err(format!("unknown {CONFINE_VAR} value `{other}`: expected `auto`, `require` or `off`")),
        }
    }
}

impl ConfinePolicy {
    /// The policy from [`CONFINE_VAR`] (unset: `auto`); an unknown value is an error.
    pub fn from_env() -> Result<ConfinePolicy, String> {
        match std::env::var(CONFINE_VAR) {
            Ok(v) => v.parse(),
            Err(_) => Ok(ConfinePolicy::Auto),
        }
    }
}

/// The confinement a server ran under.
///
/// ```
/// use natsfault::backend::Confinement;
/// let c = Confinement::Namespaces;
/// assert!(c.to_string().contains("loopback only"));
/// assert!(c.is_confined());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confinement {
    /// A network namespace of its own with only loopback, reached through natsfault; the file
    /// system read-only except its sandbox.
    Namespaces,
    /// A container with a read-only root and no capabilities, on natsfault's own network only.
    Container,
    /// None: the sandbox rewrite alone keeps the server in; why.
    Unconfined(String),
}

impl Confinement {
    /// Whether the process was confined beyond the rewrite.
    pub fn is_confined(&self) -> bool {
        !matches!(self, Confinement::Unconfined(_))
    }
}

impl fmt::Display for Confinement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Confinement::Namespaces => write!(
                f,
                "own network namespace (loopback only, reached through natsfault), file system read-only except the sandbox"
            ),
            Confinement::Container => {
                write!(f, "container with a read-only root and no capabilities, on natsfault's own bridge network only")
            }
            Confinement::Unconfined(why) => write!(f, "none beyond the config rewrite ({why})"),
        }
    }
}
