//! The sandbox rewrite: takes a parsed config and produces a [`SandboxPlan`] whose server
//! listens only where the harness says, contacts nothing but 127.0.0.1, and writes only inside
//! the sandbox folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::options::SandboxOptions;
use super::plan::{CopyKind, FileCopy, Rewrite, SandboxError, SandboxPlan};
use super::rules::removal_reason;
use super::tree::{key_positions, remove_pairs};
use crate::config::Config;
use crate::location::Pos;
use crate::parse::{go_dir, go_join};
use crate::value::{Map, Node, Value};

/// Rewrites `config` to run safely in `options.dir`.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, SandboxOptions, sandbox};
/// let text = "port: 4222\ncluster { port: 6222, routes: [nats://10.0.0.2:6222] }\nauthorization { token: s3cret }";
/// let config = Config::parse_str(text, "/etc/nats/nats.conf", &ParseOptions::default())?;
/// let plan = sandbox(&config, &SandboxOptions::new("/tmp/sbx"))?;
/// let main = &plan.config_files[0].text;
/// assert!(!main.contains("cluster") && !main.contains("port") && main.contains("token"));
/// assert!(plan.rewrites.iter().all(|r| !r.to_string().contains("s3cret")));
/// assert_eq!(plan.rewrites.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sandbox(config: &Config, options: &SandboxOptions) -> Result<SandboxPlan, SandboxError> {
    let mut cx = Ctx::new(config, options);
    cx.remove_listeners();
    cx.jetstream();
    cx.tls();
    cx.operators();
    cx.resolver();
    cx.drop_orphans();
    cx.finish()
}

/// The state of one rewrite.
pub(crate) struct Ctx<'c> {
    pub(crate) config: &'c Config,
    pub(crate) options: &'c SandboxOptions,
    /// The sandbox folder, absolute.
    pub(crate) dir: PathBuf,
    /// Where relative paths in the config are read from, absolute.
    pub(crate) base_dir: PathBuf,
    /// The tree being rewritten.
    pub(crate) root: Map,
    pub(crate) rewrites: Vec<Rewrite>,
    pub(crate) copies: Vec<FileCopy>,
    pub(crate) create_dirs: Vec<PathBuf>,
    /// Keys inside removed settings: `$references` to them are written as values.
    pub(crate) removed_defs: BTreeSet<Pos>,
    /// Variable definitions dropped because nothing refers to them any more.
    pub(crate) orphans: BTreeSet<Pos>,
}

impl<'c> Ctx<'c> {
    fn new(config: &'c Config, options: &'c SandboxOptions) -> Self {
        let dir = absolute(&options.dir);
        let main = config.files().first().map(|f| f.path.to_string_lossy().to_string()).unwrap_or_default();
        let base_dir = match &options.base_dir {
            Some(base) => absolute(base),
            None => absolute(Path::new(&go_dir(&main))),
        };
        Ctx {
            config,
            options,
            dir,
            base_dir,
            root: config.root().clone(),
            rewrites: Vec::new(),
            copies: Vec::new(),
            create_dirs: Vec::new(),
            removed_defs: BTreeSet::new(),
            orphans: BTreeSet::new(),
        }
    }

    /// Records a change.
    pub(crate) fn note(&mut self, key: &str, pos: Pos, what: impl Into<String>) {
        self.rewrites.push(Rewrite { key: key.to_string(), at: self.config.location(pos), what: what.into() });
    }

    /// Removes every top-level key that listens, dials out or writes outside the sandbox.
    fn remove_listeners(&mut self) {
        let removed = remove_pairs(&mut self.root, &mut |pair| removal_reason(&pair.key).is_some());
        for pair in removed {
            self.removed_defs.insert(pair.key_at);
            key_positions(&pair.value, &mut self.removed_defs);
            if let Some(reason) = removal_reason(&pair.key) {
                self.note(&pair.key, pair.key_at, reason);
            }
        }
    }

