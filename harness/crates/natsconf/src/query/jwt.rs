//! Just enough JWT reading to see where an operator points the server: the decoded claims and
//! a few string claims. Signatures are not checked (the server does that).

use std::sync::OnceLock;

use regex::Regex;

/// Finds the JWT in a file's text (nsc files wrap it in `-----BEGIN ... JWT-----` lines).
pub(crate) fn find_jwt(text: &str) -> Option<&str> {
    static JWT: OnceLock<Option<Regex>> = OnceLock::new();
    let re = JWT.get_or_init(|| Regex::new(r"eyJ[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*").ok()).as_ref()?;
    re.find(text).map(|m| m.as_str())
}

/// The claims (second part) of a JWT, as JSON text.
pub(crate) fn claims_json(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    String::from_utf8(base64url_decode(payload)?).ok()
}

/// A top-level or nested string claim by name, e.g. `account_server_url`.
pub(crate) fn string_claim(json: &str, name: &str) -> Option<String> {
    let pattern = format!(r#""{}"\s*:\s*"((?:[^"\\]|\\.)*)""#, regex::escape(name));
    let re = Regex::new(&pattern).ok()?;
    re.captures(json).and_then(|c| c.get(1)).map(|m| m.as_str().replace("\\/", "/"))
}

/// Decodes base64url with or without padding.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{base64url_decode, claims_json, find_jwt, string_claim};

    #[test]
    fn decodes_base64url() {
        assert_eq!(base64url_decode("aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(base64url_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64url_decode("a$"), None);
    }

    #[test]
    fn reads_claims() {
        // {"a":"x","nats":{"account_server_url":"http://h:9090/jwt/v1"}}
        let jwt =
            "eyJhbGciOiJub25lIn0.eyJhIjoieCIsIm5hdHMiOnsiYWNjb3VudF9zZXJ2ZXJfdXJsIjoiaHR0cDovL2g6OTA5MC9qd3QvdjEifX0.";
        let text = format!("-----BEGIN NATS OPERATOR JWT-----\n{jwt}\n------END NATS OPERATOR JWT------\n");
        let found = find_jwt(&text).unwrap();
        let json = claims_json(found).unwrap();
        assert_eq!(string_claim(&json, "account_server_url").as_deref(), Some("http://h:9090/jwt/v1"));
        assert_eq!(string_claim(&json, "missing"), None);
    }
}
