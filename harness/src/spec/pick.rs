//! `pick!`: how a `[fix]` table or a step's change overrides the fields it sets.

/// Sets every field of `$base` that `$over` sets (both with `Option` fields): how a `[fix]` table
/// or a step's change overrides a table.
macro_rules! pick {
    ($base:expr, $over:expr; $($f:ident),*) => { $( if let Some(v) = &$over.$f { $base.$f = Some(v.clone()); } )* };
}
