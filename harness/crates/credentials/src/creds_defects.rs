//! Deliberately damaged `.creds` files, as copy-paste and hand edits leave them.
//!
//! What async-nats 0.51 makes of each (checked by the test below against the real crate):
//!
//! | defect | `ConnectOptions::credentials_file` | at the server |
//! |---|---|---|
//! | [`CredsDefect::StrayBlankLine`] | `io::Error` (`InvalidData`): "cannot parse nkey from the credentials file" | never connects |
//! | [`CredsDefect::TruncatedJwt`] | accepted | `Authorization Violation`, debug `Authentication requires a user JWT` |
//! | [`CredsDefect::MissingSeedBlock`] | `io::Error` (`InvalidData`): "cannot parse nkey from the credentials file" | never connects |
//!
//! A blank line inside the JWT block makes async-nats skip that block: it then takes the seed
//! block for the JWT and finds no seed, so the message blames the nkey although the JWT block is
//! the damaged one.

use super::creds_file::{JWT_BEGIN, JWT_END, format_creds};
use super::defects::truncate_jwt;

/// One way to damage a creds file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredsDefect {
    /// A blank line right after `-----BEGIN NATS USER JWT-----`.
    StrayBlankLine,
    /// The JWT without its signature part (`header.claims`), as a cut-short paste leaves it.
    TruncatedJwt,
    /// Only the JWT block: the seed block is missing.
    MissingSeedBlock,
}

impl CredsDefect {
    /// Every defect, for tests and documentation.
    pub const ALL: [CredsDefect; 3] =
        [CredsDefect::StrayBlankLine, CredsDefect::TruncatedJwt, CredsDefect::MissingSeedBlock];

    /// The creds text for `jwt` and `seed` with this defect.
    ///
    /// ```
    /// use natsfault_credentials::{CredsDefect, keys};
    /// let seed = keys::user().seed().to_string();
    /// let text = CredsDefect::MissingSeedBlock.apply("h.c.s", &seed);
    /// assert!(!text.contains(&seed));
    /// ```
    pub fn apply(self, jwt: &str, seed: &str) -> String {
        match self {
            CredsDefect::StrayBlankLine => format_creds(jwt, seed).replacen(JWT_BEGIN, &format!("{JWT_BEGIN}\n"), 1),
            CredsDefect::TruncatedJwt => format_creds(&truncate_jwt(jwt), seed),
            CredsDefect::MissingSeedBlock => format!("{JWT_BEGIN}\n{jwt}\n{JWT_END}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{UserClaims, encode, keys, parse_creds};

    #[test]
    fn async_nats_refuses_or_misreads_each_defect() {
        let account = keys::account();
        let user = keys::user();
        let jwt = encode(&mut UserClaims::new(user.public_key(), "alice"), &account).unwrap();
        for defect in CredsDefect::ALL {
            let text = defect.apply(&jwt, user.seed());
            assert!(parse_creds(&text).is_err(), "{defect:?}: the strict parser refuses it");
            let real = async_nats::ConnectOptions::with_credentials(&text);
            match defect {
                CredsDefect::TruncatedJwt => assert!(real.is_ok(), "async-nats sends a truncated JWT as is"),
                _ => {
                    let e = real.expect_err("refused");
                    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{defect:?}");
                    assert_eq!(e.to_string(), "cannot parse nkey from the credentials file", "{defect:?}");
                }
            }
        }
    }
}
