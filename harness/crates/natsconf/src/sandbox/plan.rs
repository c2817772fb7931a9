//! The result of a sandbox rewrite: config texts, files to copy, what changed and why; and
//! carrying it out on disk.

use std::fmt;
use std::path::{Path, PathBuf};

use super::lines::LineMap;
use crate::location::Location;
use crate::write::WriteError;

/// One change made to run the config safely here, for the diagnosis report. Never holds a
/// secret.
///
/// ```
/// use natsfault_natsconf::{Location, Rewrite};
/// let rewrite = Rewrite {
///     key: "cluster".into(),
///     at: Location { file: "nats.conf".into(), line: 4, column: 1 },
///     what: "removed: it would listen for routes".into(),
/// };
/// assert_eq!(rewrite.to_string(), "nats.conf:4:1: `cluster` removed: it would listen for routes");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The key, as a dotted path (`jetstream.store_dir`).
    pub key: String,
    /// Where the key is in the customer's files.
    pub at: Location,
    /// What was done and why, lowercase.
    pub what: String,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.at, self.key, self.what)
    }
}

/// Whether a copy is of one file or of a folder's files.
///
/// ```
/// use natsfault_natsconf::CopyKind;
/// assert_ne!(CopyKind::File, CopyKind::Dir);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// One file.
    File,
    /// A folder, created empty in the sandbox; what goes in it is listed as copies of its own
    /// (a directory resolver's account JWTs, nothing else).
    Dir,
}

/// A file the config references, and where its copy goes in the sandbox.
///
/// ```
/// use natsfault_natsconf::{CopyKind, FileCopy};
/// let copy = FileCopy { from: "/etc/nats/op.jwt".into(), to: "/tmp/sbx/files/01-op.jwt".into(), kind: CopyKind::File, exists: true };
/// assert!(copy.to.starts_with("/tmp/sbx"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCopy {
    /// Where the file is on this machine (resolved against the base folder).
    pub from: PathBuf,
    /// Where the copy goes.
    pub to: PathBuf,
    /// File or folder.
    pub kind: CopyKind,
    /// Whether `from` exists; a missing one is reported in the rewrites and not copied.
    pub exists: bool,
}

/// A configuration file to write into the sandbox.
///
/// ```
/// use natsfault_natsconf::{LineMap, PlannedFile};
/// let file = PlannedFile { path: "/tmp/sbx/nats.conf".into(), text: "debug: true\n".into(), lines: LineMap::default() };
/// assert!(file.text.ends_with('\n'));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Where it goes.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Where its keys came from in the customer's files, to report the server's positions there.
    pub lines: LineMap,
}

/// Everything needed to run a customer's config here.
///
/// ```no_run
/// use natsfault_natsconf::{Config, ParseOptions, SandboxOptions, sandbox};
/// let config = Config::parse_file("nats.conf", &ParseOptions::default())?;
/// let plan = sandbox(&config, &SandboxOptions::new("/tmp/sbx"))?;
/// plan.write()?;
/// // nats-server -c <plan.main> -a 127.0.0.1 -p -1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxPlan {
    /// The sandbox folder.
    pub dir: PathBuf,
    /// The main config file to give `nats-server -c`.
    pub main: PathBuf,
    /// Config files: the main one first, then one per include directive.
    pub config_files: Vec<PlannedFile>,
    /// Referenced files and folders to copy.
    pub copies: Vec<FileCopy>,
    /// Empty folders to create (the JetStream store).
    pub create_dirs: Vec<PathBuf>,
    /// What was changed, in file order.
    pub rewrites: Vec<Rewrite>,
    /// The largest file copied, in bytes (the sizes were checked when planning; a file that
    /// grew since is cut there).
    pub max_copy_bytes: u64,
}

/// A sandbox that could not be planned or written.
///
/// ```
/// use natsfault_natsconf::SandboxError;
/// let err = SandboxError::OutsideSandbox { path: "/etc/passwd".into() };
/// assert!(err.to_string().contains("`/etc/passwd`"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The rewritten tree cannot be written as text.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A file operation failed.
    #[error("cannot {action} `{path}`: {reason}")]
    Io {
        /// What was being done: "create", "copy", "write".
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A planned path left the sandbox folder (never expected; checked before any write).
    #[error("refusing to write `{path}`: expected a path inside the sandbox folder")]
    OutsideSandbox {
        /// The path.
        path: PathBuf,
    },
}

impl SandboxPlan {
    /// Creates the sandbox: folders, copies, then config files. Writes nothing outside
    /// [`SandboxPlan::dir`].
    ///
    /// ```no_run
    /// # fn demo(plan: natsfault_natsconf::SandboxPlan) -> Result<(), natsfault_natsconf::SandboxError> {
    /// plan.write()?;
    /// # Ok(()) }
    /// ```
    pub fn write(&self) -> Result<(), SandboxError> {
        let targets = self
            .create_dirs
            .iter()
            .chain(self.copies.iter().map(|c| &c.to))
            .chain(self.config_files.iter().map(|f| &f.path));
        for target in targets {
            if !inside(&self.dir, target) {
                return Err(SandboxError::OutsideSandbox { path: target.clone() });
            }
        }
        create_dir(&self.dir)?;
        for dir in &self.create_dirs {
            create_dir(dir)?;
        }
        for copy in self.copies.iter().filter(|c| c.exists) {
            match copy.kind {
                CopyKind::File => copy_file(&copy.from, &copy.to, self.max_copy_bytes)?,
                CopyKind::Dir => create_dir(&copy.to)?,
            }
        }
        for file in &self.config_files {
            if let Some(parent) = file.path.parent() {
                create_dir(parent)?;
            }
            natsfault_owner_only::write(&file.path, &file.text).map_err(|e| io("write", &file.path, &e))?;
        }
        Ok(())
    }
}

/// Whether `path` is lexically inside `dir` (no `..` parts).
fn inside(dir: &Path, path: &Path) -> bool {
    path.starts_with(dir) && !path.components().any(|c| matches!(c, std::path::Component::ParentDir))
}

fn io(action: &'static str, path: &Path, e: &std::io::Error) -> SandboxError {
    SandboxError::Io { action, path: path.to_path_buf(), reason: e.to_string().to_lowercase() }
}

fn create_dir(dir: &Path) -> Result<(), SandboxError> {
    natsfault_owner_only::create_dir_all(dir).map_err(|e| io("create", dir, &e))
}

fn copy_file(from: &Path, to: &Path, limit: u64) -> Result<(), SandboxError> {
    use std::io::Read;
    if let Some(parent) = to.parent() {
        create_dir(parent)?;
    }
    let copy = || -> std::io::Result<u64> {
        let source = std::fs::File::open(from)?;
        std::io::copy(&mut source.take(limit), &mut natsfault_owner_only::create(to)?)
    };
    copy().map(|_| ()).map_err(|e| io("copy", from, &e))
}
