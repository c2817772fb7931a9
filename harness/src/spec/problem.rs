//! Problems found in a scenario file, as miette diagnostics with spans.

use std::ops::Range;
use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::redact::{Secrets, config_text_secrets, source_secrets};

/// One problem at one place in a scenario file.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct Problem {
    /// What is wrong, lowercase, naming the user's value.
    pub message: String,
    /// Where, as a byte range.
    #[label("{label}")]
    pub span: SourceSpan,
    /// The label under the span.
    pub label: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column of the span's start.
    pub column: usize,
}

impl Problem {
    /// A problem at `span` of `source`.
    pub fn new(source: &str, span: Range<usize>, message: impl Into<String>) -> Problem {
        let start = span.start.min(source.len());
        let (line, column) = line_col(source, start);
        let len = span.end.saturating_sub(span.start);
        Problem { message: message.into(), span: (start, len).into(), label: "here".into(), help: None, line, column }
    }

    /// With a label under the span.
    pub fn label(mut self, label: impl Into<String>) -> Problem {
        self.label = label.into();
        self
    }

    /// With a help line.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A scenario file that could not be loaded: every problem found, with the file's text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid scenario file `{path}`: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
pub struct ScenarioError {
    /// The file.
    pub path: String,
    /// Its text, so each problem shows in context.
    #[source_code]
    pub source_code: NamedSource<String>,
    /// Every problem found, in file order.
    #[related]
    pub problems: Vec<Problem>,
}

impl ScenarioError {
    /// Builds the error from problems, sorted by position. The secrets of the file (see
    /// `file_secrets`) are replaced in the text the snippets quote and in every message; spans
    /// follow the redacted text, lines and columns stay those of the file.
    pub fn new(path: &Path, source: &str, mut problems: Vec<Problem>) -> ScenarioError {
        problems.sort_by_key(|p| (p.line, p.column));
        let secrets = file_secrets(source);
        let redacted = secrets.redact_source(source);
        for p in &mut problems {
            let span = redacted.span(p.span.offset()..p.span.offset() + p.span.len());
            p.span = (span.start, span.len()).into();
            secrets.redact_in(&mut p.message);
            secrets.redact_in(&mut p.label);
            p.help.iter_mut().for_each(|h| secrets.redact_in(h));
        }
        let name = path.display().to_string();
        ScenarioError {
            source_code: NamedSource::new(&name, redacted.text).with_language("toml"),
            path: name,
            problems,
        }
    }

    /// One `file:line:col: message` line per problem: the compact form tests and CI logs use.
    pub fn plain(&self) -> String {
        self.problems.iter().map(|p| format!("{}:{}:{}: {}\n", self.path, p.line, p.column, p.message)).collect()
    }
}

/// The secrets of a scenario file that may not load: the values of its secret keys, and the
/// secrets of every `config` text it holds, read with the natsconf queries when it parses as TOML.
fn file_secrets(source: &str) -> Secrets {
    let secrets = Secrets::of(source_secrets(source));
    if let Ok(table) = source.parse::<toml::Table>() {
        add_configs(&toml::Value::Table(table), &secrets);
    }
    secrets
}

fn add_configs(value: &toml::Value, secrets: &Secrets) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match (k.as_str(), v) {
                    ("config", toml::Value::String(text)) => secrets.add_all(config_text_secrets(text)),
                    ("password" | "token" | "sign-with", toml::Value::String(s)) if !s.contains("{{") => secrets.add(s),
                    _ => add_configs(v, secrets),
                }
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|v| add_configs(v, secrets)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 8), (2, 3));
    }
}
