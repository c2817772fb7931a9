//! Secrets found by their shape alone: nkey seeds, JWT signatures, bcrypt hashes and PEM private
//! key blocks.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

struct Rules {
    /// nkey seeds: `S` + role (operator, account, user, server, cluster, curve) + base32.
    seed: Regex,
    /// A JWT; only its signature (after the second dot) is secret.
    jwt: Regex,
    /// A bcrypt hash, as nats-server takes for passwords.
    bcrypt: Regex,
    /// A PEM private key block, or what is left of one that was cut short.
    pem: Regex,
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| Rules {
        seed: Regex::new(r"\bS[OAUNCX][A-Z2-7]{50,}\b").expect("valid regex"),
        jwt: Regex::new(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)").expect("valid regex"),
        bcrypt: Regex::new(r"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{20,}").expect("valid regex"),
        pem: Regex::new(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\:-]*)",
        )
        .expect("valid regex"),
    })
}

/// The byte ranges of `text` that the rules take for secrets.
pub(crate) fn pattern_ranges(text: &str) -> Vec<Range<usize>> {
    let r = rules();
    let mut out: Vec<Range<usize>> = Vec::new();
    out.extend(r.seed.find_iter(text).map(|m| m.range()));
    out.extend(r.jwt.captures_iter(text).filter_map(|c| c.get(1)).map(|m| m.range()));
    out.extend(r.bcrypt.find_iter(text).map(|m| m.range()));
    out.extend(r.pem.find_iter(text).map(|m| m.range()));
    out
}

#[cfg(test)]
mod tests {
    use super::pattern_ranges;

    fn cut(text: &str) -> Vec<&str> {
        pattern_ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn every_rule_finds_its_secret() {
        let seed = crate::credentials::keys::user().seed().to_string();
        assert_eq!(cut(&format!("nkey \"{seed}\"")), [seed.as_str()]);
        assert_eq!(cut("jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end"), ["c2lnbmF0dXJl"]);
        let hash = "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy";
        assert_eq!(cut(&format!("password: \"{hash}\"")), [hash]);
        let pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----";
        assert_eq!(cut(&format!("key:\n{pem}\nrest")), [pem]);
        assert_eq!(cut("'-----BEGIN PRIVATE KEY-----\nMIIEvQ\n' cut"), ["-----BEGIN PRIVATE KEY-----\nMIIEvQ\n"]);
    }

    #[test]
    fn public_keys_and_words_are_left_alone() {
        let public = crate::credentials::keys::user().public_key().to_string();
        assert!(cut(&format!("nkey {public} SEED Sunday $2a$ -----BEGIN CERTIFICATE-----")).is_empty());
    }
}