    /// Plans the copy of a file or folder the config names; returns the path to write instead.
    pub(crate) fn copy_ref(&mut self, key: &str, at: Pos, written: &str, kind: CopyKind) -> String {
        let from = self.source_path(written);
        let to = self.copy_target(written);
        let refused = self.refuse_read(&from, kind);
        let exists = refused.is_none()
            && match kind {
                CopyKind::File => from.is_file(),
                CopyKind::Dir => from.is_dir(),
            };
        let what = match (exists, kind, refused) {
            (_, CopyKind::Dir, Some(why)) => {
                self.create_dirs.push(to.clone());
                format!("not read: {why}; the server gets an empty folder `{}`", to.display())
            }
            (_, CopyKind::File, Some(why)) => format!("not read: {why}; the server will not find it"),
            (true, _, None) => format!("copied from `{}` to `{}`", from.display(), to.display()),
            (false, CopyKind::Dir, None) => {
                self.create_dirs.push(to.clone());
                format!(
                    "`{}` is not on this machine; the server gets an empty folder `{}`",
                    from.display(),
                    to.display()
                )
            }
            (false, CopyKind::File, None) => format!(
                "`{}` is not on this machine; put the customer's file at `{}` or the server will not start",
                from.display(),
                to.display()
            ),
        };
        self.note(key, at, what);
        self.copies.push(FileCopy { from, to: to.clone(), kind, exists });
        to.to_string_lossy().to_string()
    }

    /// Why a file or folder the config names is not read: outside the folders the options allow,
    /// or (a file) larger than the copy bound. Decided from its path and metadata only.
    pub(crate) fn refuse_read(&self, from: &Path, kind: CopyKind) -> Option<String> {
        if let Some(extra) = &self.options.read_roots {
            let roots: Vec<PathBuf> = std::iter::once(self.base_dir.clone()).chain(extra.iter().cloned()).collect();
            if !crate::parse::within_roots(from, &roots) {
                return Some(format!(
                    "`{}` is outside the config's folder `{}`; natsfault reads only files under it, or under a folder passed explicitly",
                    from.display(),
                    self.base_dir.display()
                ));
            }
        }
        if kind == CopyKind::File
            && let Ok(meta) = std::fs::metadata(from)
        {
            if !meta.is_file() {
                return Some(format!("`{}` is not a regular file", from.display()));
            }
            if meta.len() > self.options.max_copy_bytes {
                return Some(format!(
                    "`{}` has {} bytes; expected at most {}",
                    from.display(),
                    meta.len(),
                    self.options.max_copy_bytes
                ));
            }
        }
        None
    }

    /// Where a path the config names is on this machine. Unlike includes, these paths are
    /// opened as written: absolute, or relative to the server's working folder.
    pub(crate) fn source_path(&self, written: &str) -> PathBuf {
        let base =
            if Path::new(written).is_absolute() { String::new() } else { self.base_dir.to_string_lossy().to_string() };
        PathBuf::from(go_join(&base, written))
    }

    /// Where the next copy goes in the sandbox.
    pub(crate) fn copy_target(&self, written: &str) -> PathBuf {
        self.dir.join("files").join(format!("{:02}-{}", self.copies.len() + 1, safe_name(written)))
    }

    /// Builds the plan: names include files, renders every file.
    fn finish(self) -> Result<SandboxPlan, SandboxError> {
        let (config_files, main) = super::render::render_files(&self)?;
        let mut rewrites = self.rewrites;
        rewrites.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(SandboxPlan {
            dir: self.dir,
            main,
            config_files,
            copies: self.copies,
            create_dirs: self.create_dirs,
            rewrites,
            max_copy_bytes: self.options.max_copy_bytes,
        })
    }
}

/// A string value at the same place as `old`.
pub(crate) fn string_node(text: impl Into<String>, old: &Node) -> Node {
    Node { value: Value::String(text.into()), at: old.at }
}

/// An absolute form of `path` (relative to the current folder), without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A file name safe to use in the sandbox: the last part of `written`, other characters as `_`.
pub(crate) fn safe_name(written: &str) -> String {
    let base = written.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let name: String =
        base.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let name = name.trim_start_matches('.').to_string();
    if name.is_empty() { "file".to_string() } else { name }
}
