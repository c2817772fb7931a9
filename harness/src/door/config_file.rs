//! A config file as a server to start: parsed with its includes (no environment fallback,
//! includes and files from its own folder tree, read with a bound), rewritten by the sandbox (no
//! listener, route, log file, store or account server of the deployment is kept), and packed as
//! a [`ServerSpec`] whose files sit beside the config, so both backends run it.

use std::path::{Path, PathBuf};

use crate::backend::{ServerFile, ServerSpec};
use crate::natsconf::{Config, CopyKind, LineMap, Rewrite, sandbox};
use crate::redact::config_secrets;
use crate::spec::Version;

use super::error::DeployError;
use super::options::DoorOptions;

/// The folder the plan is made for; nothing is written there: the files travel in the spec.
const PLAN_DIR: &str = "/natsfault-deploy";

/// A team's config, ready to run anywhere a [`ServerSpec`] runs.
#[derive(Clone, Debug)]
pub struct DeployedConfig {
    /// The config file as given.
    pub path: PathBuf,
    /// The parsed config (queries give the positions of users and permissions).
    pub config: Config,
    /// The rewritten main config.
    pub main: String,
    /// The rewritten includes and the copies of the files the config names, by relative path.
    pub files: Vec<ServerFile>,
    /// What the sandbox changed, with the team's positions.
    pub rewrites: Vec<Rewrite>,
    /// Each rewritten config file by its relative name, and where its lines came from.
    pub positions: Vec<(String, LineMap)>,
    /// The literal secrets of the config and its includes, and the values of the variables
    /// passed explicitly.
    pub secrets: Vec<String>,
    /// The variables passed explicitly, for the server's environment.
    pub env: Vec<(String, String)>,
}

impl DeployedConfig {
    /// A spec that runs this config on `version`.
    ///
    /// ```no_run
    /// let deployed = natsfault::door::load_config_file("deploy/nats.conf".as_ref())?;
    /// let spec = deployed.spec("2.15.1".parse().unwrap());
    /// assert_eq!(spec.files.len(), deployed.files.len());
    /// # Ok::<(), natsfault::door::DeployError>(())
    /// ```
    pub fn spec(&self, version: Version) -> ServerSpec {
        // Confined as `diagnose` is (own network namespace, read-only file system but the
        // sandbox) where the kernel allows it; `NATSFAULT_CONFINE` decides, unset is `auto`.
        let policy = crate::backend::ConfinePolicy::from_env().unwrap_or(crate::backend::ConfinePolicy::Auto);
        let mut spec = ServerSpec::new(version, self.main.clone()).confine(policy);
        spec.files = self.files.clone();
        spec.env = self.env.clone();
        spec
    }

    /// A refusal of nats-server (`nats.conf:3:1: error parsing ...`, or an include's name) with
    /// its position replaced by the team's own file and line.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("nats.conf"), "# team config\nport: 4222\nmax_payload: 1\n").unwrap();
    /// let deployed = natsfault::door::load_config_file(&dir.path().join("nats.conf")).unwrap();
    /// let line = deployed.main.lines().position(|l| l.contains("max_payload")).unwrap() + 1;
    /// let mapped = deployed.team_position(&format!("nats.conf:{line}:1: bad value"));
    /// assert!(mapped.ends_with("nats.conf:3:1: bad value"), "{mapped}");
    /// ```
    pub fn team_position(&self, message: &str) -> String {
        let mut parts = message.splitn(4, ':');
        let (Some(file), Some(line), Some(col), Some(rest)) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return message.to_string();
        };
        let (Ok(line), Ok(col)) = (line.trim().parse::<u32>(), col.trim().parse::<u32>()) else {
            return message.to_string();
        };
        let file = file.rsplit('/').next().unwrap_or(file);
        let found = self
            .positions
            .iter()
            .find(|(name, _)| name == file || name.rsplit('/').next() == Some(file))
            .and_then(|(_, lines)| lines.source(line, col));
        match found {
            Some(at) => format!("{at}:{rest}"),
            None => message.to_string(),
        }
    }
}

