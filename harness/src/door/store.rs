//! A scenario's JetStream store: the server always gets it from `--store_dir` inside its
//! sandbox, so a `store_dir` the pasted config names (top level or in `jetstream {}`) is blanked
//! out in place, keeping every other key on its line and column (nats-server refuses a store
//! given both ways: `Duplicate 'store_dir' configuration`).

use super::text::offset;
use crate::natsconf::{Config, Entry, Map, ParseOptions, Value, fold_key};

/// Store keys at the top level and inside `jetstream {}`.
const STORE_KEYS: &[&str] = &["store_dir", "storedir"];
const INNER_STORE_KEYS: &[&str] = &["store", "store_dir", "storedir"];

/// `config` without any `store_dir`; unchanged when it names none or does not parse (the server
/// then says why). Parsed as every door parses: `env` are the variables passed explicitly, and
/// natsfault's own environment is not read.
///
/// ```
/// use natsfault::door::scenario_config;
/// let text = "jetstream { store_dir: \"/var/lib/nats\", max_file: 1G }\nauthorization { token: t }";
/// let played = scenario_config(text, &[]);
/// assert!(!played.contains("store_dir") && played.contains("max_file: 1G"));
/// assert_eq!(played.len(), text.len());
/// ```
pub fn scenario_config(config: &str, env: &[(String, String)]) -> String {
    let options = ParseOptions::sandboxed(env.iter().cloned(), Vec::new());
    let Ok(parsed) = Config::parse_str(config, "/natsfault-pasted-config/nats.conf", &options) else {
        return config.to_string();
    };
    let mut spans = Vec::new();
    collect(parsed.root(), STORE_KEYS, config, &mut spans);
    for pair in parsed.root().pairs() {
        if fold_key(&pair.key) == "jetstream"
            && let Value::Map(inner) = &pair.value.value
        {
            collect(inner, INNER_STORE_KEYS, config, &mut spans);
        }
    }
    let mut out = config.to_string();
    spans.sort_by_key(|r: &std::ops::Range<usize>| std::cmp::Reverse(r.start));
    for range in spans {
        let blank: String = out[range.clone()].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        out.replace_range(range, &blank);
    }
    out
}

/// The byte ranges of `keys`' pairs in the main text (an include's pairs are not in it).
fn collect(map: &Map, keys: &[&str], text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    for entry in &map.entries {
        let Entry::Pair(pair) = entry else { continue };
        if pair.key_at.file.0 != 0 || !keys.contains(&fold_key(&pair.key).as_ref()) {
            continue;
        }
        let (Some(start), Some(value)) = (
            offset(text, pair.key_at.line, pair.key_at.column),
            offset(text, pair.value.at.line, pair.value.at.column),
        ) else {
            continue;
        };
        let rest = &text[value..];
        let len = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
            _ => rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '}' | ']')).unwrap_or(rest.len()),
        };
        let mut end = value + len;
        let after = &text[end..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        if after[spaces..].starts_with([',', ';']) {
            end += spaces + 1;
        }
        out.push(start..end);
    }
}

/// Config text a test gives a server with no peers (`TestServer::builder().config(...)`,
/// `NatsServerImage::with_config`), held to the door's rules: nothing it names may listen, dial,
/// read or write outside the run; its store is the sandbox's. The text to play, or the first
/// breach as `nats.conf:LINE:COL: ...`.
///
/// ```
/// use natsfault::door::guard_text;
/// assert!(guard_text("jetstream { store_dir: \"/var/lib/nats\" }").is_ok_and(|t| !t.contains("store_dir")));
/// let err = guard_text("pİd_file: \"/tmp/x.pid\"").unwrap_err();
/// assert!(err.starts_with("nats.conf:1:1: `pİd_file` would write a pid file"), "{err}");
/// ```
pub fn guard_text(config: &str) -> Result<String, String> {
    let options = ParseOptions::sandboxed::<&str, &str>([], Vec::new());
    let parsed = Config::parse_str(config, "/natsfault-pasted-config/nats.conf", &options).map_err(|e| {
        let e = e.to_string();
        e.strip_prefix("/natsfault-pasted-config/").map(str::to_string).unwrap_or(e)
    })?;
    if let Some(b) = crate::natsconf::guard(&parsed, &|_| false).first() {
        return Err(format!("nats.conf:{}:{}: `{}` {}", b.at.line, b.at.column, b.key, b.what));
    }
    Ok(scenario_config(config, &[]))
}
