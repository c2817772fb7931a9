//! Where the secrets are in a text: known values and the shape rules, as merged byte ranges.

use std::ops::Range;

use super::rules::pattern_ranges;

/// Known secrets shorter than this are replaced only where they stand as a word of their own: a
/// short secret (`auth`) is also a common word inside others (`authentication`), which must stay
/// readable.
pub(crate) const WHOLE_WORD_BELOW: usize = 8;

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Every range of `text` that holds one of `values` or matches a rule, sorted and merged.
pub(crate) fn secret_ranges(text: &str, values: &[String]) -> Vec<Range<usize>> {
    let mut out = pattern_ranges(text);
    for v in values.iter().filter(|v| !v.is_empty()) {
        for (i, _) in text.match_indices(v.as_str()) {
            let end = i + v.len();
            if v.len() < WHOLE_WORD_BELOW {
                let before = text[..i].chars().next_back();
                let after = text[end..].chars().next();
                if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
                    continue;
                }
            }
            out.push(i..end);
        }
    }
    merge(out)
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::secret_ranges;

    #[test]
    fn long_secrets_go_everywhere_short_ones_as_words() {
        let values = vec!["s3cret-Password".to_string(), "auth".to_string()];
        assert_eq!(secret_ranges("pw=s3cret-Password!", &values), vec![(3..18)]);
        assert_eq!(secret_ranges("password: auth, authentication error", &values), vec![(10..14)]);
    }

    #[test]
    fn overlapping_secrets_merge() {
        let values = vec!["abcdefghij".to_string(), "ghijklmnop".to_string()];
        assert_eq!(secret_ranges("x abcdefghijklmnop y", &values), vec![(2..18)]);
    }
}