/// Reads `path` (a nats.conf), its includes and the files it names (operator JWTs, a resolver
/// folder's account JWTs, preloads, TLS files), and rewrites it for the sandbox.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("users.conf"), "users: [ {user: a, password: pw-a-1234} ]\n").unwrap();
/// std::fs::write(dir.path().join("nats.conf"), "port: 4222\nauthorization { include users.conf }\n").unwrap();
/// let deployed = natsfault::door::load_config_file(&dir.path().join("nats.conf")).unwrap();
/// assert!(!deployed.main.contains("4222"));
/// assert_eq!(deployed.files.len(), 1);
/// assert_eq!(deployed.secrets, ["pw-a-1234"]);
/// ```
pub fn load_config_file(path: &Path) -> Result<DeployedConfig, DeployError> {
    load_config_file_with(path, &DoorOptions::default())
}

/// [`load_config_file`] with what the user passed explicitly: variables (`--env`), folders
/// outside the config's own it may read, TLS stand-ins.
///
/// ```
/// use natsfault::door::{DoorOptions, load_config_file_with};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("nats.conf"), "jetstream { store_dir: \"/var/lib/nats\" }\nauthorization { token: $T }\n").unwrap();
/// let err = load_config_file_with(&dir.path().join("nats.conf"), &DoorOptions::default()).unwrap_err();
/// assert!(err.to_string().contains("`$T` is not defined"), "{err}");
/// let options = DoorOptions { env: vec!["T=s3cret-token".parse().unwrap()], ..DoorOptions::default() };
/// let deployed = load_config_file_with(&dir.path().join("nats.conf"), &options).unwrap();
/// assert!(!deployed.main.contains("store_dir") && deployed.secrets.contains(&"s3cret-token".to_string()));
/// ```
pub fn load_config_file_with(path: &Path, options: &DoorOptions) -> Result<DeployedConfig, DeployError> {
    if !path.is_file() {
        return Err(DeployError::Missing { path: path.to_path_buf() });
    }
    let config = Config::parse_file(path, &options.parse_options()).map_err(|e| DeployError::Parse(e.to_string()))?;
    plan_config(config, path, options)
}

/// The plan for a config already parsed with [`DoorOptions::parse_options`].
pub fn plan_config(config: Config, path: &Path, options: &DoorOptions) -> Result<DeployedConfig, DeployError> {
    let sandbox_options = options.sandbox_options(PLAN_DIR);
    let plan = sandbox(&config, &sandbox_options)
        .map_err(|e| DeployError::Sandbox { path: path.to_path_buf(), reason: e.to_string() })?;
    let base = plan.main.parent().unwrap_or(&plan.dir).to_path_buf();
    // The plan names its copies by absolute path inside the plan folder; beside the config they
    // are relative to the server's working folder (the sandbox, or the container's config folder).
    let prefix = format!("{}/", base.display());
    let relative = |text: &str| text.replace(&prefix, "");
    let rel = |p: &Path| p.strip_prefix(&base).ok().map(|r| r.to_string_lossy().into_owned());
    let mut main = None;
    let mut files = Vec::new();
    let mut positions = Vec::new();
    for f in &plan.config_files {
        if f.path == plan.main {
            main = Some(relative(&f.text));
            positions.push((crate::backend::CONFIG_FILE.to_string(), f.lines.clone()));
        } else if let Some(name) = rel(&f.path) {
            positions.push((name.clone(), f.lines.clone()));
            files.push(ServerFile { name, contents: relative(&f.text).into_bytes() });
        }
    }
    for copy in plan.copies.iter().filter(|c| c.exists && c.kind == CopyKind::File) {
        let Some(name) = rel(&copy.to) else { continue };
        let contents = read_bounded(&copy.from, plan.max_copy_bytes)
            .map_err(|e| DeployError::Referenced { path: copy.from.clone(), reason: e.to_string().to_lowercase() })?;
        files.push(ServerFile { name, contents });
    }
    let main = main.ok_or_else(|| DeployError::Sandbox {
        path: path.to_path_buf(),
        reason: "the rewrite produced no main config file".into(),
    })?;
    let mut secrets = config_secrets(&config);
    secrets.extend(options.secrets());
    Ok(DeployedConfig {
        path: path.to_path_buf(),
        config,
        main,
        files,
        rewrites: plan.rewrites.clone(),
        positions,
        secrets,
        env: options.env.iter().map(|v| (v.name.clone(), v.value.clone())).collect(),
    })
}

/// A file's bytes, read no further than `limit` (its size was checked when planning).
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}
