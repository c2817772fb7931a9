//! Redaction of a source text that is shown with spans (a miette snippet): the secrets go, the
//! lines stay where they were, and every span is moved to the redacted text.

use std::ops::Range;

use super::matches::secret_ranges;
use super::secrets::{REDACTED, Secrets};

/// A text with its secrets replaced, and where each replacement went.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The redacted text: each secret is [`REDACTED`], followed by as many new lines as the
    /// secret had (so line numbers do not change).
    pub text: String,
    /// Each replaced range of the original, with the range of its replacement.
    edits: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    /// `range` of the original text as a range of the redacted one: a span that starts or ends
    /// inside a secret covers its whole replacement.
    pub fn span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.offset(range.start, false);
        let end = self.offset(range.end.max(range.start), true).max(start);
        start..end
    }

    fn offset(&self, at: usize, end: bool) -> usize {
        let mut shift: isize = 0;
        for (old, new) in &self.edits {
            if at <= old.start {
                break;
            }
            if at < old.end {
                return if end { new.end } else { new.start };
            }
            shift = new.end as isize - old.end as isize;
        }
        (at as isize + shift).max(0) as usize
    }
}

impl Secrets {
    /// `text` with every secret replaced, keeping its lines, with the map of its offsets.
    ///
    /// ```
    /// let s = natsfault::redact::Secrets::of(["hunter22"]);
    /// let r = s.redact_source("a = \"hunter22\"\nb = 1\n");
    /// assert_eq!(r.text, "a = \"<redacted>\"\nb = 1\n");
    /// assert_eq!(r.span(15..20), 17..22);
    /// ```
    pub fn redact_source(&self, text: &str) -> Redacted {
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::new();
        let mut at = 0;
        for r in secret_ranges(text, &self.values()) {
            out.push_str(&text[at..r.start]);
            let start = out.len();
            out.push_str(REDACTED);
            out.extend(std::iter::repeat_n('\n', text[r.clone()].matches('\n').count()));
            edits.push((r.clone(), start..out.len()));
            at = r.end;
        }
        out.push_str(&text[at..]);
        Redacted { text: out, edits }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_move_with_the_text_and_lines_stay() {
        let s = Secrets::of(["a-long-secret"]);
        let src = "x = 'a-long-secret'\ny = 'a-long-secret' z\n";
        let r = s.redact_source(src);
        assert_eq!(r.text, "x = '<redacted>'\ny = '<redacted>' z\n");
        let z = src.find('z').unwrap();
        assert_eq!(&r.text[r.span(z..z + 1)], "z");
        assert_eq!(&r.text[r.span(4..19)], "'<redacted>'");
        assert_eq!(&r.text[r.span(6..8)], "<redacted>");
        let pem = "k = '''\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'''\nafter";
        let r = Secrets::new().redact_source(pem);
        assert_eq!(r.text.lines().count(), pem.lines().count());
        let after = pem.find("after").unwrap();
        assert_eq!(&r.text[r.span(after..after + 5)], "after");
    }
}
