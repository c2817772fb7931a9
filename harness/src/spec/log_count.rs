//! `log-count`: how many server log lines of a step's window match a pattern, for behaviour that
//! shows as a rate (a route retried in a tight loop logs thousands of lines where a paced one
//! logs a few).

use serde::Deserialize;
use toml::Spanned;

use super::count_range::CountRange;

/// `log-count = { pattern = "Route Error 'Authorization Violation'", range = "200.." }`: the
/// number of lines of the window matching `pattern` lies in `range`. A lower bound is awaited
/// up to `within`; an upper bound is checked once the other expectations were awaited.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LogCount {
    /// A regular expression (placeholders match their value literally).
    pub pattern: Spanned<String>,
    /// How many lines: `"200.."`, `"1..40"`, `"3"`.
    pub range: CountRange,
}
