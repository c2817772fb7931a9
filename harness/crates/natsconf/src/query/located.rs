//! A value from the config with the place it was found.

use crate::location::Location;

/// A value and where the config sets it.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("system_account: SYS", "nats.conf", &ParseOptions::default())?;
/// let sys = config.system_account().unwrap();
/// assert_eq!((sys.value.as_str(), sys.at.to_string().as_str()), ("SYS", "nats.conf:1:1"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where its key is.
    pub at: Location,
}
