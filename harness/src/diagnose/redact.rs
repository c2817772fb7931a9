//! Keeps the customer's secrets out of every output: passwords, tokens, seeds, JWT signatures.

use std::sync::OnceLock;

use regex::Regex;

use super::input::{Credentials, CredsRead, Prepared};
use super::model::Diagnosis;

/// The marker shown instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// Every secret value known from the input and the config.
pub fn collect(p: &Prepared) -> Vec<String> {
    let mut out = Vec::new();
    match &p.input.credentials {
        Credentials::UserPassword { password, .. } => out.push(password.clone()),
        Credentials::Token(t) => out.push(t.clone()),
        _ => {}
    }
    if let Some(CredsRead::Parsed { jwt, seed }) = &p.creds {
        out.push(seed.clone());
        if let Some(sig) = jwt.rsplit('.').next() {
            out.push(sig.to_string());
        }
    }
    out.extend(p.seed.clone());
    for u in p.config.users() {
        out.extend(u.password.map(|s| s.expose().to_string()));
    }
    if let Some(a) = p.config.authorization() {
        out.extend(a.token.map(|s| s.expose().to_string()));
        out.extend(a.password.map(|s| s.expose().to_string()));
    }
    out.retain(|s| s.len() >= 3);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

fn patterns() -> &'static [Regex; 2] {
    static P: OnceLock<[Regex; 2]> = OnceLock::new();
    P.get_or_init(|| {
        [
            // nkey seeds: `S` + role + base32.
            Regex::new(r"\bS[OAUNCX][A-Z2-7]{50,}\b").expect("valid regex"),
            // The signature part of a JWT.
            Regex::new(r"(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]+").expect("valid regex"),
        ]
    })
}

/// `text` with every secret replaced.
pub fn text(text: &str, secrets: &[String]) -> String {
    let mut t = text.to_string();
    for s in secrets {
        t = if s.len() >= 8 { t.replace(s.as_str(), REDACTED) } else { replace_words(&t, s) };
    }
    let [seed, jwt] = patterns();
    let t = seed.replace_all(&t, REDACTED).into_owned();
    jwt.replace_all(&t, format!("${{1}}{REDACTED}")).into_owned()
}

/// Replaces `secret` where it stands as a word of its own: a short secret (`auth`) is also a
/// common word inside others (`authentication`), which must stay readable.
fn replace_words(text: &str, secret: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(secret) {
        let before = out.chars().last().or_else(|| rest[..i].chars().last());
        let before = if i > 0 { rest[..i].chars().last() } else { before };
        let after = rest[i + secret.len()..].chars().next();
        out.push_str(&rest[..i]);
        if word(before) || word(after) {
            out.push_str(secret);
        } else {
            out.push_str(REDACTED);
        }
        rest = &rest[i + secret.len()..];
    }
    out.push_str(rest);
    out
}

/// The diagnosis with every string redacted.
pub fn diagnosis(mut d: Diagnosis, secrets: &[String]) -> Diagnosis {
    let r = |s: &mut String| *s = text(s, secrets);
    r(&mut d.summary);
    d.fix.iter_mut().for_each(r);
    d.decoded.iter_mut().for_each(r);
    d.rewrites.iter_mut().for_each(r);
    d.evidence.client_error.iter_mut().for_each(r);
    d.evidence.server_errs.iter_mut().for_each(r);
    d.evidence.reason.iter_mut().for_each(r);
    d.evidence.log.iter_mut().for_each(r);
    if let super::model::Verdict::ConfigRefused { reason, at, .. } = &mut d.verdict {
        r(reason);
        at.iter_mut().for_each(r);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn long_secrets_go_everywhere_short_ones_as_words() {
        let secrets = vec!["s3cret-Password".to_string(), "auth".to_string()];
        assert_eq!(text("pw=s3cret-Password!", &secrets), "pw=<redacted>!");
        assert_eq!(
            text("password: auth, authentication error", &secrets),
            "password: <redacted>, authentication error"
        );
    }

    #[test]
    fn seeds_and_jwt_signatures_are_redacted_without_being_known() {
        let seed = crate::credentials::keys::user().seed().to_string();
        assert_eq!(text(&format!("nkey \"{seed}\""), &[]), "nkey \"<redacted>\"");
        assert_eq!(text("jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end", &[]), "jwt eyJhbGciOi.eyJzdWIiOi.<redacted> end");
    }
}
