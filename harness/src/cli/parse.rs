//! Value parsers for arguments clap cannot check by their type alone; clap reports a refusal
//! with the argument's name and exits with [`super::exit::INVALID_INPUT`].

use crate::spec::check_subject;

/// A count that must be at least 1 (`--jobs`, `--runs`).
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("expected a whole number of at least 1, found `0`".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("expected a whole number of at least 1, found `{text}`")),
    }
}

/// A subject to publish or send a request to: literal tokens, no wildcard.
pub fn literal_subject(text: &str) -> Result<String, String> {
    check_subject(text, false).map(|()| text.to_string()).map_err(|e| e.to_string())
}

/// A subject to subscribe to: `*` as a whole token, `>` only as the last one.
pub fn subscribe_subject(text: &str) -> Result<String, String> {
    check_subject(text, true).map(|()| text.to_string()).map_err(|e| e.to_string())
}

/// `--js-consumer STREAM.NAME[.FILTER]`.
pub fn js_consumer(text: &str) -> Result<crate::diagnose::js_op::JsOperation, String> {
    crate::diagnose::js_op::JsOperation::consumer(text).map_err(|e| e.to_string())
}

/// `--kv-get BUCKET.KEY`.
pub fn kv_get(text: &str) -> Result<crate::diagnose::js_op::JsOperation, String> {
    literal_subject(text)?;
    crate::diagnose::js_op::JsOperation::kv_get(text).map_err(|e| e.to_string())
}

/// `--partition M/N` (also nextest's `count:M/N`): share M of N, 1 <= M <= N.
pub fn partition(text: &str) -> Result<(usize, usize), String> {
    let body = text.strip_prefix("count:").unwrap_or(text);
    let bad = || format!("expected `M/N` with 1 <= M <= N (e.g. `1/4`), found `{text}`");
    let (m, n) = body.split_once('/').ok_or_else(bad)?;
    let (m, n) = (m.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
    if m == 0 || n == 0 || m > n {
        return Err(bad());
    }
    Ok((m, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_subjects() {
        assert_eq!(at_least_one("4"), Ok(4));
        assert!(at_least_one("0").is_err() && at_least_one("-1").is_err() && at_least_one("many").is_err());
        assert!(literal_subject("a.b").is_ok() && literal_subject("a.*").is_err() && literal_subject("").is_err());
        assert!(subscribe_subject("a.>").is_ok() && subscribe_subject("a.>.b").is_err());
    }
}
