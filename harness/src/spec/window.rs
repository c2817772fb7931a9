//! Where a step's evidence starts (`since`), and the outcome a broken phase may call unwanted.

use serde::Deserialize;

/// Where the window of a step's expectations begins (`since = "phase"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Since {
    /// When the step began (for `await`: when the action before it began). The default.
    #[default]
    Step,
    /// When the phase began: the step looks back at everything the phase recorded.
    Phase,
}

/// An outcome the broken phase shows although it should not (`unwanted = "success"`): the
/// misconfiguration lets the action through. The fixed phase then expects the refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unwanted {
    /// The action succeeded: a client got in, a publish or subscription went through.
    Success,
}
