//! Secrets read from raw text by their keys, for text that may not parse (an invalid scenario
//! file, a config with a syntax error): the values of `password`, `token`, `seed` and the like,
//! in TOML (`password = "x"`) and nats.conf (`password: x`) form. Prose (a `summary`, a `note`)
//! is not read: `token: the` in a sentence names no secret.

use std::sync::OnceLock;

use regex::Regex;

/// Keys whose value is always a secret.
const SECRET_KEYS: &[&str] = &["password", "pass", "token", "auth_token", "sign-with", "sign_with", "seed", "secret"];
/// Keys whose value is a secret when it is shaped like a seed (a public key there is not).
const KEY_KEYS: &[&str] = &["nkey", "issuer", "xkey", "key"];

/// Keys whose value is prose for people: never read for secrets.
const PROSE_KEYS: &str = "summary|note|name|guide|description";

fn prose_start() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(r#"(?m)(?:^|[\s{{,])["']?(?:{PROSE_KEYS})["']?[ \t]*=[ \t]*("""|'''|"|')"#))
            .expect("valid regex")
    })
}

/// `text` with the value of every prose key blanked, in any TOML quoting; lines are kept.
fn without_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(quote) = prose_start().captures_at(text, at).and_then(|c| c.get(1)) {
        out.push_str(&text[at..quote.end()]);
        let body = &text[quote.end()..];
        let end = match quote.as_str() {
            "\"" => basic_string_end(body),
            "'" => body.find(['\'', '\n']),
            // An unclosed multi-line string is prose up to the first line that starts a TOML
            // table or key (`[clients.app]`, `password = ...`): what follows it is still read.
            q => body.find(q).or_else(|| toml_line().find(body).map(|m| m.start())),
        }
        .unwrap_or(body.len());
        out.extend(body[..end].chars().map(|ch| if ch == '\n' { ch } else { ' ' }));
        at = quote.end() + end;
    }
    out.push_str(&text[at..]);
    out
}

/// A line that starts a TOML table or a `key =`, at its start.
fn toml_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r#"(?m)^(?:\[|[A-Za-z0-9_.\-"']+[ \t]*=)"#).expect("valid regex"))
}

/// Where a one-line basic string (`"..."`, with escapes) closes, or its line ends.
fn basic_string_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, ch) in body.char_indices() {
        match ch {
            '\n' => return Some(i),
            '"' if !escaped => return Some(i),
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    None
}

fn key_value() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?m)(?:^|[^A-Za-z0-9_-])["']?([A-Za-z_][A-Za-z0-9_-]*)["']?[ \t]*[:=][ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^\s,}\]#;"']+))"#,
        )
        .expect("valid regex")
    })
}

/// Whether `key` is a secret key, or a misspelling of one of five letters or more (`tokn`,
/// `pasword`): a misspelled key still holds the secret, and the message about it quotes its line.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|k| {
        let near = if k.len() >= 7 { 2 } else { 1 };
        *k == key || (k.len() >= 5 && edit_distance(k, &key) <= near)
    })
}

/// The Levenshtein distance of two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            row.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

/// Whether `value` is written like an nkey seed (`S` + role + base32), even a broken one.
fn seed_shaped(value: &str) -> bool {
    let mut c = value.chars();
    c.next() == Some('S')
        && c.next().is_some_and(|r| "OAUNCX".contains(r))
        && value.len() >= 8
        && value.chars().all(|ch| ch.is_ascii_uppercase() || ('2'..='7').contains(&ch))
}

/// Every secret value written after a secret key in `text`. Placeholders (`{{...}}`) and
/// variable references (`$NAME`) are not values.
///
/// ```
/// let text = "[clients.app]\npassword = \"s3cret-pw\"\nconfig = '''authorization { token: tok-123 }'''";
/// assert_eq!(natsfault::redact::source_secrets(text), ["s3cret-pw", "tok-123"]);
/// ```
pub fn source_secrets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let text = without_prose(text);
    for c in key_value().captures_iter(&text) {
        let key = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let Some(value) = c.get(2).or(c.get(3)).or(c.get(4)).map(|m| m.as_str()) else { continue };
        if value.contains("{{") || value.starts_with('$') && !value.starts_with("$2") || value.trim().is_empty() {
            continue;
        }
        let secret = is_secret_key(&key) || KEY_KEYS.contains(&key.as_str()) && seed_shaped(value);
        if secret {
            out.push(value.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::source_secrets;

    #[test]
    fn values_of_secret_keys_in_both_syntaxes() {
        let text = r#"
password = "toml-pw"
authorization { users = [ { user: a, pass: 'single-q' }, { user: b, "password": "json-pw" } ] }
token: bare-token # comment
auth_callout { issuer: SAFAKESEEDVALUE, xkey: XPUBLICKEYVALUE }
nkey-seed = "bob"
tokn = "misspelled-tok"
send = "PING\r\n"
password: "{{password.app}}"
password: $PASS
"#;
        assert_eq!(
            source_secrets(text),
            ["toml-pw", "single-q", "json-pw", "bare-token", "SAFAKESEEDVALUE", "misspelled-tok"]
        );
    }

    #[test]
    fn prose_is_not_read_for_secrets() {
        let text = r#"
summary = """
Send the token (`token: the-one-from-the-vault`) or password: the server's.
"""
note = "token: the \"new\" one"
[fix]
summary = 'pass: the right one'
[[steps]]
expect = { note = "seed: the", error = "x" }
token = "real-tok"
config = '''authorization { token: conf-tok }'''
"#;
        assert_eq!(source_secrets(text), ["real-tok", "conf-tok"]);
    }

    #[test]
    fn an_unclosed_summary_is_prose_up_to_the_next_key() {
        // A file cut in its summary: the sentence is not read, the keys after it are.
        let text = "summary = \"\"\"\nA stale\ntoken: the server answers\n[clients.app]\npassword = \"pw-1\"\n";
        assert_eq!(source_secrets(text), ["pw-1"]);
        let cut = "summary = \"\"\"\nA stale\ntoken: the server answers `-";
        assert!(source_secrets(cut).is_empty());
    }
}
