//! The renderer: one text per source file, `include` directives pointing where the caller says,
//! and `$variables` kept as references unless their definition is gone.

use std::collections::BTreeSet;

use super::quote::{quote_key, quote_string};
use crate::config::Config;
use crate::location::{FileId, Location, Pos};
use crate::value::{Entry, Include, Map, Node, Value, VarSource};

/// The text of one configuration file.
///
/// ```
/// use natsfault_natsconf::{Config, FileId, ParseOptions};
/// let config = Config::parse_str("port: 4222", "nats.conf", &ParseOptions::default())?;
/// let files = config.render()?;
/// assert_eq!((files[0].file, files[0].text.as_str()), (FileId(0), "port: 4222\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Which source file this is ([`FileId(0)`](FileId) is the main file).
    pub file: FileId,
    /// The text.
    pub text: String,
    /// Byte offsets in `text` where a key or an array item starts, and its position in the
    /// source, in text order.
    pub(crate) spans: Vec<(usize, Pos)>,
}

/// The text being written for one file, and where each key and array item came from.
#[derive(Default)]
struct Out {
    text: String,
    spans: Vec<(usize, Pos)>,
}

impl Out {
    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
    }

    /// Records that what is written next comes from `at`.
    fn mark(&mut self, at: Pos) {
        self.spans.push((self.text.len(), at));
    }
}

/// A tree that cannot be written as nats.conf text.
///
/// ```
/// use natsfault_natsconf::{Location, WriteError};
/// let err = WriteError::UnrepresentableKey { key: "a'\"b".into(), at: Location::default() };
/// assert!(err.to_string().contains("both quote characters"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A key with both `'` and `"` and characters that need quoting.
    #[error(
        "{at}: key `{key}` has both quote characters and characters that need quoting; expected a key nats.conf can spell"
    )]
    UnrepresentableKey {
        /// The key.
        key: String,
        /// Where it was read.
        at: Location,
    },
}

/// How to write includes and variables.
pub(crate) struct Renderer<'a> {
    pub(crate) config: &'a Config,
    /// The path text to write for an include directive, given the including file.
    pub(crate) include_path: &'a dyn Fn(&Include, FileId) -> String,
    /// Definitions that are gone: references to them are written as their value.
    pub(crate) literal_defs: &'a BTreeSet<Pos>,
}

impl Config {
    /// Writes the config back as text: one [`RenderedFile`] for the main file and one per
    /// include directive, includes keeping their paths.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("T: abc\nauthorization { token: $T }", "nats.conf", &ParseOptions::default())?;
    /// let text = &config.render()?[0].text;
    /// assert!(text.contains("token: $T"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self) -> Result<Vec<RenderedFile>, WriteError> {
        let none = BTreeSet::new();
        let renderer =
            Renderer { config: self, include_path: &|inc: &Include, _: FileId| inc.path.clone(), literal_defs: &none };
        render_tree(&renderer, self.root())
    }
}

/// Renders `root` as the main file, and every include body (at any depth) as its own file.
pub(crate) fn render_tree(renderer: &Renderer<'_>, root: &Map) -> Result<Vec<RenderedFile>, WriteError> {
    let mut files = Vec::new();
    render_file(renderer, FileId(0), root, &mut files)?;
    Ok(files)
}

fn render_file(
    renderer: &Renderer<'_>,
    file: FileId,
    map: &Map,
    files: &mut Vec<RenderedFile>,
) -> Result<(), WriteError> {
    let mut out = Out::default();
    let index = files.len();
    files.push(RenderedFile { file, text: String::new(), spans: Vec::new() });
    write_entries(renderer, file, map, 0, &mut out, files)?;
    if let Some(slot) = files.get_mut(index) {
        slot.text = out.text;
        slot.spans = out.spans;
    }
    Ok(())
}

fn write_entries(
    renderer: &Renderer<'_>,
    file: FileId,
    map: &Map,
    depth: usize,
    out: &mut Out,
    files: &mut Vec<RenderedFile>,
) -> Result<(), WriteError> {
    let indent = "  ".repeat(depth);
    for entry in &map.entries {
        match entry {
            Entry::Pair(pair) => {
                let key = quote_key(&pair.key).ok_or_else(|| WriteError::UnrepresentableKey {
                    key: pair.key.clone(),
                    at: renderer.config.location(pair.key_at),
                })?;
                out.push_str(&indent);
                out.mark(pair.key_at);
                out.push_str(&key);
                out.push_str(": ");
                write_value(renderer, file, &pair.value, depth, out, files)?;
                out.push('\n');
            }
            Entry::Include(include) => {
                out.push_str(&indent);
                out.mark(include.at);
                out.push_str("include ");
                out.push_str(&quote_include((renderer.include_path)(include, file)));
                out.push('\n');
                render_file(renderer, include.file, &include.body, files)?;
            }
        }
    }
    Ok(())
}

fn write_value(
    renderer: &Renderer<'_>,
    file: FileId,
    node: &Node,
    depth: usize,
    out: &mut Out,
    files: &mut Vec<RenderedFile>,
) -> Result<(), WriteError> {
    match &node.value {
        Value::String(s) => out.push_str(&quote_string(s)),
        Value::Integer { raw, .. } | Value::Float { raw, .. } | Value::Bool { raw, .. } | Value::Datetime(raw) => {
            out.push_str(raw);
        }
        Value::Variable(var) => match var.source {
            VarSource::Config { defined_at } if !renderer.literal_defs.contains(&defined_at) => {
                out.push('$');
                out.push_str(&var.name);
            }
            _ => write_value(renderer, file, &var.value, depth, out, files)?,
        },
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            let indent = "  ".repeat(depth + 1);
            for item in items {
                out.push_str(&indent);
                out.mark(item.at);
                write_value(renderer, file, item, depth + 1, out, files)?;
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            out.push(']');
        }
        Value::Map(map) if map.entries.is_empty() => out.push_str("{}"),
        Value::Map(map) => {
            out.push_str("{\n");
            write_entries(renderer, file, map, depth + 1, out, files)?;
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
    }
    Ok(())
}

/// Include paths take no escapes; quote with whichever quote the path lacks.
fn quote_include(path: String) -> String {
    if path.contains('"') { format!("'{path}'") } else { format!("\"{path}\"") }
}
