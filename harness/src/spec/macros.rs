//! The spec's macros: `pick!`, how a `[fix]` table or a step's change overrides the fields it
//! sets, and `deserialize_from_str!`, scenario values written as strings and parsed with `FromStr`.

/// Sets every field of `$base` that `$over` sets (both with `Option` fields): how a `[fix]` table
/// or a step's change overrides a table.
macro_rules! pick {
    ($base:expr, $over:expr; $($f:ident),*) => { $( if let Some(v) = &$over.$f { $base.$f = Some(v.clone()); } )* };
}

/// `impl Deserialize` for types read from a string through their `FromStr` (its error becomes
/// the deserializer's message).
macro_rules! deserialize_from_str {
    ($($t:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
