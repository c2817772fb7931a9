//! `creds-defect = "..."`: a damaged `.creds` file for a client.

use serde::Deserialize;

use crate::credentials::CredsDefect;

/// How a client's creds file is damaged (see [`crate::credentials::creds_defects`] for what
/// async-nats makes of each).
///
/// ```toml
/// [clients.app]
/// creds = "alice"
/// creds-defect = "stray-blank-line"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredsDefectKind {
    /// No defect (a `[fix]` uses this to remove one).
    None,
    /// A blank line right after the JWT block's BEGIN line.
    StrayBlankLine,
    /// The JWT cut before its signature.
    TruncatedJwt,
    /// No seed block.
    MissingSeedBlock,
}

impl CredsDefectKind {
    /// The defect to apply, if any.
    pub fn defect(self) -> Option<CredsDefect> {
        match self {
            CredsDefectKind::None => None,
            CredsDefectKind::StrayBlankLine => Some(CredsDefect::StrayBlankLine),
            CredsDefectKind::TruncatedJwt => Some(CredsDefect::TruncatedJwt),
            CredsDefectKind::MissingSeedBlock => Some(CredsDefect::MissingSeedBlock),
        }
    }
}
