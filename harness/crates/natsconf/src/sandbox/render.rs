//! The sandbox's config files: `nats.conf` plus one `include-NN-name.conf` per include
//! directive, all in the sandbox folder (include paths are then bare file names).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::lines::LineMap;
use super::plan::{PlannedFile, SandboxError};
use super::rewrite::{Ctx, safe_name};
use crate::location::{FileId, Pos};
use crate::value::{Entry, Include, Map, Value};
use crate::write::{Renderer, render_tree};

/// Renders every file; returns them (main first) and the main file's path.
pub(crate) fn render_files(cx: &Ctx<'_>) -> Result<(Vec<PlannedFile>, PathBuf), SandboxError> {
    let mut names = BTreeMap::new();
    name_includes(&cx.root, &mut names);
    let literal = cx.literal_defs();
    let include_path = |include: &Include, _: FileId| names.get(&include.file).cloned().unwrap_or_default();
    let renderer = Renderer { config: cx.config, include_path: &include_path, literal_defs: &literal };
    let main = cx.dir.join("nats.conf");
    let mut files = Vec::new();
    for rendered in render_tree(&renderer, &cx.root)? {
        let path = match names.get(&rendered.file) {
            Some(name) => cx.dir.join(name),
            None => main.clone(),
        };
        let source = cx.config.files().get(rendered.file.0 as usize).map(|f| f.path.display().to_string());
        let header = format!("# natsfault sandbox copy of {}\n", source.unwrap_or_default());
        let offsets: Vec<(usize, Pos)> = rendered.spans.iter().map(|(at, pos)| (at + header.len(), *pos)).collect();
        let text = header + &rendered.text;
        let lines = LineMap::new(cx.config, &text, &offsets);
        files.push(PlannedFile { path, text, lines });
    }
    Ok((files, main))
}

/// Gives each include directive still in the tree its sandbox file name, in file order.
fn name_includes(map: &Map, names: &mut BTreeMap<FileId, String>) {
    for entry in &map.entries {
        match entry {
            Entry::Include(include) => {
                let name = format!("include-{:02}-{}", names.len() + 1, safe_name(&include.path));
                let name = if name.ends_with(".conf") { name } else { format!("{name}.conf") };
                names.insert(include.file, name);
                name_includes(&include.body, names);
            }
            Entry::Pair(pair) => name_in(&pair.value.value, names),
        }
    }
}

fn name_in(value: &Value, names: &mut BTreeMap<FileId, String>) {
    match value {
        Value::Map(map) => name_includes(map, names),
        Value::Array(items) => items.iter().for_each(|item| name_in(&item.value, names)),
        _ => {}
    }
}
